"""Expert scoring (专家打分, issue 14 item 4). The scoring pages live beside this function (the
scoring helper's full module); this is the read the rankings adapter builds a scoring run from."""

from django.db.models import FloatField
from django.db.models.functions import Cast

from .models import ScoreEntry, ScoreSheet
from .panels import current_draws


def submitted_scores(batch):
    """The batch's submitted sheets as plain data: ``{application_id: {track: {str(expert_pk): {code:
    float}}}}`` — only submitted sheets of the batch's current panels (drafts never count), scores
    as floats of the decimals the experts typed. One query, whatever the number of experts."""
    rows = (ScoreEntry.objects
            .filter(sheet__panel__in=current_draws(batch), sheet__status=ScoreSheet.Status.SUBMITTED,
                    score__isnull=False)
            # Cast in SQL: the numeric → double conversion is the correctly rounded float(Decimal), without
            # a Python Decimal per score (a batch holds ~10⁵ of them).
            .values_list("sheet__application_id", "sheet__track", "sheet__expert_id", "indicator_code",
                         Cast("score", FloatField()))
            .order_by())
    out = {}
    for application_id, track, expert_id, code, score in rows:
        sheet = out.setdefault(application_id, {}).setdefault(track, {}).setdefault(str(expert_id), {})
        sheet[code] = score
    return out
