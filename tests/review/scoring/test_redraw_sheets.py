"""A redraw supersedes the group's panel and only the new panel's sheets count: every live sheet of the
old one is withdrawn (draft) or set aside (submitted), one audited transition each, kept with its
scores. A member who sits on the new panel too scores afresh there (before, their submitted sheet
stayed live on the old panel, counted nowhere, and the one-live-sheet rule refused them a new one)."""

import pytest

from icdc.audit.models import AuditRecord
from icdc.review import panels, scores
from icdc.review.models import Expert, ScoreSheet

from .helpers import full_scores, sign

pytestmark = pytest.mark.django_db


def _submit(sw, expert, app=0, fraction=0.5):
    return scores.score_sheet_submit(panel=sw["panel"], application=sw["applications"][app], user=expert.account,
                                     scores=full_scores(sw["specs"], fraction))


@pytest.fixture
def redrawn(sw):
    """Members 0 and 1 submitted 济南's sheet, member 2 has a draft of it, member 3 a draft of 南京's; then
    members 0 and 2 leave the pool (deactivated) and the group is redrawn with no reserves left over."""
    old = sw["panel"]
    gone_submitted, stays_submitted, gone_draft, stays_draft = sw["members"][:4]
    sheets = {"gone_submitted": _submit(sw, gone_submitted), "stays_submitted": _submit(sw, stays_submitted),
              "gone_draft": scores.score_sheet_save(panel=old, application=sw["applications"][0],
                                                    user=gone_draft.account, scores={"D1.4": "1.5"}),
              "stays_draft": scores.score_sheet_save(panel=old, application=sw["applications"][1],
                                                     user=stays_draft.account, scores={"D1.4": "1.0"})}
    Expert.objects.filter(pk__in=[gone_submitted.pk, gone_draft.pk]).update(is_active=False)
    new = panels.panel_draw(batch=sw["batch"], group=old.group, size=5, reserves=0, user=sw["officer"], seed="again")
    assert new.replaces_id == old.pk
    assert {stays_submitted.pk, stays_draft.pk} <= set(new.members)
    assert not {gone_submitted.pk, gone_draft.pk} & set(new.members)
    for pk in set(new.members) - {m.pk for m in sw["members"]}:  # the old members signed already
        sign(Expert.objects.get(pk=pk), sw["batch"])
    return {**sw, "old": old, "new": new, "sheets": sheets, "stays_draft": stays_draft,
            "stays_submitted": stays_submitted}


def test_every_live_sheet_of_the_old_panel_leaves_the_count_kept_and_audited(redrawn):
    sheets = {k: ScoreSheet.objects.get(pk=v.pk) for k, v in redrawn["sheets"].items()}
    assert {k: s.status for k, s in sheets.items()} == {
        "gone_submitted": "set_aside", "stays_submitted": "set_aside", "gone_draft": "withdrawn",
        "stays_draft": "withdrawn"}
    assert all(s.panel_id == redrawn["old"].pk for s in sheets.values())
    assert sheets["stays_submitted"].entries.exists()  # kept with its scores
    assert scores.submitted_scores(redrawn["batch"]) == {}
    for key, sheet in sheets.items():
        action = "review.score_sheet.set_aside" if "submitted" in key else "review.score_sheet.withdraw"
        record = AuditRecord.objects.get(action=action, object_id=str(sheet.pk))
        assert record.after["redraw"] == redrawn["new"].pk and "重新抽取" in record.detail
    draw = AuditRecord.objects.filter(action="review.panel.draw", object_id=str(redrawn["new"].pk)).get()
    assert sorted(draw.after["set_aside_sheets"]) == sorted(sheets[k].pk for k in ("gone_submitted", "stays_submitted"))
    assert sorted(draw.after["withdrawn_sheets"]) == sorted(sheets[k].pk for k in ("gone_draft", "stays_draft"))


def test_a_member_on_both_panels_scores_afresh_on_the_new_one_and_counts(redrawn):
    member, jinan = redrawn["stays_submitted"], redrawn["applications"][0]
    sheet = scores.score_sheet_submit(panel=redrawn["new"], application=jinan, user=member.account,
                                      scores=full_scores(redrawn["specs"], 0.75))
    assert sheet.pk != redrawn["sheets"]["stays_submitted"].pk and sheet.panel_id == redrawn["new"].pk
    counted = scores.submitted_scores(redrawn["batch"])[jinan.pk][redrawn["new"].group]
    assert set(counted) == {str(member.pk)}
    assert counted[str(member.pk)] == {s.code: round(s.weight * 0.75, 2) for s in redrawn["specs"]}
