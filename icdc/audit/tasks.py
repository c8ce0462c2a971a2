"""Background tasks of the audit trail (django-tasks; ``manage.py db_worker`` runs them)."""

from django_tasks import task


@task()
def verify_audit_trail(run_id: int) -> str:
    """Verify the whole chain for the ``VerificationRun`` ``run_id`` (see ``verify_runs``)."""
    from .verify_runs import verification_run_execute

    return verification_run_execute(run_id=run_id)
