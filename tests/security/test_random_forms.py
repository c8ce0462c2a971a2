"""入侵防范, randomised: hypothesis draws a page a role can reach, then a form for it (the
page's own field names and invented ones, hostile values, lists, files of random bytes) and
sends it as a POST or a GET, plain or as htmx. Seeded (derandomize) so a run is repeatable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icdc.accounts.models import Role
from tests.security import payloads, surface
from tests.security.conftest import ANONYMOUS, Recorder

#: The roles with forms of their own (the provincial official and the expert have only the
#: pages every role has, which the city applicant covers).
ROLES = [ANONYMOUS, Role.CITY_APPLICANT, Role.MINISTRY_OFFICER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN]

UPLOAD_NAMES = ["a.xlsx", "a.csv", "a.yaml", "a.yml", "a", "a.XLSX", "统计.csv", "a.csv.xlsx"]


@pytest.fixture
def reachable(world, quiet_request_log):
    """One recorder per role and every (role, target, field names) the role can open or post to."""
    recorders = {role: Recorder(world, role) for role in ROLES}
    pairs = []
    for role, recorder in recorders.items():
        for target in surface.targets(world):
            if target.endpoint.name in surface.LAST:
                continue  # logging out or deleting the draft would end the run's usefulness
            page = recorder.request("get", target.good_url)
            if page.status_code in (200, 405):
                html = page.content.decode("utf-8", "replace") if page.status_code == 200 and not page.streaming else ""
                pairs.append((role, target, tuple(payloads.field_names(html))))
    return recorders, pairs


@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_random_forms_answer_below_500(reachable, data):
    recorders, pairs = reachable
    role, target, names = data.draw(st.sampled_from(pairs), label="page")
    body = data.draw(payloads.form_data(list(names)), label="form")
    if "file" in names and data.draw(st.booleans(), label="with a file"):
        body["file"] = SimpleUploadedFile(data.draw(st.sampled_from(UPLOAD_NAMES), label="file name"),
                                          data.draw(st.binary(max_size=4096), label="file content"))
    method = data.draw(st.sampled_from(["post", "post", "get"]), label="method")
    if method == "get":
        body = {k: v for k, v in body.items() if not isinstance(v, SimpleUploadedFile)}
    recorder = recorders[role]
    recorder.request(method, target.good_url, body, htmx=data.draw(st.booleans(), label="htmx"))
    failures, recorder.failures = recorder.failures, []
    assert failures == [], "\n".join(f"{f['status']} {f['url']} {f['data']}\n{f['traceback'][-1500:]}"
                                     for f in failures)
