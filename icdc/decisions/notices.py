"""Who hears of each step of a proposal (inside the transition's transaction)."""

from django.utils.translation import gettext as _


def _send(users, kind, title, proposal):
    from icdc.notifications.services import notify

    notify(recipients=list(users), kind=kind, title=title, link=f"/decisions/proposals/{proposal.pk}/", obj=proposal)


def _officers():
    from icdc.notifications.selectors import ministry_officers

    return ministry_officers()


def submitted(proposal, ctx):
    _send(_officers().exclude(pk=proposal.proposed_by_id), "decisions.proposal.submit",
          _("%(batch)s拟定名单待审核") % {"batch": proposal.batch.title}, proposal)


def sent_back(proposal, ctx):
    _send([proposal.proposed_by], "decisions.proposal.send_back",
          _("拟定名单被退回修改：%(reason)s") % {"reason": ctx.note[:80]}, proposal)


def approved(proposal, ctx):
    _send([proposal.proposed_by], "decisions.proposal.approve",
          _("%(batch)s拟定名单已审核通过，可以发布公示") % {"batch": proposal.batch.title}, proposal)


def approval_withdrawn(proposal, ctx):
    """The proposer and the approver hear of it (whichever of them did not withdraw it)."""
    from django.contrib.auth import get_user_model

    before = ctx.audit.get("withdrawn_approval", {}).get("approved_by")
    people = get_user_model().objects.filter(pk__in=[proposal.proposed_by_id, before]).exclude(pk=ctx.user.pk)
    _send(people, "decisions.proposal.withdraw_approval",
          _("%(batch)s拟定名单的审核已撤回：%(reason)s") % {"batch": proposal.batch.title, "reason": ctx.note[:80]},
          proposal)
