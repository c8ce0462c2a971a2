"""The 5xx the fuzz sweeps found, each pinned by the smallest request that caused it."""

from django.urls import reverse

from icdc.accounts.models import Role
from tests.security.conftest import ANONYMOUS, Recorder


def test_a_unicode_digit_as_ahp_source_is_ignored(world, quiet_request_log):
    """?from=² passed str.isdigit() and reached int() in the query: ValueError, a 500."""
    recorder = Recorder(world, Role.MINISTRY_OFFICER)
    for source in ("²", "١٢", "9" * 30, "-1"):
        url = reverse("indicators:ahp", args=[world.draft.pk, "COMP"])
        assert recorder.request("get", url, {"from": source}).status_code == 200
    assert recorder.failures == [], recorder.report()


def test_a_code_that_cannot_exist_is_404_before_the_query(world, quiet_request_log):
    """A NUL byte in the system code reached PostgreSQL ("cannot contain NUL"): a 500 there."""
    recorder = Recorder(world, Role.MINISTRY_OFFICER)
    base = f"/indicators/versions/{world.draft.pk}/systems"
    # A NUL byte is refused for every URL by home.RejectNulBytesMiddleware (400); any other
    # impossible code stops at the URL converter (404).
    for url in (f"{base}/%00/weights/", f"{base}/%00/ahp/", f"{base}/COMP/ahp/%00/"):
        assert recorder.request("get", url).status_code == 400
    assert recorder.request("get", f"{base}/a%20b/weights/").status_code == 404
    assert recorder.failures == [], recorder.report()


def test_a_nul_byte_as_a_division_code_in_the_admin(world, quiet_request_log):
    recorder = Recorder(world, Role.SYSTEM_ADMIN)
    for view in ("change", "history"):
        response = recorder.request("get", f"/admin/divisions/division/%00/{view}/")
        assert response.status_code == 400
    assert recorder.failures == [], recorder.report()


def test_a_too_long_username_on_the_admin_login_is_a_form_error(world, quiet_request_log):
    """The admin's login form did not check the length; django-axes then failed to store the
    attempt (varchar(255)): a 500 on PostgreSQL."""
    from axes.models import AccessAttempt

    recorder = Recorder(world, ANONYMOUS)
    for url in (reverse("admin:login"), reverse("accounts:login")):
        response = recorder.request("post", url, {"username": "0" * 256, "password": " "})
        assert response.status_code == 200 and response.context["form"].errors.get("username")
    assert recorder.failures == [], recorder.report()
    assert not AccessAttempt.objects.filter(username__startswith="000").exists()
