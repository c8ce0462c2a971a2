"""Lifecycles declared as data, and the one transition service every state change goes through.

A lifecycle is one ``Workflow`` in its app's ``workflow.py``: its states, and each
``Transition`` with its label, the states it leaves, the state it reaches, who may take it (a
predicate from ``icdc/accounts/rules.py``), its guards (what must be true: deadline,
completeness, quota — each returns the Chinese reason it fails, or ``None``), its effects (the
writes beside the state: freeze a revision, record a decision) and whom it notifies. Reading
that one module tells a newcomer the whole lifecycle; ``docs/workflows/`` holds each diagram,
generated from the declaration (``manage.py workflow_diagrams``; a test fails when they differ).

Why a small explicit table rather than django-fsm-2 (pinned before, never used): a refusal must
carry a Chinese reason (fsm conditions answer only yes/no), permission comes from our one
rules module, the guard must be re-checked on the *locked* row, the audit record must be the last
write and e-mail must wait for the commit; with fsm all of that would be wrapped around its
decorated model methods anyway, and the lifecycle would be spread over model methods again.

``perform(workflow, obj, name, user=..., note=..., data=...)`` is the transition service:

1. permission checked before anything (a denial is audited and answered 403 like any view);
2. one transaction: the rows locked in a fixed order (the object's model label and primary key,
   then the transition's ``also_lock`` rows sorted the same way: two transitions never wait for
   each other in opposite orders), the object re-read from its locked row;
3. on the locked row: the state must be one the transition leaves, permission re-checked, every
   guard run — the first failure raises ``Refusal`` and nothing is written;
4. the state written, then each effect (they may write other rows), then **last** the audit
   record ``<app>.<object>.<transition>`` with the states before and after;
5. the people concerned told: the notifiers write their messages in the same transaction (a
   rolled-back change tells no one) and the e-mail task is queued with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icdc.lib.refusals import Refusal

#: Every declared workflow by name (``applications.application``), for diagrams and tests.
REGISTRY: dict[str, Workflow] = {}


@dataclass(frozen=True)
class State:
    code: str
    label: Any
    final: bool = False


@dataclass
class Context:
    """What a guard, effect or notifier knows about the transition being taken."""

    user: Any
    note: str = ""
    data: dict = field(default_factory=dict)
    now: datetime.datetime = field(default_factory=timezone.now)
    before: str = ""
    after: str = ""
    #: Extra facts for the audit record (``after``), added by effects (e.g. the revision frozen).
    audit: dict = field(default_factory=dict)


Guard = Callable[[Any, Context], Any]  # returns None when satisfied, else the reason (Chinese)


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: tuple[str, ...]
    target: str
    allowed: Callable[[Any, Any], bool]
    guards: tuple[Guard, ...] = ()
    effects: tuple[Callable[[Any, Context], None], ...] = ()
    notify: tuple[Callable[[Any, Context], None], ...] = ()
    also_lock: Callable[[Any], Iterable[Any]] | None = None
    #: The note is required (a return or a rejection must say why).
    needs_note: bool = False
    #: Why the object's state does not allow this transition, in the lifecycle's own words
    #: (default: "当前状态（…）下不能执行…").
    state_reason: Callable[[Any], Any] | None = None


class Workflow:
    """One lifecycle: ``model``'s ``field`` moves between ``states`` along ``transitions``."""

    def __init__(self, *, name, model, states, transitions, initial, field="status", title="", register=True):
        self.name = name
        self.model_path = model  # "app_label.ModelName", resolved lazily (models import the states)
        self.field = field
        self.title = title
        self.states = {state.code: state for state in states}
        self.initial = initial
        self.transitions = {t.name: t for t in transitions}
        self._check()
        if register:
            REGISTRY[name] = self

    def _check(self):
        if self.initial not in self.states:
            raise ValueError(f"{self.name}: initial state {self.initial!r} is not declared")
        for t in self.transitions.values():
            for code in (*t.sources, t.target):
                if code not in self.states:
                    raise ValueError(f"{self.name}.{t.name}: state {code!r} is not declared")

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)

    def choices(self):
        return [(s.code, s.label) for s in self.states.values()]

    def state_label(self, code):
        state = self.states.get(code)
        return state.label if state else code

    def transition(self, name) -> Transition:
        return self.transitions[name]

    def action(self, name):
        """The audit action of a transition: ``<app>.<object>.<transition>``."""
        return f"{self.name}.{name}"

    def blockers(self, obj, name, user, *, now=None) -> list[str]:
        """Why ``user`` cannot take ``name`` on ``obj`` now (empty: they can). For pages: shows
        the same reasons the service would refuse with, without locking anything."""
        t = self.transitions[name]
        if getattr(obj, self.field) not in t.sources:
            return [str(_("当前状态（%(state)s）下不能执行“%(action)s”。")
                        % {"state": self.state_label(getattr(obj, self.field)), "action": t.label})]
        if not _allows(t, user, obj):
            return [str(_("您无权执行“%(action)s”。") % {"action": t.label})]
        ctx = Context(user=user, now=now or timezone.now(), before=getattr(obj, self.field), after=t.target)
        return [str(reason) for guard in t.guards if (reason := guard(obj, ctx))]

    def available(self, obj, user, *, now=None) -> list[Transition]:
        """Transitions ``user`` may take on ``obj`` now (guards included)."""
        return [t for t in self.transitions.values() if not self.blockers(obj, t.name, user, now=now)]

    def mermaid(self) -> str:
        """The state diagram as Mermaid text (``docs/workflows/<name>.md``)."""
        lines = ["stateDiagram-v2"]
        for state in self.states.values():
            lines.append(f"    {state.code}: {state.label}")
        lines.append(f"    [*] --> {self.initial}")
        for t in self.transitions.values():
            for source in t.sources:
                lines.append(f"    {source} --> {t.target}: {t.label}")
        for state in self.states.values():
            if state.final:
                lines.append(f"    {state.code} --> [*]")
        return "\n".join(lines) + "\n"


