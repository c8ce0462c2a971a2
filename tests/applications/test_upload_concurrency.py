"""Two uploads to one application at once (PostgreSQL, threads) when only one fits under the
per-application total: exactly one is kept. Fails if ``attachments._locked_editable`` stops locking
the application row (both would then count the total before the other's file)."""

import pytest
from django.db import connection

from icdc.applications import attachments
from icdc.applications.models import Attachment
from icdc.lib.refusals import Refusal
from tests.applications import appform_factories as f
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def test_two_uploads_past_the_total_at_once_keep_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = f.city_user()
    application = f.choose_type(f.started(user, f.batch()), user, "COMP")
    size = len(f.pdf_file("甲.pdf").read())
    settings.ICDC_UPLOAD_MAX_APPLICATION_BYTES = size + size // 2

    def upload(name):
        return lambda: attachments.attachment_upload(application=application, purpose="material-OTHER",
                                                     uploaded_file=f.pdf_file(name), user=user)

    _first, second = race(upload("甲.pdf"), upload("乙.pdf"))
    assert isinstance(second.error, Refusal) and second.error.code == "total_too_large", second.error
    assert list(Attachment.objects.values_list("display_name", flat=True)) == ["甲.pdf"]
