"""The auditor's integrity check as a background task (issue 12: at a million records the
check outlives a web request, so the page starts a task and shows its progress).

``verification_run_start`` (the view) creates a ``VerificationRun`` and enqueues
``audit.tasks.verify_audit_trail``; a worker (``manage.py db_worker``) runs
``verification_run_execute``, which walks the chain (``verification.verify_chain``),
writes progress to the run every batch, and finally stores the result and appends an
``audit.verify`` record to the chain, in the name of the auditor who asked.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icdc.lib.refusals import Refusal

from . import verification
from .models import VerificationRun
from .services import record_event

#: A run that has not reported for this long was interrupted (worker killed, restarted).
STALE_AFTER = timedelta(minutes=10)
VERIFY_ACTION = "audit.chain.verify"


def _interrupt_stale(now):
    stale = VerificationRun.objects.filter(status__in=[VerificationRun.Status.QUEUED, VerificationRun.Status.RUNNING],
                                           touched_at__lt=now - STALE_AFTER)
    for run in stale.select_for_update():
        run.status, run.finished_at = VerificationRun.Status.ERROR, now
        run.summary = _("校验任务中断（超过 %(minutes)d 分钟没有进度），请重新发起。") % {
            "minutes": int(STALE_AFTER.total_seconds() // 60)}
        run.save(update_fields=["status", "finished_at", "summary"])


def verification_run_start(*, user) -> VerificationRun:
    """Queue a verification of the whole chain for ``user`` (an audit administrator).

    One run at a time: a second request while one is queued or running is refused
    (verifying twice at once only doubles the load). The task is enqueued after the run
    row is committed, so a worker never picks up a task whose run it cannot see.
    """
    from .tasks import verify_audit_trail

    now = timezone.now()
    with transaction.atomic():
        _interrupt_stale(now)
        active = (VerificationRun.objects.select_for_update()
                  .filter(status__in=[VerificationRun.Status.QUEUED, VerificationRun.Status.RUNNING]).first())
        if active is not None:
            raise Refusal(gettext_lazy("已有一个完整性校验任务正在进行（第 %(id)s 号），请等待其完成。"),
                          code="verification_running", params={"id": active.pk})
        run = VerificationRun.objects.create(requested_by=user, requested_at=now, touched_at=now)
    verify_audit_trail.enqueue(run_id=run.pk)
    return run


def _progress(run_id):
    def report(checked):
        VerificationRun.objects.filter(pk=run_id).update(checked=checked, touched_at=timezone.now())
    return report


def verification_run_execute(*, run_id) -> str:
    """Run a queued verification (called by the task); returns the run's final status.

    Not inside one transaction: each progress update commits on its own so the auditor's
    page sees it. Whatever happens, the run ends with a stored result and an
    ``audit.verify`` record: passed (``ok``), tampering found (``failed``) or could not
    verify (``error``, with the reason).
    """
    run = VerificationRun.objects.get(pk=run_id)
    if run.status != VerificationRun.Status.QUEUED:
        return run.status  # already taken by another worker, or interrupted
    now = timezone.now()
    VerificationRun.objects.filter(pk=run_id).update(status=VerificationRun.Status.RUNNING, started_at=now,
                                                     touched_at=now, expected=verification.expected_count())
    try:
        result = verification.verify_chain(progress=_progress(run_id))
    except Exception as exc:  # any failure to look is recorded as such, never lost with the worker
        return _finish(run, VerificationRun.Status.ERROR, result=None,
                       summary=_("无法完成审计日志校验：%(error)s") % {"error": f"{type(exc).__name__}: {exc}"})
    status = VerificationRun.Status.PASSED if result.ok else VerificationRun.Status.FAILED
    return _finish(run, status, result=result, summary=result.summary)


_OUTCOME = {VerificationRun.Status.PASSED: "ok", VerificationRun.Status.FAILED: "failed",
            VerificationRun.Status.ERROR: "error"}


def _finish(run, status, *, result, summary):
    now = timezone.now()
    failure = result.failure if result is not None else None
    findings = result.findings if result is not None else []
    with transaction.atomic():
        run.refresh_from_db()
        run.status, run.finished_at, run.touched_at, run.summary = status, now, now, summary
        if result is not None:
            run.checked, run.head_seq, run.head_mac = result.count, result.last_seq, result.last_mac
            first_bad = failure or (findings[0] if findings else None)
            run.failure_seq = first_bad.seq if first_bad is not None else None
        run.save()
        record_event(action=VERIFY_ACTION, user=run.requested_by, obj=run, object_repr=_("审计日志完整性校验"),
                     result=_OUTCOME[status], detail=summary,
                     after={"checked": run.checked, "head_seq": run.head_seq, "head_mac": run.head_mac})
    return status
