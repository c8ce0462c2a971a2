"""居民身份证号码 (GB 11643-1999): the 18-character number and its check character (ISO 7064 MOD 11-2).

Pure (only Django's gettext). ``id_number_problem`` answers why a number is not valid (Chinese), or ``None``.
"""

import datetime
import re

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")


def check_character(first17):
    """The 18th character of a number whose first 17 digits are ``first17``."""
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalized(value):
    """Strip spaces; a lower-case x typed for the check character is X."""
    return (value or "").strip().replace(" ", "").upper()


def id_number_problem(value):
    """``None`` for a valid 18-character number, else the reason (Chinese, for the import report)."""
    number = normalized(value)
    if not SHAPE.match(number):
        return _("身份证号须为 18 位（前 17 位为数字，末位为数字或 X）")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _("身份证号中的出生日期不存在")
    if birth.year < 1900 or birth > datetime.date.today():
        return _("身份证号中的出生日期不在合理范围内")
    if number[17] != check_character(number[:17]):
        return _("身份证号校验位不正确（GB 11643）")
    return None
