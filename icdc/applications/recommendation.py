"""The province's preliminary review (初审, art. 10) besides the transitions themselves: the
recommendation letter (初审推荐文件) generated as .docx to edit and as PDF, or uploaded signed,
and the ranking of the province's recommendations when the programme asks for one.

The transitions (recommend, return) are ``services.application_recommend`` and
``services.application_return``: both go through ``icdc.lib.workflow.perform``.
"""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.batches.models import SHANGHAI
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import discard_on_error, store_upload

from . import workflow
from .models import Application, RecommendationDocument

REVIEW = "applications.review_application"
STORAGE_DIR = "recommendations"
MAX_LETTER_BYTES = 20 * 1024 * 1024


# --- the letter's text: one source for the .docx and the PDF ------------------------------------

def letter_document(application, *, comments=""):
    """The letter as an official document (公文, GB/T 9704-2012 layout from ``icdc.documents``):
    one content for the .docx to edit and the PDF."""
    from icdc.documents.official import OfficialDocument

    programme = application.batch.programme()
    type_label = programme.type(application.type_code).label if application.type_code else ""
    domains = "、".join(programme.domain(code).label for code in application.domain_codes)
    kind = f"{type_label}（{domains}）" if domains else type_label
    paragraphs = [
        _("根据《%(programme)s》有关要求，我单位对%(city)s报送的%(batch)s申报材料（申报编号 %(number)s，"
          "第 %(revision)s 版）进行了初审。") % {
            "programme": programme.title, "city": application.city.name, "batch": application.batch.title,
            "number": application.number, "revision": application.revision_number},
        _("经审核，%(city)s符合申报条件，申报材料真实、完整，同意推荐其申报%(kind)s信息消费示范城市。") % {
            "city": application.city.name, "kind": kind},
    ]
    if comments:
        paragraphs.append(_("初审意见：%(comments)s") % {"comments": comments})
    if application.recommendation_rank:
        paragraphs.append(_("在本省推荐名单中排序第 %(rank)s 位。") % {"rank": application.recommendation_rank})
    paragraphs.append(_("特此推荐。"))
    authority = _("%(province)s工业和信息化主管部门") % {
        "province": application.province.name if application.province_id else application.city.name}
    return OfficialDocument(
        issuer=authority, doc_number="",
        title=_("关于推荐%(city)s申报信息消费示范城市的函") % {"city": application.city.name},
        recipients=[_("工业和信息化部信息技术发展司")], paragraphs=paragraphs, signatory=authority,
        date=timezone.now().astimezone(SHANGHAI).date(), sealed=True)


def letter_docx(application, *, comments=""):
    """The letter as .docx, for the province to edit, print, sign and upload."""
    from icdc.documents.official import render_official_docx

    return render_official_docx(letter_document(application, comments=comments))


def letter_pdf(application, *, comments=""):
    """The letter as PDF (CJK fonts embedded)."""
    from icdc.documents.official import render_official_pdf

    return render_official_pdf(letter_document(application, comments=comments))


def letter_filename(application, suffix):
    return _("初审推荐文件-%(city)s-%(number)s.%(suffix)s") % {
        "city": application.city.name, "number": application.number, "suffix": suffix}


# --- the stored document --------------------------------------------------------------------------

def _store(*, application, user, uploaded_file, source, request):
    """Stream the PDF to storage through the one upload guard (kind by content, size, SHA-256), then
    record it on the locked application; the file is deleted again if the recording is refused."""
    require_perm(user, REVIEW, application, request=request)
    stored = store_upload(uploaded_file=uploaded_file, kinds={"pdf"}, folder=f"{STORAGE_DIR}/{application.pk}",
                          max_bytes=MAX_LETTER_BYTES)
    with discard_on_error(stored), transaction.atomic():
        application = _locked_for_review(application, user, request)
        document = RecommendationDocument.objects.create(
            application=application, revision_number=application.revision_number, source=source,
            display_name=stored.display_name[:200], storage_name=stored.name, sha256=stored.sha256,
            size=stored.size, created_by=user)
        generated = source == RecommendationDocument.Source.GENERATED
        record_event(action="applications.recommendation_document.generate" if generated
                     else "applications.recommendation_document.upload",
                     request=request, user=user, obj=application,
                     after={"document": document.pk, "revision": document.revision_number, "sha256": document.sha256})
    return document


