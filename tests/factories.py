"""Factories for tests: real rows in the real database, no mocks."""

import itertools

from django.utils import timezone

DEMO_PASSWORD = "Icdc#Demo2026"
_counter = itertools.count(1)


def division(code="370200", name="青岛市", level="prefecture", parent=None, **extra):
    from icdc.divisions.models import Division

    if parent is None and level == "prefecture" and code[2:] != "0000":
        parent = division(code=code[:2] + "0000", name=extra.pop("province_name", "山东省"), level="province")
    obj, _ = Division.objects.get_or_create(
        code=code,
        defaults={"name": name, "level": level, "kind": extra.pop("kind", "地级市" if level == "prefecture" else "省"),
                  "parent": parent, "can_apply": level == "prefecture", "is_application_channel": level == "province",
                  **extra},
    )
    return obj


def make_user(role, username=None, division_obj=None, password=DEMO_PASSWORD, **extra):
    from icdc.accounts.models import Role, User

    role = Role(role)
    if division_obj is None and role == Role.CITY_APPLICANT:
        division_obj = division("370100", "济南市")
    if division_obj is None and role == Role.PROVINCIAL_OFFICIAL:
        division_obj = division("370000", "山东省", level="province")
    user = User(
        username=username or f"{role.value}{next(_counter)}",
        role=role,
        division=division_obj,
        display_name=extra.pop("display_name", ""),
        password_changed_at=timezone.now(),
        **extra,
    )
    user.set_password(password)
    user.save()
    return user
