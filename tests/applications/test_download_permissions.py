"""Who may download an application's files (and read its pages): the owner city always; its
province once submitted; the Ministry once it has arrived; nobody else. Every download audited;
guessed ids answer 404."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.applications import attachments, services
from icdc.audit.models import AuditRecord
from tests.applications import appform_factories as f
from tests.factories import division, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    jinan = f.jinan()
    return {
        "owner": f.city_user(jinan),
        "other_city": f.city_user(f.qingdao()),
        "province": make_user(Role.PROVINCIAL_OFFICIAL, division_obj=jinan.parent),
        "other_province": make_user(Role.PROVINCIAL_OFFICIAL,
                                    division_obj=division("330000", "浙江省", level="province")),
        "ministry": make_user(Role.MINISTRY_OFFICER),
        "expert": make_user(Role.EXPERT),
        "sysadmin": make_user(Role.SYSTEM_ADMIN),
        "auditor": make_user(Role.AUDIT_ADMIN),
    }


@pytest.fixture
def filed(people, draft_version):
    owner = people["owner"]
    application = f.fill(f.started(owner, f.batch(indicator_version=draft_version)), owner)
    return application, application.attachments.get(purpose="material-PROPOSAL")


ALLOWED = {
    "draft": {"owner"},
    "submitted": {"owner", "province"},
    "recommended": {"owner", "province", "ministry"},
}


def _reach(client, user, application, attachment):
    client.force_login(user)
    download = client.get(reverse("applications:attachment_download", args=[application.pk, attachment.pk]))
    page = client.get(reverse("applications:detail", args=[application.pk]))
    return download, page


@pytest.mark.parametrize("state", ["draft", "submitted", "recommended"])
def test_the_matrix(client, people, filed, state):
    application, attachment = filed
    if state != "draft":
        services.application_submit(application=application, user=people["owner"])
    if state == "recommended":  # the province's step is another helper's page; the row as it would be
        application.refresh_from_db()
        application.status, application.arrived_at = "recommended", application.submitted_at
        application.save()
    for name, user in people.items():
        before = AuditRecord.objects.filter(action="applications.attachment.download").count()
        download, page = _reach(client, user, application, attachment)
        after = AuditRecord.objects.filter(action="applications.attachment.download").count()
        if name in ALLOWED[state]:
            assert download.status_code == 200, (state, name)
            assert b"".join(download.streaming_content).startswith(b"%PDF")
            assert download["Content-Disposition"].startswith("attachment")
            assert page.status_code == 200, (state, name)
            assert after == before + 1, (state, name)
        else:
            assert (download.status_code, page.status_code) == (403, 403), (state, name)
            assert after == before, (state, name)
        client.logout()


def test_anonymous_is_sent_to_log_in(client, filed):
    application, attachment = filed
    response = client.get(reverse("applications:attachment_download", args=[application.pk, attachment.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_guessed_ids_are_404(client, people, filed):
    application, attachment = filed
    client.force_login(people["owner"])
    for args in ((application.pk, attachment.pk + 999), (application.pk + 999, attachment.pk)):
        assert client.get(reverse("applications:attachment_download", args=args)).status_code == 404
    assert client.get(reverse("applications:revision", args=[application.pk, 7])).status_code == 404


def test_a_denied_download_is_audited_as_a_denial(client, people, filed):
    application, attachment = filed
    client.force_login(people["other_city"])
    client.get(reverse("applications:attachment_download", args=[application.pk, attachment.pk]))
    assert AuditRecord.objects.filter(action="accounts.permission.deny", detail="applications.view_application").exists()


def test_the_service_checks_too(people, filed):
    from django.core.exceptions import PermissionDenied

    application, attachment = filed
    with pytest.raises(PermissionDenied):
        attachments.attachment_download(attachment=attachment, user=people["expert"], request=None)
