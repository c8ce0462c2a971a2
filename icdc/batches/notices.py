"""Whom a batch's steps concern (called after commit by the workflow's notifiers)."""


def batch_opened(batch):
    """Every city applicant and provincial official hears that the batch is open (the notifications
    app does the sending; until it is wired this is where it will be called)."""
    try:
        from icdc.notifications.services import notify
    except ImportError:  # the notifications app lands beside this one
        return
    from django.contrib.auth import get_user_model

    from icdc.accounts.models import Role

    users = get_user_model().objects.filter(is_active=True, role__in=[Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL])
    notify(recipients=list(users), kind="batches.batch.open", title=f"{batch}已开放申报",
           link=f"/batches/{batch.pk}/", obj=batch)
