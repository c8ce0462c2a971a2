"""Defence (答辩, issue 14 item 7). The defence pages live beside this function (the defence
helper's full module); this is the read the rankings adapter builds a scoring run from."""

from .models import DefenceScore, DefenceSlot
from .panels import current_draws


def defence_scores(batch):
    """Each panel member's defence score as plain data: ``{application_id: {track: {str(expert_pk):
    float}}}`` for the slots of the batch's current panels (track = the panel's group); a city that
    did not appear (``no_show``) is ``{track: {}}``; a slot not yet held and unscored is absent. Two
    queries, whatever the number of experts."""
    slots = DefenceSlot.objects.filter(panel__in=current_draws(batch))
    out = {}
    for application_id, track, status in slots.values_list("application_id", "panel__group", "status").order_by():
        if status == DefenceSlot.Status.NO_SHOW:
            out.setdefault(application_id, {})[track] = {}
    rows = (DefenceScore.objects.filter(slot__in=slots.exclude(status=DefenceSlot.Status.NO_SHOW))
            .values_list("slot__application_id", "slot__panel__group", "expert_id", "score").order_by())
    for application_id, track, expert_id, score in rows:
        out.setdefault(application_id, {}).setdefault(track, {})[str(expert_id)] = float(score)
    return out
