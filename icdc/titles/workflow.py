"""The title lifecycle (称号, SPEC §4 "Title"; arts. 15–16 of the measures): active → under
re-evaluation → active again or revoked.

Only "active" is reachable today: titles are created active (by ``load_titles``, later by the
announcement) and no page or service takes the other transitions yet. They are declared now so the
lifecycle is known and the diagram (docs/workflows/titles.title.md) shows it; the re-evaluation
stage will add the services and pages that call ``icdc.lib.workflow.perform`` with them.
"""

from django.utils.translation import gettext_lazy as _

from icdc.accounts import rules
from icdc.lib.workflow import State, Transition, Workflow

ACTIVE, UNDER_REEVALUATION, REVOKED = "active", "under_reevaluation", "revoked"

STATES = (
    State(ACTIVE, _("有效")),
    State(UNDER_REEVALUATION, _("复核中")),
    State(REVOKED, _("已撤销"), final=True),
)


def not_a_legacy_title(title, ctx):
    """The 2016 titles predate the 2019 measures: their re-evaluation is not governed by them."""
    if title.kind == "legacy":
        return _("2016 年的称号早于《管理办法》，不按本办法复核。")
    return None


WORKFLOW = Workflow(
    name="titles.title",
    title=_("示范城市称号"),
    model="titles.Title",
    states=STATES,
    initial=ACTIVE,
    transitions=(
        Transition("start_reevaluation", _("启动复核"), (ACTIVE,), UNDER_REEVALUATION, rules.manages_titles,
                   guards=(not_a_legacy_title,), needs_note=True),
        Transition("confirm", _("复核通过，保留称号"), (UNDER_REEVALUATION,), ACTIVE, rules.manages_titles),
        Transition("revoke", _("撤销称号"), (UNDER_REEVALUATION,), REVOKED, rules.manages_titles, needs_note=True),
    ),
)
