"""Rows for the expert pool tests: valid ID numbers, experts with accounts, cities, files."""

import csv
import io
import itertools

from icdc.accounts.models import Role
from icdc.lib import workbooks
from icdc.review.idnumbers import check_character
from icdc.review.models import Expert
from tests.factories import division, make_user

_serial = itertools.count(100)


def id_number(serial=None, birth="19800101", region="110101"):
    """A valid 18-character ID number (GB 11643 check character computed)."""
    first17 = f"{region}{birth}{(serial if serial is not None else next(_serial)) % 1000:03d}"
    return first17 + check_character(first17)


def bad_check(number):
    """The same number with a wrong check character."""
    wrong = next(c for c in "0123456789X" if c != number[-1])
    return number[:-1] + wrong


def cities():
    """Qingdao and Jinan (山东), Nanjing (江苏), Beijing (a 直辖市: its own province)."""
    return {
        "qingdao": division("370200", "青岛市"),
        "jinan": division("370100", "济南市"),
        "nanjing": division("320100", "南京市", province_name="江苏省"),
        "beijing": division("110000", "北京市", level="province", kind="直辖市", is_municipality=True,
                            can_apply=True),
    }


def expert(*, name="张三", city=None, specialities=("LIFE",), employer="青岛大学", mobile="13812345678",
           number=None, account=None, **fields):
    city = city or division("370200", "青岛市")
    obj = Expert(account=account or make_user(Role.EXPERT), name=name, id_number=number or id_number(),
                 mobile=mobile, employer=employer, city=city, **fields)
    obj.specialities = list(specialities)
    obj.save()
    return obj


HEADERS = ["姓名", "身份证号", "手机号码", "工作单位", "单位所在城市", "职称", "专业领域"]


def row(name="李四", number=None, mobile="13900001111", employer="南京大学", city="南京市", title="教授",
        specialities="LIFE、公共服务类信息消费"):
    return [name, number or id_number(), mobile, employer, city, title, specialities]


def xlsx(rows, *, headers=HEADERS):
    """An .xlsx written the way the template and exports are (a title row above the header)."""
    book = workbooks.ExcelExport()
    sheet = book.sheet("专家", title="评审专家导入", columns=[workbooks.Column(h) for h in headers])
    for r in rows:
        sheet.append(r)
    return book.to_bytes()


def csv_bytes(rows, *, headers=HEADERS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def passed_formal_review(application, officer):
    """The application (at the Ministry) passed formal review by ``officer``, through the service."""
    from icdc.review.formal import formal_decide

    return formal_decide(application=application, user=officer, outcome="pass")


def panel_world(*, experts=8):
    """A batch with two 综合型 applications that passed formal review (济南 and 南京, both recommended by
    their provinces, then passed by the Ministry's officer) and a pool:
    ``experts`` eligible experts (广州, 杭州, 沈阳 … outside both provinces) and four conflicted ones —
    one in 青岛 (same province as 济南), one employed in 南京, one who declared 南京, one who declared
    济南's 牵头单位 (济南市工业和信息化局)."""
    from tests.applications import factories_review as fr

    batch = fr.batch()
    jinan, nanjing = fr.city("370100", "济南市"), fr.city("320100", "南京市")
    lead = {"type": "COMP", "domains": [], "sections": {"lead": {"name": "济南市工业和信息化局"}}, "attachments": []}
    officer = fr.ministry()
    apps = [passed_formal_review(fr.recommended(batch_obj=batch, city_obj=jinan, content=lead), officer),
            passed_formal_review(fr.recommended(batch_obj=batch, city_obj=nanjing), officer)]
    far = [fr.city(code, name) for code, name in (("440100", "广州市"), ("330100", "杭州市"), ("210100", "沈阳市"),
                                                  ("440300", "深圳市"), ("330200", "宁波市"), ("210200", "大连市"))]
    eligible = [expert(name=f"专家{n}", city=far[n % len(far)], employer=f"大学{n}") for n in range(experts)]
    same_province = expert(name="鲁专家", city=fr.city("370200", "青岛市"), employer="青岛大学")
    employer_city = expert(name="宁专家", city=nanjing, employer="南京大学")
    declared = expert(name="回避专家", city=far[0], employer="中山大学")
    declared.conflict_cities.add(nanjing)
    declared_employer = expert(name="单位回避", city=far[1], employer="浙江大学",
                               conflict_employers=["济南市工业和信息化局"])
    return {"declared_employer": declared_employer, "batch": batch, "applications": apps, "eligible": eligible, "same_province": same_province,
            "employer_city": employer_city, "declared": declared, "officer": officer}


def drawn_panel(*, size=5, reserves=2, experts=8, seed="fixed-seed"):
    """``panel_world`` with the 综合型 panel drawn (``world["panel"]``): the start of every scoring,
    defence and ranking test. Its members are ``world["members"]`` (Expert rows, in panel order)."""
    from icdc.review.models import Expert
    from icdc.review.panels import panel_draw

    world = panel_world(experts=experts)
    group = world["applications"][0].type_code
    panel = panel_draw(batch=world["batch"], group=group, size=size, reserves=reserves, user=world["officer"], seed=seed)
    by_id = Expert.objects.in_bulk(panel.members)
    return {**world, "panel": panel, "members": [by_id[pk] for pk in panel.members]}
