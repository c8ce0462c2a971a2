"""Who hears of each step (run after the commit by the workflow's notifiers)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from icdc.accounts.models import Role


def _send(users, kind, title, application):
    from icdc.notifications.services import notify

    # Inside the transition's transaction (``perform``): the messages commit with the change.
    notify(recipients=list(users), kind=kind, title=title, link=f"/applications/{application.pk}/",
           obj=application)


def _active(role, division_id=None):
    users = get_user_model().objects.filter(is_active=True, role=role)
    return users.filter(division_id=division_id) if division_id else users


def submitted(application, ctx):
    _send(_active(Role.PROVINCIAL_OFFICIAL, application.province_id), "applications.application.submit",
          _("%(city)s提交了申报，待初审") % {"city": application.city.name}, application)


def arrived_direct(application, ctx):
    _send(_active(Role.MINISTRY_OFFICER), "applications.application.submit_direct",
          _("%(city)s直接报送了申报") % {"city": application.city.name}, application)


def returned(application, ctx):
    _send(_active(Role.CITY_APPLICANT, application.city_id), "applications.application.return",
          _("申报被省级主管部门退回修改：%(reason)s") % {"reason": ctx.note[:80]}, application)


def recommended(application, ctx):
    _send(_active(Role.CITY_APPLICANT, application.city_id), "applications.application.recommend",
          _("申报已获省级推荐，报送工信部"), application)
    _send(_active(Role.MINISTRY_OFFICER), "applications.application.recommend",
          _("%(province)s推荐了%(city)s的申报") % {"province": application.province.name,
                                                 "city": application.city.name}, application)


def withdrawn(application, ctx):
    if application.province_id and ctx.before != "draft":
        _send(_active(Role.PROVINCIAL_OFFICIAL, application.province_id), "applications.application.withdraw",
              _("%(city)s撤回了申报") % {"city": application.city.name}, application)
    if ctx.before in ("recommended", "submitted_direct", "supplement", "supplemented"):
        _send(_active(Role.MINISTRY_OFFICER), "applications.application.withdraw",
              _("%(city)s撤回了申报") % {"city": application.city.name}, application)


# --- formal review (形式审查): the city and its province hear every outcome -------------------------

def _city_and_province(application, kind, title):
    _send(_active(Role.CITY_APPLICANT, application.city_id), kind, title, application)
    if application.province_id:
        _send(_active(Role.PROVINCIAL_OFFICIAL, application.province_id), kind,
              _("%(city)s：%(title)s") % {"city": application.city.name, "title": title}, application)


def formal_passed(application, ctx):
    _city_and_province(application, "applications.application.formal_pass", _("申报已通过工信部形式审查，进入专家评审"))


def supplement_requested(application, ctx):
    from icdc.review.formal import beijing

    _city_and_province(application, "applications.application.formal_supplement",
                       _("工信部要求补充材料，截止 %(deadline)s（北京时间）：%(reason)s") % {
                           "deadline": beijing(ctx.data.get("deadline")), "reason": ctx.note[:80]})


def formal_rejected(application, ctx):
    _city_and_province(application, "applications.application.formal_reject",
                       _("申报未通过工信部形式审查：%(reason)s") % {"reason": ctx.note[:80]})


def supplemented(application, ctx):
    _send(_active(Role.MINISTRY_OFFICER), "applications.application.answer_supplement",
          _("%(city)s提交了补充材料，待形式审查") % {"city": application.city.name}, application)
    if application.province_id:
        _send(_active(Role.PROVINCIAL_OFFICIAL, application.province_id), "applications.application.answer_supplement",
              _("%(city)s提交了补充材料") % {"city": application.city.name}, application)
def selected(application, ctx):
    _send(_active(Role.CITY_APPLICANT, application.city_id), "applications.application.select",
          _("%(city)s入选信息消费示范城市，名单已公告") % {"city": application.city.name}, application)


def not_selected(application, ctx):
    _send(_active(Role.CITY_APPLICANT, application.city_id), "applications.application.close_not_selected",
          _("本批次名单已公告，%(city)s的申报未入选") % {"city": application.city.name}, application)