def _locked_for_review(application, user, request):
    require_perm(user, REVIEW, application, request=request)
    application = (Application.objects.select_for_update(of=("self",))
                   .select_related("batch", "city", "province").get(pk=application.pk))
    if application.status != workflow.SUBMITTED:
        raise Refusal(_l("当前状态（%(state)s）下不能准备推荐文件。"), code="wrong_state",
                      params={"state": application.get_status_display()})
    return application


def recommendation_document_generate(*, application, user, comments="", request=None):
    """Art. 10: the platform writes the recommendation letter as PDF and keeps it for this revision."""
    require_perm(user, REVIEW, application, request=request)
    content = letter_pdf(application, comments=comments)  # rendered before the lock: it takes a while
    upload = SimpleUploadedFile(letter_filename(application, "pdf"), content, content_type="application/pdf")
    return _store(application=application, user=user, uploaded_file=upload,
                  source=RecommendationDocument.Source.GENERATED, request=request)


def recommendation_document_upload(*, application, user, upload, request=None):
    """Art. 10: the province uploads its signed and stamped letter (PDF, checked by content)."""
    return _store(application=application, user=user, uploaded_file=upload,
                  source=RecommendationDocument.Source.UPLOADED, request=request)


def recommendation_document_open(*, document, user, request=None):
    """The stored letter's bytes, for whoever may see the application (every download audited)."""
    require_perm(user, "applications.view_application", document.application, request=request)
    with default_storage.open(document.storage_name, "rb") as stored:
        content = stored.read()
    record_event(action="applications.recommendation_document.download", request=request, user=user,
                 obj=document.application, after={"document": document.pk})
    return content


# --- ranking (programme.requires_ranking) ---------------------------------------------------------

def recommendation_ranking_save(*, batch, province, user, order, request=None):
    """Art. 10: the province ranks its recommendations when the programme asks it to. ``order`` is
    the list of application ids, first = rank 1; it must name every recommendation of the province
    in the batch exactly once. The batch row is locked, as for a recommendation, so a ranking and a
    recommendation never interleave."""
    require_perm(user, "applications.rank_recommendations", province, request=request)
    if not batch.programme().requires_ranking:
        raise Refusal(_l("本批次不要求对推荐排序。"), code="no_ranking")
    if batch.province_deadline and timezone.now() >= batch.province_deadline:
        raise Refusal(_l("省级报送已于 %(deadline)s（北京时间）截止。"), code="province_deadline_open",
                      params={"deadline": batch.province_deadline_display})
    with transaction.atomic():
        type(batch).objects.select_for_update().get(pk=batch.pk)
        rows = {a.pk: a for a in Application.objects.select_for_update().filter(
            batch=batch, province=province, status=workflow.RECOMMENDED).order_by("pk")}
        try:
            ids = [int(pk) for pk in order]
        except (TypeError, ValueError) as exc:
            raise Refusal(_l("排序数据无效，请刷新后重试。"), code="bad_order") from exc
        if sorted(ids) != sorted(rows):
            raise Refusal(_l("排序须包含本省全部已推荐申报且各出现一次（推荐名单可能已变化，请刷新后重试）。"),
                          code="bad_order")
        before = {str(pk): rows[pk].recommendation_rank for pk in ids}
        for rank, pk in enumerate(ids, start=1):
            rows[pk].recommendation_rank = rank
        Application.objects.bulk_update(rows.values(), ["recommendation_rank"])
        record_event(action="applications.recommendation.rank", request=request, user=user, obj=batch,
                     before={"ranks": before}, after={"ranks": {str(pk): r for r, pk in enumerate(ids, start=1)},
                                                       "province": province.code})
    return [rows[pk] for pk in ids]

