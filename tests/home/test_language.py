import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from icdc.accounts.models import Role
from icdc.accounts.passwords import CharacterClassValidator
from icdc.divisions.models import Division
from icdc.home.navigation import HOME_OF_ROLE
from tests.factories import make_user

LC_MESSAGES = Path(settings.BASE_DIR) / "icdc" / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")  # ideographs and full-width punctuation
HANZI = re.compile(r"[\u3400-\u9fff]")  # on pages, where templates still put full-width punctuation around labels
PLACEHOLDER = re.compile(r"%%|%\([^)]+\)[sdif]|%[sdif]|\{[^}]*\}|</?[a-zA-Z][^>]*>")


def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def visible_text(body):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", "\n", body)


def test_chinese_even_for_an_english_browser(client, db):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in body
    assert "登录平台" in body


def test_english_when_chosen_with_the_switcher(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


def test_unknown_language_cookie_falls_back_to_chinese(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="zh-CN">' in client.get("/").content.decode()


def test_public_home_is_entirely_english_after_switching(client, db):
    body = english(client).get("/").content.decode()
    assert "Information Consumption Demonstration City Management Platform" in body
    # The only Chinese left is the switcher offering Chinese by its own name.
    text = visible_text(body).replace("简体中文", "")
    assert HANZI.findall(text) == [], [line.strip() for line in text.splitlines() if HANZI.search(line)]


def test_login_page_in_english_keeps_placeholders_of_its_messages(client, db):
    english(client)
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    for text in ("Log in", "Username", "Password",
                 "If you have forgotten your password or your account is locked, contact the system administrator."):
        assert text in page
    assert "用户名" not in page and "忘记密码" not in page

    user = make_user(Role.CITY_APPLICANT)
    refused = client.post(reverse("accounts:login"), {"username": user.username, "password": "Wrong#Pass2026"})
    body = refused.content.decode()
    # %(limit)d and %(minutes)d are filled in, not lost or left raw.
    assert ("Incorrect username or password. After 5 consecutive failures the account is locked for 15 minutes."
            in body)
    assert "%(" not in body


@pytest.mark.parametrize(("role", "heading"), [
    (Role.CITY_APPLICANT, "City applicant dashboard"),
    (Role.PROVINCIAL_OFFICIAL, "Provincial authority dashboard"),
    (Role.MINISTRY_OFFICER, "MIIT programme officer dashboard"),
    (Role.EXPERT, "Review expert dashboard"),
    (Role.SYSTEM_ADMIN, "System administrator dashboard"),
    (Role.AUDIT_ADMIN, "Audit administrator dashboard"),
])
def test_each_role_dashboard_renders_in_english(client, role_users, role, heading):
    user = role_users[role]
    english(client).force_login(user)
    response = client.get(reverse(HOME_OF_ROLE[role]))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert heading in body
    assert "Dashboard" in body and "Log out" in body
    with translation.override("zh-hans"):
        assert str(role.label) not in body  # the role's Chinese name
    # Chinese may remain only in data (division names) and in the switcher's "简体中文".
    text = visible_text(body).replace("简体中文", "")
    for name in sorted(Division.objects.values_list("name", flat=True), key=len, reverse=True):
        text = text.replace(name, "")
    assert HANZI.findall(text) == [], [line.strip() for line in text.splitlines() if HANZI.search(line)]


def test_placeholders_survive_translation():
    with translation.override("en"):
        assert CharacterClassValidator(min_classes=3).get_help_text() == (
            "The password must contain at least 3 of the following: "
            "uppercase letters, lowercase letters, digits, symbols.")
        assert translation.gettext("已解除 %(n)d 个账号的登录锁定。") % {"n": 2} == "Login lockout lifted for 2 account(s)."
        assert translation.ngettext("共 %(counter)s 条记录", "共 %(counter)s 条记录", 1) % {"counter": 1} == "1 record"
        assert translation.ngettext("共 %(counter)s 条记录", "共 %(counter)s 条记录", 7) % {"counter": 7} == "7 records"
    with translation.override("zh-hans"):
        assert translation.gettext("已解除 %(n)d 个账号的登录锁定。") % {"n": 2} == "已解除 2 个账号的登录锁定。"


def _po_entries(path):
    """(flags, {keyword: text}) for each entry of a .po file; enough of the format for our own file."""
    entries, flags, fields, key = [], [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if fields:
                entries.append((flags, fields))
            flags, fields, key = [], {}, None
        elif line.startswith("#~"):
            continue  # obsolete
        elif line.startswith("#,"):
            flags += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[key] += json.loads(line)
        else:
            key, _, rest = line.partition(" ")
            fields[key] = json.loads(rest)
    return entries


def test_every_message_is_translated_and_compiled_with_its_placeholders():
    entries = [(flags, fields) for flags, fields in _po_entries(LC_MESSAGES / "django.po") if fields["msgid"]]
    assert len(entries) > 500
    with open(LC_MESSAGES / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    problems = []
    for flags, fields in entries:
        msgid = fields["msgid"]
        if "fuzzy" in flags:
            problems.append(("fuzzy", msgid))
        if "msgid_plural" in fields:
            pairs = [(msgid, fields["msgstr[0]"], (msgid, 0)), (fields["msgid_plural"], fields["msgstr[1]"], (msgid, 1))]
        else:
            pairs = [(msgid, fields["msgstr"], msgid)]
        for source, text, key in pairs:
            if not text:
                problems.append(("untranslated", source))
            elif CJK.search(text):
                problems.append(("Chinese left in translation", text))
            elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                problems.append(("placeholders differ", source, text))
            if catalog.get(key) != text:
                problems.append(("django.mo out of date (run compilemessages)", source))
    assert problems == []
