"""Reads for the province's preliminary-review list and the Ministry's queue (art. 10, SPEC §2).

Both lists run a fixed number of queries whatever the number of applications: one for the
count, one for the page (batch, city and province joined), and nothing per row — labels come
from each batch's programme, read once per batch on the page
(``tests/applications/test_queue_queries.py``).
"""

from dataclasses import dataclass

from django.db.models import F, Min, Q
from django.utils import timezone

from icdc.batches.models import SHANGHAI

from . import workflow
from .models import Application, ApplicationRevision, ProvincialReview, RecommendationDocument

PAGE_SIZE = 50

#: Sort keys the Ministry's queue accepts (anything else falls back to the default).
SORTS = {
    "arrived": ("arrived_at", "pk"),
    "number": ("number",),
    "city": ("city__code",),
    "province": ("province__code", "city__code"),
    "type": ("type_code", "number"),
    "status": ("status", "number"),
    "rank": ("province__code", "recommendation_rank", "number"),
}
DEFAULT_SORT = "-arrived"


def _base():
    # The batch's programme document is large JSON: not decoded once per row (``labelled`` reads
    # each batch's programme once).
    return Application.objects.select_related("batch", "city", "province").defer(
        "batch__programme_document", "batch__quotas")


def programmes_of(batch_ids):
    """{batch id: Programme}, one query for all of them."""
    from icdc.batches.models import Batch

    return {b.pk: b.programme() for b in Batch.objects.filter(pk__in=set(batch_ids)).only("programme_document")}


def visible_applications(user):
    """The applications ``user`` may open on these pages, for lookups by id: another province's, a
    draft or one not yet at the Ministry is "not found", exactly like an id that does not exist."""
    from icdc.accounts.models import Role

    rows = Application.objects.all()
    if not (user.is_authenticated and user.is_active):
        return rows.none()
    if user.role == Role.PROVINCIAL_OFFICIAL and user.division_id:
        return rows.filter(province_id=user.division_id, route=Application.Route.PROVINCE, submitted_at__isnull=False)
    if user.role == Role.MINISTRY_OFFICER:
        return rows.filter(arrived_at__isnull=False)
    if user.role == Role.CITY_APPLICANT and user.division_id:
        return rows.filter(city_id=user.division_id)
    return rows.none()


def province_applications(*, province, batch=None):
    """Art. 10: the applications routing through ``province`` that the city has submitted at least
    once (never a draft), newest first."""
    rows = _base().filter(province=province, route=Application.Route.PROVINCE, submitted_at__isnull=False)
    if batch is not None:
        rows = rows.filter(batch=batch)
    return rows.order_by("-batch__year", "status", "recommendation_rank", "city__code")


def ministry_queue(*, type_code="", domain="", province="", route="", status="", batch=None, sort=DEFAULT_SORT):
    """Every application that has reached the Ministry (recommended, or submitted directly), filtered
    and sorted. ``province`` is a province-level code; for direct applications, the city's own."""
    rows = _base().filter(arrived_at__isnull=False)
    if batch is not None:
        rows = rows.filter(batch=batch)
    if type_code:
        rows = rows.filter(type_code=type_code)
    if domain:
        # JSON list of codes; the codes are the programme's identifiers (letters, digits, "_", "-").
        rows = rows.filter(domain_codes__icontains=f'"{domain}"')
    if province:
        # Divisions are keyed by their code: no join for the province's own column.
        rows = rows.filter(Q(province_id=province) | Q(province__isnull=True, city_id=province)
                           | Q(province__isnull=True, city__parent_id=province))
    if route:
        rows = rows.filter(route=route)
    if status:
        rows = rows.filter(status=status)
    descending = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-")) or SORTS[DEFAULT_SORT.lstrip("-")]
    if sort.lstrip("-") not in SORTS:
        descending = DEFAULT_SORT.startswith("-")
    return rows.order_by(*(f"-{f}" if descending else f for f in fields))


@dataclass
class Row:
    """One line of a list: the application and what the page shows beside it."""

    application: Application
    type_label: str
    domain_labels: str
    days_left: int | None = None


def labelled(applications, *, now=None):
    """Rows with the programme's labels and the days left to the province deadline; the programmes
    are read in one query, once per batch (not once per row)."""
    now = now or timezone.now()
    applications = list(applications)
    programmes = programmes_of(a.batch_id for a in applications) if applications else {}
    rows = []
    for application in applications:
        batch, programme = application.batch, programmes[application.batch_id]
        rows.append(Row(application=application, type_label=type_label(programme, application.type_code),
                        domain_labels="、".join(domain_label(programme, code) for code in application.domain_codes),
                        days_left=days_left(batch.province_deadline, now)))
    return rows


def type_label(programme, code):
    try:
        return str(programme.type(code).label) if code else ""
    except Exception:  # a code the programme no longer names: show it as stored
        return code


def domain_label(programme, code):
    try:
        return str(programme.domain(code).label)
    except Exception:
        return code


def days_left(deadline, now):
    """Whole days left before ``deadline`` in Beijing time (0 on its last day; negative once past)."""
    if deadline is None:
        return None
    if now >= deadline:
        return -1
    return (deadline.astimezone(SHANGHAI).date() - now.astimezone(SHANGHAI).date()).days


def queue_filter_choices(batch=None):
    """Choices for the Ministry's filters: the types and domains of the batches' programmes, the
    provinces that have sent something, the routes and states."""
    from icdc.batches.models import Batch
    from icdc.divisions.models import Division

    if batch is not None:
        batches = [batch]
    else:  # one batch per programme version: the choices depend on the programme only
        firsts = (Batch.objects.exclude(status="draft").values("programme_code", "programme_version")
                  .annotate(first=Min("pk")).values_list("first", flat=True))
        batches = list(Batch.objects.filter(pk__in=list(firsts)))
    types, domains = {}, {}
    for each in batches:
        try:
            programme = each.programme()
        except Exception:  # a batch whose programme document cannot be read names no choices
            continue
        types.update({t.code: str(t.label) for t in programme.types})
        domains.update({d.code: str(d.label) for d in programme.domains})
    provinces = Division.objects.filter(level="province").order_by("code").values_list("code", "name")
    return {"types": sorted(types.items()), "domains": sorted(domains.items()), "provinces": list(provinces),
            "routes": Application.Route.choices,
            "states": [(code, label) for code, label in workflow.WORKFLOW.choices() if code != workflow.DRAFT]}


def application_dossier(application):
    """Everything the full read-only view shows: the current revision's content (or the last frozen
    one), the province's decisions and the recommendation documents."""
    revisions = list(ApplicationRevision.objects.filter(application=application).order_by("-number")
                     .select_related("frozen_by"))
    return {
        "revision": revisions[0] if revisions else None,
        "revisions": revisions,
        "reviews": list(ProvincialReview.objects.filter(application=application).select_related("decided_by")
                        .order_by("-revision_number")),
        "documents": list(RecommendationDocument.objects.filter(application=application).select_related("created_by")
                          .order_by("-revision_number", "-created_at")),
    }


def province_ranking(*, batch, province):
    """The province's recommendations in ``batch``, ranked first then by arrival."""
    return list(_base().filter(batch=batch, province=province, status=workflow.RECOMMENDED)
                .order_by(F("recommendation_rank").asc(nulls_last=True), "arrived_at", "pk"))

