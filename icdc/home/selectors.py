"""What each role's home page shows: a few counts and facts, fetched in a bounded number of queries."""

from django.db.models import Count, Q

from icdc.divisions import selectors as divisions


def city_overview(user):
    """The city's application channel (Art. 5): directly to the Ministry, or through its province."""
    city = user.division
    return {"city": city, "province": city.parent if city else None,
            "applies_directly": bool(city and city.applies_directly)}


def province_overview(user):
    province = user.division
    cities = list(divisions.cities_of(province)) if province else []
    return {"province": province, "cities": cities, "city_count": len(cities)}


def ministry_overview():
    from icdc.indicators.models import IndicatorSetVersion, StatisticFigure

    versions = IndicatorSetVersion.objects.aggregate(
        total=Count("id"), published=Count("id", filter=Q(status="published")),
        locked=Count("id", filter=Q(status="locked")), draft=Count("id", filter=Q(status="draft")))
    figures = StatisticFigure.objects.aggregate(total=Count("id"), cities=Count("city", distinct=True))
    overview = {"versions": versions, "figures": figures, "runs": None}
    try:
        from icdc.rankings.models import ScoringRun
    except ImportError:  # the decisions app is optional to this page
        return overview
    overview["runs"] = ScoringRun.objects.count()
    return overview


# --- to-do lists (issue 13 item 11): what needs the role's action now, with its deadline ---------

def _recent_notices(user, limit=5):
    """The user's latest unread notifications (the batch's notices: opened, returned, recommended,
    reminders) and the top bar's unread count, from one query: the page passes the count in its
    context, so the top bar does not count again."""
    from icdc.notifications.models import Notification
    from icdc.notifications.selectors import UNREAD_CAP

    unread = list(Notification.objects.filter(recipient=user, read_at__isnull=True)
                  .only("id", "title", "created_at", "link").order_by("-created_at", "-id")[:UNREAD_CAP])
    return {"notices": unread[:limit], "unread_notifications": len(unread)}


def city_todo(user, now=None):
    """A city's to-do: start an application in an open batch, complete its draft (the checklist's
    missing items), answer a return (the province's reasons and the deadline)."""
    from django.utils import timezone

    from icdc.applications import workflow as application_workflow
    from icdc.applications.completeness import missing_items
    from icdc.applications.models import Application, ProvincialReview
    from icdc.batches import selectors as batches
    from icdc.batches import workflow as batch_workflow

    now = now or timezone.now()
    applications = list(Application.objects.filter(
        city_id=user.division_id, batch__status__in=(batch_workflow.OPEN, batch_workflow.CLOSED))
        .select_related("batch").order_by("batch__city_deadline", "pk"))
    started = {a.batch_id for a in applications}
    to_start = [{"batch": b, "countdown": batches.countdown(b.city_deadline, now)}
                for b in batches.open_batches() if b.pk not in started and b.city_deadline and b.city_deadline > now]
    reasons = {}
    returned = [a.pk for a in applications if a.status == application_workflow.RETURNED]
    if returned:
        for review in ProvincialReview.objects.filter(application_id__in=returned,
                                                      outcome=ProvincialReview.Outcome.RETURNED) \
                .select_related("decided_by").order_by("revision_number"):
            reasons[review.application_id] = review  # the latest return wins
    drafts, returns, progress = [], [], []
    for application in applications:
        if application.status == application_workflow.DRAFT:
            drafts.append({"application": application, "missing": missing_items(application),
                           "countdown": batches.countdown(application.batch.city_deadline, now)})
        elif application.status == application_workflow.RETURNED:
            returns.append({"application": application, "review": reasons.get(application.pk),
                            "countdown": batches.countdown(application.batch.province_deadline, now)})
        else:
            progress.append(application)
    return {"to_start": to_start, "drafts": drafts, "returns": returns, "progress": progress,
            **_recent_notices(user)}


def province_todo(user, now=None):
    """A province's to-do: the applications waiting for its 初审, per batch, with the days left
    before its forwarding deadline (art. 10)."""
    from django.utils import timezone

    from icdc.applications import workflow as application_workflow
    from icdc.applications.models import Application
    from icdc.batches import selectors as batches

    now = now or timezone.now()
    waiting = Application.objects.filter(province_id=user.division_id, status=application_workflow.SUBMITTED) \
        .select_related("batch", "city").order_by("batch__province_deadline", "submitted_at", "pk")
    groups = {}
    for application in waiting:
        group = groups.setdefault(application.batch_id, {
            "batch": application.batch, "applications": [],
            "countdown": batches.countdown(application.batch.province_deadline, now),
            "days_left": batches.days_left(application.batch.province_deadline, now)})
        group["applications"].append(application)
    open_batches = [{"batch": b, "countdown": batches.countdown(b.province_deadline, now)}
                    for b in batches.open_batches()]
    return {"waiting": list(groups.values()), "open_batches": open_batches, **_recent_notices(user)}


def ministry_todo(user, now=None):
    """The Ministry's to-do: arrivals by route (recommended by a province, or direct) per batch, and
    batches whose next step is due (open a draft, close after the city deadline, start review)."""
    from django.utils import timezone

    from icdc.applications import workflow as application_workflow
    from icdc.applications.models import Application
    from icdc.batches import selectors as batches
    from icdc.batches import workflow as batch_workflow
    from icdc.batches.models import Batch

    now = now or timezone.now()
    counts = {}
    for row in Application.objects.filter(status__in=application_workflow.AT_MINISTRY) \
            .values("batch_id", "route").annotate(n=Count("id")):
        counts.setdefault(row["batch_id"], {})[row["route"]] = row["n"]
    arrivals, actions = [], []
    for batch in Batch.objects.defer("programme_document").order_by("-year", "-pk"):  # a few a year
        if batch.pk in counts:
            arrivals.append({"batch": batch, "recommended": counts[batch.pk].get("province", 0),
                             "direct": counts[batch.pk].get("direct", 0)})
        action = batches.needs_action(batch, now)
        if action:
            actions.append({"batch": batch, "action": action,
                            "label": batch_workflow.WORKFLOW.transition(action).label})
    return {"arrivals": arrivals, "actions": actions, **_recent_notices(user)}
