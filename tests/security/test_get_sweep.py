"""入侵防范 and 访问控制: every URL of the platform, for every role and anonymously, with junk
query strings and guessed path values, plain and as htmx — never a 5xx, and a guessed id
never opens a page the role cannot open with the real one."""

import pytest

from tests.security import payloads, surface
from tests.security.conftest import Recorder, roles


@pytest.mark.parametrize("role", roles())
def test_every_url_answers_junk_gets_below_500(world, quiet_request_log, role):
    recorder = Recorder(world, role)
    leaks = []
    for i, target in enumerate(surface.targets(world)):
        allowed = recorder.request("get", target.good_url).status_code == 200
        if allowed:  # the view is reached: every junk query, every guessed path value
            queries, guesses = payloads.JUNK_QUERIES, target.guesses
        else:  # refused before the view reads anything: one junk query, a few guessed ids
            queries = [payloads.JUNK_QUERIES[i % len(payloads.JUNK_QUERIES)]]
            guesses = [g for g in target.guesses if g[1] == "id"][:4]
        for k, query in enumerate(queries):
            recorder.request("get", target.good_url, query, htmx=k % 2 == 0)
        for n, (url, _kind) in enumerate(guesses):
            status = recorder.request("get", url, htmx=n % 2 == 1).status_code
            if not allowed and status == 200:
                leaks.append(url)
        if target.endpoint.name in surface.LAST:
            recorder.login()
    assert recorder.failures == [], recorder.report()
    assert leaks == []
