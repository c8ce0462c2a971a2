"""Building statistics files and reading the audit trail in tests."""

import csv
import io

import openpyxl
import yaml

from icdc.indicators.yaml_io import load_document

HEADERS = ["城市代码", "城市名称", "年份", "指标代码", "数值", "单位", "数据来源", "来源说明"]


def xlsx_bytes(rows, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def audit_actions(prefix="indicators."):
    from icdc.audit.models import AuditRecord

    return list(AuditRecord.objects.filter(action__startswith=prefix).order_by("seq").values_list("action", flat=True))


def big_document(label, dimensions=10, per_dimension=10):
    """A valid version far larger than the draft: 100 indicators of 1 point each."""
    def indicators(d):
        return [{"code": f"B{d}.{n}", "name": f"指标{d}.{n}", "kind": "qualitative", "weight": 1}
                for n in range(per_dimension)]

    return load_document(yaml.safe_dump({"version": label, "domains": [], "systems": [{
        "code": "BIG", "name": "大体系", "applies_to": "综合型",
        "dimensions": [{"code": f"B{d}", "name": f"维度{d}", "indicators": indicators(d)} for d in range(dimensions)],
    }]}, allow_unicode=True))
