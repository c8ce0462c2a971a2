"""An idle logout while editing loses nothing saved: sections saved before stay, an autosave made
after the session ended is answered by a navigation to the login page that comes back to the form."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from icdc.accounts.models import AccountSession
from icdc.applications.models import ApplicationSection
from tests.accounts.conftest import login
from tests.applications import appform_factories as f

pytestmark = pytest.mark.django_db


def _autosave(client, application, text, version):
    detail = "http://testserver" + reverse("applications:detail", args=[application.pk])
    return client.post(reverse("applications:section_save", args=[application.pk, "summary"]),
                       {"summary-expected_version": version, "summary-f0": text},
                       HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=detail)


def _back_to_the_form(client, user, application, response):
    assert response.status_code == 204
    target = urlsplit(response["HX-Redirect"])
    assert target.path == reverse("accounts:login")
    query = parse_qs(target.query)
    assert query["next"] == [reverse("applications:detail", args=[application.pk])] and query["expired"] == ["1"]
    after_login = login(client, user.username, data={"next": query["next"][0]})
    assert after_login.status_code == 302 and after_login.url == query["next"][0]
    return client.get(after_login.url).content.decode()


@pytest.mark.parametrize("how", ["idle 31 minutes", "session deleted on the server"])
def test_an_idle_logout_during_editing_loses_nothing_saved(client, settings, how):
    settings.SESSION_COOKIE_AGE = 8 * 3600  # the policy's idle rule, not the cookie, ends the session
    user = f.city_user()
    application = f.started(user, f.batch())
    with freeze_time(timezone.now()) as frozen:
        login(client, user.username)
        assert _autosave(client, application, "第一段已保存", 0).status_code == 200
        if how.startswith("idle"):
            frozen.tick(timedelta(minutes=31))
        else:
            AccountSession.objects.filter(session_key=client.session.session_key).delete()
        response = _autosave(client, application, "第二段正在输入", 1)
        page = _back_to_the_form(client, user, application, response)
    row = ApplicationSection.objects.get(application=application, key="summary")
    assert (row.data, row.version) == ({"text": "第一段已保存"}, 1)
    assert "第一段已保存" in page
