"""The platform's URL surface, enumerated from the resolver, with path values to fill it.

Every URL pattern of the project is listed (``admin/`` only for the few pages named in
``ADMIN_PAGES``; ``static`` never). Each pattern becomes one *good* URL (its converters filled
with real objects from the ``world`` fixture) and *guessed* URLs: one converter at a time
replaced by a junk value — another object's id, 0, 999999, an id too large for the column,
path traversal, a NUL byte, a very long string, Chinese text, SQL and markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, StringConverter

#: Admin pages fuzzed besides the platform's own: the division admin (accounts are not on the
#: admin site), the index and app list, and Django's admin shortcuts that take ids from the URL.
ADMIN_PAGES = re.compile(
    r"^admin:(index|login|password_change|autocomplete|view_on_site|app_list|catch_all|object_redirect"
    r"|divisions_division_\w+)$"
)
#: POSTs that end the session or change what the following requests can see; the sweeps
#: send them after everything else (and log the client in again).
LAST = ("accounts:logout", "admin:logout", "indicators:version_publish", "indicators:version_delete", "batches:open",
        "applications:attachment_remove", "applications:submit", "applications:withdraw", "scoring:window_close")

JUNK_INT = ["0", "999999", "2147483648", "9223372036854775808", "1" + "0" * 30]
JUNK_STR = [
    "..", "../../etc/passwd", "%00", "\x00", "x" * 3000, "中文路径测试", "' OR 1=1--", '"; DROP TABLE x;--',
    "<script>alert(1)</script>", "{{7*7}}", " ", "comp", "LIFE", "370000", "999999", "²", "-1",
]
JUNK = {IntConverter: JUNK_INT, StringConverter: JUNK_STR, PathConverter: JUNK_STR + ["1/2/3", "a/../../b"]}


@dataclass(frozen=True)
class Endpoint:
    name: str  # namespaced URL name, e.g. "rankings:run_track"
    route: str  # the pattern's route, e.g. "rankings/runs/<int:pk>/<str:track>/"
    converters: dict = field(default_factory=dict, hash=False, compare=False)  # kwarg → converter
    regex_groups: tuple = ()  # named groups of a regex pattern (admin's app_list, catch-all)

    def build(self, values: dict) -> str:
        path = self.route
        for name, value in values.items():
            path = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", lambda _m, v=value: quote(str(v), safe=""),
                          path, count=1)
        return "/" + path.rstrip("$")


def _walk(resolver, route="", namespace=(), converters=None):
    for pattern in resolver.url_patterns:
        text = str(pattern.pattern)
        convs = {**(converters or {}), **pattern.pattern.converters}
        if isinstance(pattern, URLResolver):
            ns = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from _walk(pattern, route + text.lstrip("^"), ns, convs)
        elif isinstance(pattern, URLPattern):
            unnamed = "catch_all" if "(?P<url>" in text else "object_redirect"  # admin's two unnamed kinds
            name = ":".join((*namespace, pattern.name or unnamed))
            yield name, route + text.lstrip("^"), convs


def endpoints() -> list[Endpoint]:
    """Every URL pattern of the project (admin: only ``ADMIN_PAGES``)."""
    out = []
    for name, route, convs in _walk(get_resolver()):
        if route.startswith("static") or (name.startswith("admin:") and not ADMIN_PAGES.match(name)):
            continue
        if name == "admin:object_redirect" and not route.startswith(("admin/accounts/", "admin/divisions/")):
            continue
        groups = tuple(re.findall(r"\(\?P<(\w+)>", route))
        out.append(Endpoint(name, route, convs, groups))
    ordered = sorted(out, key=lambda e: (e.name in LAST, LAST.index(e.name) if e.name in LAST else 0))
    return ordered


def good_values(world) -> dict:
    """Path values that name real objects, by URL name (else by keyword)."""
    run, version, indicator = world.run, world.draft, world.indicator
    decisions = {"pk": run.pk, "track": world.track, "city_code": world.city_code}
    by_name = {
        "audit:detail": {"seq": world.audit_seq},
        "audit:verify_run": {"run_id": world.verification_run},
        "indicators:indicator_edit": {"pk": indicator.pk},
        "indicators:figure_correct": {"pk": world.figure.pk},
        "notifications:open": {"pk": world.notification.pk},
        "preliminary:document_download": {"pk": world.recommendation_document.pk},
        "preliminary:ranking": {"batch_pk": world.review_application.batch_id},
                "experts:detail": {"pk": world.expert.pk},
        "experts:edit": {"pk": world.expert.pk},
        "experts:declaration": {"batch_pk": world.review_application.batch_id},
        "experts:panels": {"batch_pk": world.panel_draw.batch_id},
        "experts:panel_draw": {"batch_pk": world.panel_draw.batch_id},
        "experts:panel_decline": {"pk": world.panel_draw.pk},
        # expert scoring (issue 14 items 4–5): the sweep's panel holds the review application; the
        # application's file belongs to another application (an expert never reaches it: 404)
        "scoring:sheet": {"panel_pk": world.panel_draw.pk, "application_pk": world.review_application.pk},
        "scoring:opinion": {"panel_pk": world.panel_draw.pk, "application_pk": world.review_application.pk},
        "scoring:attachment": {"panel_pk": world.panel_draw.pk, "application_pk": world.review_application.pk,
                               "attachment_pk": world.attachment.pk},
        "scoring:export": {"panel_pk": world.panel_draw.pk},
        "scoring:window": {"batch_pk": world.panel_draw.batch_id},
        "scoring:window_close": {"batch_pk": world.panel_draw.batch_id},
        "scoring:progress": {"batch_pk": world.panel_draw.batch_id},
        "scoring:remind": {"batch_pk": world.panel_draw.batch_id},
        "defence:panel": {"pk": world.panel_draw.pk},
        "defence:schedule": {"pk": world.panel_draw.pk},
        "defence:conflicts": {"pk": world.panel_draw.pk},
        "defence:inspection_new": {"pk": world.panel_draw.pk},
        "defence:mark": {"pk": world.defence_slot.pk},
        "defence:score": {"pk": world.defence_slot.pk},
        "defence:panel_export": {"batch_pk": world.panel_draw.batch_id},
        "defence:score_export": {"batch_pk": world.panel_draw.batch_id},
        "defence:inspection": {"pk": world.site_inspection.pk},
        "defence:inspection_findings": {"pk": world.site_inspection.pk},
        "defence:inspection_upload": {"pk": world.site_inspection.pk},
        "defence:inspection_file": {"pk": world.inspection_file.pk},
        "indicators:ahp_scope": {"pk": version.pk, "system_code": "COMP", "scope": world.dimension_code},
        "admin:view_on_site": {"content_type_id": world.user_ct, "object_id": world.someone.pk},
        "admin:app_list": {"app_label": "divisions"},
        "workdays:edit": {"year": world.year_schedule.year},
        "titles:certificate_issue": {"pk": world.title.pk},
        "portal:city": {"city_code": world.title.city_id},
        "portal:document_download": {"pk": world.published_document.pk},
        # the language links: Chinese, the default, so a sweep that follows it keeps its pages' language
        "portal:language": {"code": "zh-hans"},
        "admin:catch_all": {"url": "no/such/page/"},
        "captcha-image": {"key": world.captcha_key},
        "captcha-image-2x": {"key": world.captcha_key},
        "decisions:proposal_transition": {"pk": world.proposal.pk, "name": "approve"},
        "decisions:objection_transition": {"pk": world.objection.pk, "name": "investigate"},
        "decisions:objection_download": {"pk": world.objection.pk, "file_pk": world.objection_file.pk},
        "public_notices:notice_document": {"pk": world.proposal.pk, "doc_pk": world.notice_document.pk},
    }
    applications = {"pk": world.application.pk, "batch_pk": world.open_batch.pk, "key": "summary",
                    "attachment_pk": world.attachment.pk, "number": 1, "other": 1}
    by_kwarg = {"pk": version.pk, "system_code": "COMP", "object_id": world.someone.pk}

    def values(endpoint):
        if endpoint.name in by_name:
            return by_name[endpoint.name]
        if endpoint.name.startswith("batches:"):
            return {k: world.programme_definition.pk if k == "programme_pk" else world.batch.pk
                    for k in endpoint.converters}
        if endpoint.name.startswith("accounts:manage:"):
            return {k: world.someone.pk for k in endpoint.converters}
        if endpoint.name.startswith("rankings:"):
            return {k: decisions[k] for k in endpoint.converters}
        if endpoint.name.startswith(("preliminary:", "formal:")):
            return {k: world.review_application.pk for k in endpoint.converters}
        if endpoint.name.startswith(("decisions:proposal", "public_notices:")):
            return {k: world.proposal.pk for k in endpoint.converters}
        if endpoint.name.startswith("decisions:objection"):
            return {k: world.objection.pk for k in endpoint.converters}
        if endpoint.name.startswith("applications:"):
            return {k: applications[k] for k in endpoint.converters}
        if endpoint.name.startswith("admin:divisions_division") or endpoint.route.startswith("admin/divisions/"):
            return {"object_id": world.city_code}
        return {k: by_kwarg[k] for k in endpoint.converters}

    return values


@dataclass(frozen=True)
class Target:
    endpoint: Endpoint
    good_url: str
    guesses: tuple  # (url, kind): kind "id" for another id or a number, "text" for the rest


def targets(world) -> list[Target]:
    """One ``Target`` per endpoint: its good URL and every guessed variant of it."""
    values_of = good_values(world)
    other_ids = [str(i) for i in world.all_ids]
    out = []
    for endpoint in endpoints():
        good = values_of(endpoint)
        guesses = []
        for kwarg, converter in endpoint.converters.items():
            is_int = isinstance(converter, IntConverter)
            kind_of = next(k for k in (IntConverter, PathConverter, StringConverter) if isinstance(converter, k))
            junk = JUNK[kind_of] + (other_ids if is_int else [])
            for value in dict.fromkeys(junk):
                if str(value) != str(good[kwarg]):
                    kind = "id" if is_int or str(value).isdigit() else "text"
                    guesses.append((endpoint.build({**good, kwarg: value}), kind))
        for group in endpoint.regex_groups:
            if group in good:
                for value in ("auth", "nosuchapp", "x" * 500, "' OR 1=1--"):
                    guesses.append((endpoint.build({**good, group: value}), "text"))
        out.append(Target(endpoint, endpoint.build(good), tuple(guesses)))
    return out
