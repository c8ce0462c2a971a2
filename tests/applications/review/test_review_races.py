"""Two provincial officials at once (PostgreSQL, threads).

- Both press "recommend" on one application: exactly one transition, one audit record; the other is
  refused with a Chinese "refresh" message. Fails if the row lock in ``icdc.lib.workflow._lock`` is
  removed (the second would work from the state it read and crash on the decision's unique row).
- Each recommends a different application when one place is left under the programme's cap: the
  cap holds. Fails if the batch row lock (``also_lock`` of ``recommend`` in
  ``applications/workflow.py``) is removed: both would count the same recommendations.
- A ranking saved while another application is being recommended is refused (it no longer names
  every recommendation). Fails if the batch row lock in ``recommendation_ranking_save`` is removed.
- A letter uploaded while the application is being recommended is refused (it would belong to a
  decided revision). Fails if the application row lock in ``recommendation._locked_for_review``
  is removed.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from icdc.applications import recommendation, services
from icdc.applications.models import Application, ProvincialReview, RecommendationDocument
from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from tests.applications.factories_review import batch, city, official, province, submitted
from tests.races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def _with_letter(app, user):
    RecommendationDocument.objects.create(application=app, revision_number=app.revision_number, source="uploaded",
                                          display_name="推荐函.pdf", storage_name=f"recommendations/{app.pk}.pdf",
                                          sha256="0" * 64, size=1, created_by=user)
    return app


def test_two_officials_recommending_one_application_give_one_transition_and_one_record():
    first, second = official(username="sd-a"), official(username="sd-b")
    app = _with_letter(submitted(), first)
    page_b = Application.objects.get(pk=app.pk)
    _one, other = race(lambda: services.application_recommend(application=app, user=first, comments="甲"),
                       lambda: services.application_recommend(application=page_b, user=second, comments="乙"))
    assert isinstance(other.error, Refusal) and other.error.code == "wrong_state", other.error
    assert "刷新" in str(other.error)
    assert list(ProvincialReview.objects.values_list("comments", flat=True)) == ["甲"]
    assert list(AuditRecord.objects.filter(action="applications.application.recommend")
                .values_list("actor_username", flat=True)) == ["sd-a"]


def test_the_cap_holds_when_two_applications_are_recommended_at_once():
    b = batch(programme="demo-project-call")  # at most 10 recommendations per province
    first, second = official(username="sd-a"), official(username="sd-b")
    for n in range(9):
        submitted(batch_obj=b, city_obj=city(f"3701{n:02d}", f"城市{n}"), status="recommended", type_code="SUPPLY")
    one = _with_letter(submitted(batch_obj=b, city_obj=city("371100", "日照市"), type_code="SUPPLY"), first)
    two = _with_letter(submitted(batch_obj=b, city_obj=city("371200", "莱芜市"), type_code="SUPPLY"), second)
    _one, other = race(lambda: services.application_recommend(application=one, user=first),
                       lambda: services.application_recommend(application=two, user=second))
    assert isinstance(other.error, Refusal) and other.error.code == "within_recommendation_cap", other.error
    assert Application.objects.filter(batch=b, status="recommended").count() == 10
    assert Application.objects.get(pk=two.pk).status == "submitted"
    assert AuditRecord.objects.filter(action="applications.application.recommend").count() == 1


def test_a_ranking_saved_during_a_recommendation_is_refused():
    b = batch(programme="demo-project-call")
    first, second = official(username="sd-a"), official(username="sd-b")
    ranked = [submitted(batch_obj=b, city_obj=city(f"3701{n:02d}", f"城市{n}"), status="recommended",
                        type_code="SUPPLY") for n in range(3)]
    newcomer = _with_letter(submitted(batch_obj=b, city_obj=city("371100", "日照市"), type_code="SUPPLY"), first)
    _one, other = race(lambda: services.application_recommend(application=newcomer, user=first),
                       lambda: recommendation.recommendation_ranking_save(
                           batch=b, province=province(), user=second, order=[a.pk for a in ranked]))
    assert isinstance(other.error, Refusal) and other.error.code == "bad_order", other.error
    assert set(Application.objects.values_list("recommendation_rank", flat=True)) == {None}
    assert not AuditRecord.objects.filter(action="applications.recommendation.rank").exists()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_letter_uploaded_during_the_recommendation_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    first, second = official(username="sd-a"), official(username="sd-b")
    app = _with_letter(submitted(), first)
    page_b = Application.objects.get(pk=app.pk)
    _one, other = race(lambda: services.application_recommend(application=app, user=first),
                       lambda: recommendation.recommendation_document_upload(
                           application=page_b, user=second, upload=SimpleUploadedFile("盖章件.pdf", PDF)))
    assert isinstance(other.error, Refusal) and other.error.code == "wrong_state", other.error
    assert RecommendationDocument.objects.filter(application=app).count() == 1  # the one made before