def _allows(t, user, obj):
    # A django-rules predicate is tested through ``test`` (it adapts to predicates of one argument).
    test = getattr(t.allowed, "test", None)
    return bool(test(user, obj) if test else t.allowed(user, obj))


def _lock(instances):
    """Lock rows in one fixed order (model label, primary key); returns them re-read."""
    ordered = sorted({(type(i)._meta.label, i.pk): i for i in instances}.items())
    locked = {}
    for (label, pk), instance in ordered:
        locked[(label, pk)] = type(instance)._default_manager.select_for_update().get(pk=pk)
    return locked


def perform(workflow: Workflow, obj, name: str, *, user, note: str = "", data: dict | None = None,
            request=None, now=None):
    """Take transition ``name`` on ``obj`` for ``user``: the one way a declared state changes.

    Returns the object as re-read and written under the lock. Raises ``Refusal`` (state,
    permission on the locked row, guard, missing note) with nothing written, or
    ``PermissionDenied`` (audited) when the user may not take it at all.
    """
    from icdc.accounts.decorators import deny
    from icdc.audit.services import record_event

    t = workflow.transitions[name]
    if not _allows(t, user, obj):
        deny(request, workflow.action(name), obj, user=user)
    note = (note or "").replace("\x00", "").strip()
    if t.needs_note and not note:
        raise Refusal(_("请填写“%(action)s”的理由。"), code="note_required", params={"action": t.label})
    with transaction.atomic():
        extra = list(t.also_lock(obj)) if t.also_lock else []
        locked = _lock([obj, *extra])
        obj = locked[(type(obj)._meta.label, obj.pk)]
        before = getattr(obj, workflow.field)
        ctx = Context(user=user, note=note, data=data or {}, now=now or timezone.now(), before=before,
                      after=t.target)
        if before not in t.sources and t.state_reason is not None:
            raise Refusal(t.state_reason(obj), code="wrong_state")
        if before not in t.sources:
            raise Refusal(_("当前状态（%(state)s）下不能执行“%(action)s”，页面可能已过期，请刷新后重试。"),
                          code="wrong_state", params={"state": workflow.state_label(before), "action": t.label})
        if not _allows(t, user, obj):
            raise Refusal(_("您无权执行“%(action)s”。"), code="not_allowed", params={"action": t.label})
        for guard in t.guards:
            reason = guard(obj, ctx)
            if reason:
                raise Refusal(reason, code=getattr(guard, "__name__", "guard"))
        setattr(obj, workflow.field, t.target)
        obj.save(update_fields=[workflow.field, *_touched(obj)])
        for effect in t.effects:
            effect(obj, ctx)
        record_event(action=workflow.action(name), request=request, user=user, obj=obj,
                     before={workflow.field: before}, after={workflow.field: t.target, **ctx.audit},
                     detail=note[:2000])
        # Messages are rows of this transaction (rolled back with it: a refused or failed change
        # tells no one, a committed one is never lost); ``notifications.notify`` queues the e-mail
        # with ``transaction.on_commit``.
        for notifier in t.notify:
            notifier(obj, ctx)
    return obj


def _touched(obj):
    # A model may keep an ``updated_at`` (auto_now) column: save it with the state.
    return ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.concrete_fields) else []


def all_workflows() -> dict[str, Workflow]:
    """Every declared lifecycle (each app's ``workflow.py`` imported)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("workflow")
    return dict(sorted(REGISTRY.items()))


def diagram_document(workflow: Workflow) -> str:
    """``docs/workflows/<name>.md``: the diagram and the transition table, from the declaration."""
    from django.utils import translation

    with translation.override("zh-hans"):
        rows = "\n".join(
            f"| `{t.name}` | {t.label} | {', '.join(f'`{s}`' for s in t.sources)} | `{t.target}` "
            f"| `{getattr(t.allowed, 'name', None) or getattr(t.allowed, '__name__', '')}` "
            f"| {', '.join(f'`{g.__name__}`' for g in t.guards) or '—'} "
            f"| {', '.join(f'`{e.__name__}`' for e in t.effects) or '—'} |"
            for t in workflow.transitions.values())
        return (f"# {workflow.title} (`{workflow.name}`)\n\n"
                "Generated from the declaration by `manage.py workflow_diagrams`; "
                "`tests/lib/test_workflow_diagrams.py` fails when this file and the code disagree.\n\n"
                f"```mermaid\n{workflow.mermaid()}```\n\n"
                "| transition | label | from | to | who | guards | effects |\n|---|---|---|---|---|---|---|\n"
                f"{rows}\n")
