"""The indicator-system version lifecycle (SPEC §3): draft → published → locked.

A draft is edited; publishing freezes it and offers it to batches; a batch that opens on a
version locks it (one consistent system per batch). Changes to a frozen version go into a new
draft (``services.new_version_from``). A draft may also be deleted (``services.delete_version``:
the row goes, so it is not a state).
"""

from django.utils.translation import gettext_lazy as _

from icdc.accounts import rules
from icdc.lib.workflow import State, Transition, Workflow

DRAFT, PUBLISHED, LOCKED = "draft", "published", "locked"

STATES = (
    State(DRAFT, _("草稿")),
    State(PUBLISHED, _("已发布")),
    State(LOCKED, _("已锁定"), final=True),
)


def document_consistent(version, ctx):
    """The whole version re-validated: weights sum to 100, rule parameters fit, codes unique."""
    from . import selectors
    from .validation import validate_document

    problems = validate_document(selectors.version_document(version))
    return "；".join(str(p) for p in problems) or None


def frozen_reason(version):
    from .services import frozen_reason

    return frozen_reason(version)


def stamp_published(version, ctx):
    version.published_at = ctx.now
    version.save(update_fields=["published_at"])
    ctx.audit["label"] = version.label


def stamp_locked(version, ctx):
    version.locked_reason, version.locked_at = ctx.note[:200], ctx.now
    version.published_at = version.published_at or ctx.now
    version.save(update_fields=["locked_reason", "locked_at", "published_at"])
    ctx.audit["label"] = version.label


WORKFLOW = Workflow(
    name="indicators.version",
    title=_("指标体系版本"),
    model="indicators.IndicatorSetVersion",
    states=STATES,
    initial=DRAFT,
    transitions=(
        Transition("publish", _("发布"), (DRAFT,), PUBLISHED, rules.is_ministry_officer,
                   guards=(document_consistent,), effects=(stamp_published,), state_reason=frozen_reason),
        # Locking is the consequence of opening a batch, whose own transition checked who opens it.
        Transition("lock", _("锁定（批次使用）"), (DRAFT, PUBLISHED), LOCKED, rules.is_consequence_of_another_transition,
                   guards=(document_consistent,), effects=(stamp_locked,), state_reason=frozen_reason),
    ),
)
