import datetime

from icdc.decisions.dates import SHANGHAI

__all__ = ["SHANGHAI", "at", "approve", "file", "entry"]


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def approve(proposal, maker, checker):
    from icdc.decisions.services import proposal_transition

    proposal_transition(proposal=proposal, name="submit", user=maker)
    return proposal_transition(proposal=proposal, name="approve", user=checker)


def entry(proposal, city_code, track="COMP"):
    return proposal.entries.get(city_id=city_code, track=track)


def file(proposal, city_code="330200", now=None, **extra):
    from icdc.decisions.services import objection_file

    values = {"filer_kind": "person", "name": "张三", "unit_name": "", "contact": "13800000000",
              "city": city_code, "facts": "该市申报材料中的统计数据与统计年鉴不一致。"}
    values.update(extra)
    return objection_file(proposal=proposal, now=now or at(2024, 10, 8, 9), **values)
