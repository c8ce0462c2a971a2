"""The demo's objection (异议) to the open batch's public notice: a unit objects to a city on the
list through the service the portal's form calls (so it has a receipt and the officers were told),
and ``ministry`` has written one investigation note — the objection waits, received, in the
officer's queue on the proposal page, and its receipt can be followed on the portal.

Idempotent: once the notice has an objection nothing more is done. A notice already closed (a
database loaded long ago) gets none: the service refuses, and the line says so.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from icdc.accounts.models import User

#: The objector: a unit (fictitious), its contact person and contact. Data, not interface text.
OBJECTOR = {"filer_kind": "unit", "unit_name": "某信息技术行业协会（演示）", "name": "孙立",
            "contact": "objector@example.cn"}
FACTS = ("%(city)s申报材料中“固定宽带家庭普及率”与当地统计年鉴公布的数据不一致，"
         "申报值明显偏高，请予核实。")
NOTE = "已电话联系异议人，正向省工业和信息化主管部门调取该指标的原始统计资料。"


def load_objection(batch):
    """One objection to the open notice of ``batch``, about the first city on its list."""
    from icdc.decisions import services
    from icdc.decisions.models import Proposal
    from icdc.decisions.workflow import IN_NOTICE
    from icdc.lib.refusals import Refusal

    proposal = Proposal.objects.filter(batch=batch).order_by("pk").first() if batch is not None else None
    if proposal is None:
        return []
    objection = proposal.objections.order_by("pk").first()
    if objection is not None:
        return [_("公示异议：已存在（回执 %(receipt)s，%(state)s）")
                % {"receipt": objection.receipt, "state": objection.get_status_display()}]
    city = services.objection_cities(proposal).first()
    if proposal.status != IN_NOTICE or city is None:
        return []
    officer = User.objects.get(username="ministry")
    try:
        with transaction.atomic():
            objection = services.objection_file(proposal=proposal, city=city, facts=FACTS % {"city": city.name},
                                                **OBJECTOR)
            services.objection_note_add(objection=objection, text=NOTE, user=officer)
    except Refusal as refusal:
        return [_("公示异议：未提交（%(reason)s）") % {"reason": refusal}]
    return [_("公示异议：新建，涉及%(city)s（回执 %(receipt)s，已受理，ministry 已记录调查情况）")
            % {"city": city.name, "receipt": objection.receipt}]
