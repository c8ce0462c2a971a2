"""入侵防范: POSTs of junk to every URL, for every role and anonymously — the page's own
fields filled with hostile values, empty bodies, bodies of the wrong type, too many fields,
too large a body — never a 5xx (plain and as htmx)."""

import pytest

from tests.security import payloads, surface
from tests.security.conftest import Recorder, roles

TOO_MANY_FIELDS = {f"f{n}": "x" for n in range(1200)}  # > DATA_UPLOAD_MAX_NUMBER_FIELDS
TOO_LARGE = {"x": "y" * (3 * 1024 * 1024)}  # > DATA_UPLOAD_MAX_MEMORY_SIZE
FALLBACK_FIELDS = ["label", "file", "format", "next", "action", "q"]


@pytest.mark.parametrize("role", roles())
def test_every_url_answers_junk_posts_below_500(world, quiet_request_log, role):
    recorder = Recorder(world, role)
    for i, target in enumerate(surface.targets(world)):
        url, last = target.good_url, target.endpoint.name in surface.LAST
        page = recorder.request("get", url)
        reached = page.status_code in (200, 405)  # 405: a POST-only view the role may use
        html = b"" if page.status_code != 200 or page.streaming else page.content  # a file download has no form
        names = payloads.field_names(html.decode("utf-8", "replace")) if html else []
        forms = payloads.junk_forms(names or FALLBACK_FIELDS)
        bodies = [{}, *forms] if reached else [forms[i % len(forms)]]
        for k, body in enumerate(bodies):
            recorder.request("post", url, body, htmx=k % 2 == 1)
            if last:
                recorder.login()
        if reached:
            content_type, raw = payloads.RAW_BODIES[i % len(payloads.RAW_BODIES)]
            recorder.request("post", url, raw, content_type=content_type)
            texts = [u for u, kind in target.guesses if kind == "text"]
            if texts:  # one junk text value in the path, posted to as well
                recorder.request("post", texts[i % len(texts)], forms[0], htmx=True)
            if last:
                recorder.login()
    # Django's request limits answer 400, not 500.
    for body in (TOO_MANY_FIELDS, TOO_LARGE):
        assert recorder.request("post", "/accounts/login/", body).status_code == 400
    assert recorder.failures == [], recorder.report()
