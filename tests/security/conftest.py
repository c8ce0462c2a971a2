"""The security suite's world: real divisions, the draft indicators, a demo scoring run,
an editable draft, audit records and one user per role — and a recording HTTP client."""

from __future__ import annotations

import io
import logging
import os
import traceback
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

ANONYMOUS = "anonymous"
_REQUESTS = {}  # test file → requests made by its recorders, for the terminal summary


@dataclass
class World:
    users: dict
    run: object
    locked: object  # the version the demo run scored
    draft: object  # an editable draft derived from it
    indicator: object
    dimension_code: str
    track: str
    city_code: str
    audit_seq: int
    user_ct: int
    someone: object
    all_ids: list = field(default_factory=list)
    figure: object = None  # one statistics figure (the correction page names it)
    verification_run: int = 0  # an audit integrity check, finished (audit:verify_run)
    notification: object = None  # a message to the city applicant (notifications:open)
    batch: object = None  # a draft batch (batches:*)
    programme_definition: object = None  # the loaded programme definition (batches:create)
    review_application: object = None  # recommended, through the province official's province (preliminary:*)
    recommendation_document: object = None  # its stored letter (preliminary:document_download)
    application: object = None  # the city's application, submitted once and returned (revision 1)
    attachment: object = None  # one of its files
    open_batch: object = None  # a batch the city has not started an application in
    year_schedule: object = None  # an entered holiday schedule, 2027 (workdays:edit)
    expert: object = None  # the expert role's account entered in the pool (experts:*)
    panel_draw: object = None  # a panel drawn for the review application's group (experts:panel*)
    proposal: object = None  # a proposal from the run, approved and in public notice (decisions:*, public_notices:*)
    objection: object = None  # an objection to it, with one evidence file (decisions:objection_*)
    objection_file: object = None
    notice_document: object = None  # the notice's published PDF (public_notices:notice_document)
    captcha_key: str = ""  # a CAPTCHA challenge (captcha-image)


@pytest.fixture
def divisions_loaded(db):
    call_command("load_divisions", verbosity=0, stdout=io.StringIO())


def _application_world(role_users, draft_version):
    """A Jinan application (the city role's) filled, submitted and returned by the province role, so
    it has a frozen revision and is editable again; and an open batch not yet started."""
    from icdc.accounts.models import Role
    from icdc.applications import services
    from tests.applications import appform_factories

    city = role_users[Role.CITY_APPLICANT]
    application = appform_factories.fill(
        appform_factories.started(city, appform_factories.batch(indicator_version=draft_version)), city)
    services.application_submit(application=application, user=city)
    services.application_return(application=application, user=role_users[Role.PROVINCIAL_OFFICIAL], reasons="补充")
    application.refresh_from_db()
    return application, application.attachments.order_by("pk").first(), appform_factories.batch()


@pytest.fixture
def world(divisions_loaded, role_users, draft_version, settings, tmp_path):
    from django.contrib.contenttypes.models import ContentType

    from icdc.accounts.models import Role, User
    from icdc.audit.services import record_event
    from icdc.indicators import services as indicator_services
    from icdc.indicators.models import Indicator
    from icdc.rankings.demo import create_demo_run

    officer = role_users[Role.MINISTRY_OFFICER]
    run, _created = create_demo_run(officer)
    draft = indicator_services.new_version_from(version=draft_version, user=officer, label="fuzz-draft")
    indicator = Indicator.objects.filter(version=draft, dimension__system__code="COMP").order_by("id").first()
    records = [
        record_event(action="test.fuzz", user=officer, object_type="indicators.indicator", object_id=str(n),
                     object_repr=f"指标 {n}", before={"weight": n}, after={"weight": n + 1}, detail="<b>详情</b>")
        for n in range(3)
    ]
    city_code = run.city_results.order_by("rank").values_list("city_id", flat=True).first()
    from django.utils import timezone

    from icdc.indicators.models import StatisticFigure

    figure = StatisticFigure.objects.create(city_id=city_code, year=2020, indicator_code=indicator.code, value=1,
                                            unit="个", source="nbs", entered_by=officer, entered_at=timezone.now())
    from icdc.audit.verify_runs import verification_run_execute, verification_run_start

    check = verification_run_start(user=role_users[Role.AUDIT_ADMIN])
    verification_run_execute(run_id=check.pk)  # a no-op if the task backend already ran it
    from icdc.notifications.models import Notification

    notification = Notification.objects.create(recipient=role_users[Role.CITY_APPLICANT], kind="test.fuzz",
                                               title="<b>消息</b>", body="正文", link="/accounts/me/")
    batch, definition = _draft_batch(officer)
    from tests.applications.factories_review import review_world

    settings.MEDIA_ROOT = str(tmp_path / "media")  # the recommendation letter and attachments are stored there
    review_application, recommendation_document = review_world(role_users)
    ids = {run.pk, batch.pk, draft_version.pk, draft.pk, indicator.pk, records[0].seq, *(u.pk for u in role_users.values()),
           review_application.pk}
    application, attachment, open_batch = _application_world(role_users, draft_version)
    ids |= {run.pk, draft_version.pk, draft.pk, indicator.pk, records[0].seq, *(u.pk for u in role_users.values()),
           application.pk, attachment.pk}
    year_schedule = _year_schedule_and_titles(officer)
    expert = _pool_expert(role_users)  # experts:* (expert pool, declarations)
    ids.add(expert.pk)
    panel_draw = _panel_draw(officer, review_application)
    ids.add(panel_draw.pk)
    proposal, objection = _notice_world(role_users, run, batch)
    ids |= {proposal.pk, objection.pk}
    return World(
        users=role_users, run=run, locked=draft_version, draft=draft, indicator=indicator,
        dimension_code=indicator.dimension.code, track=run.tracks[0], city_code=city_code,
        audit_seq=records[-1].seq, user_ct=ContentType.objects.get_for_model(User).pk,
        someone=role_users[Role.CITY_APPLICANT], all_ids=sorted(ids), figure=figure, verification_run=check.pk,
        notification=notification, batch=batch, programme_definition=definition,
        review_application=review_application, recommendation_document=recommendation_document,
        application=application, attachment=attachment, open_batch=open_batch,
        year_schedule=year_schedule, expert=expert, panel_draw=panel_draw,
        proposal=proposal, objection=objection, objection_file=objection.files.get(),
        notice_document=proposal_document(proposal), captcha_key=_captcha_key(),
    )


def _captcha_key():
    from captcha.models import CaptchaStore

    return CaptchaStore.generate_key()


def _notice_world(role_users, run, batch):
    """A proposal from the demo run, approved by a second officer and published now (the library
    knows the current year), and one objection to it with an evidence file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from icdc.accounts.models import Role
    from icdc.decisions import services
    from tests.factories import make_user

    officer = role_users[Role.MINISTRY_OFFICER]
    checker = make_user(Role.MINISTRY_OFFICER, username="sweep-checker")
    proposal = services.proposal_create(batch=batch, run=run, user=officer)
    services.proposal_transition(proposal=proposal, name="submit", user=officer)
    services.proposal_transition(proposal=proposal, name="approve", user=checker)
    proposal = services.proposal_transition(proposal=proposal, name="publish", user=checker)
    city = services.objection_cities(proposal).first()
    evidence = SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    objection = services.objection_file(proposal=proposal, filer_kind="person", name="<b>张三</b>",
                                        unit_name="", contact="13800000000", city=city,
                                        facts="<script>alert(1)</script>", files=[evidence])
    return proposal, objection


def proposal_document(proposal):
    from icdc.documents.models import PublishedDocument
    from icdc.documents.services import subject_of

    return PublishedDocument.objects.filter(subject=subject_of(proposal), format="pdf").first()


def _year_schedule_and_titles(officer):
    """A 2027 holiday schedule entered by the officer (workdays:*) and the record of titles (titles:list)."""
    import datetime

    from icdc.workdays.services import year_schedule_save

    call_command("load_titles", stdout=io.StringIO(), stderr=io.StringIO())
    return year_schedule_save(year=2027, holidays=[datetime.date(2027, 1, 1)], working_days=[],
                              note="<b>国办发明电</b>（测试）", user=officer)


def _pool_expert(role_users):
    """The expert role's account entered in the pool (its declarations page names an open batch)."""
    from icdc.accounts.models import Role
    from tests.review.factories import expert

    return expert(account=role_users[Role.EXPERT])


def _panel_draw(officer, application):
    """Two experts far from the application's province, and a panel of one (one reserve) drawn for its group."""
    from icdc.review.panels import panel_draw
    from tests.factories import division
    from tests.review.factories import expert

    for code in ("440100", "330100"):
        expert(name="抽取专家", city=division(code), employer=f"单位{code}")
    return panel_draw(batch=application.batch, group=application.type_code, size=1, reserves=1, user=officer,
                      seed="sweep")


def _draft_batch(officer):
    """A draft batch of the shipped programme (the Ministry's own until it opens)."""
    import datetime

    from django.utils import timezone

    from icdc.batches.services import batch_create
    from icdc.programmes.selectors import DEFAULT_CODE, shipped_programme
    from icdc.programmes.services import programme_definition_load

    definition, _created = programme_definition_load(programme=shipped_programme(DEFAULT_CODE))
    now = timezone.now()
    batch = batch_create(programme=definition, year=2099, opens_on=now.date(),
                         city_deadline=now + datetime.timedelta(days=20),
                         province_deadline=now + datetime.timedelta(days=30), quotas={"COMP": 5},
                         indicator_version=None, user=officer)  # cannot open: the sweep changes nothing
    return batch, definition


@pytest.fixture
def quiet_request_log():
    """Thousands of expected 4xx log warnings, and refused hostile input (DisallowedRedirect, …)
    logs errors; failures are collected with their tracebacks by ``Recorder`` instead."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security.csrf", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


class Recorder:
    """A test client per role that never raises: every answer ≥ 500 is kept with its traceback,
    and so is every redirect off the site (``next=//evil.example/`` and the like)."""

    def __init__(self, world, role, **client_kwargs):
        self.world, self.role = world, role
        self.client = Client(raise_request_exception=False, **client_kwargs)
        self.requests = 0
        self.failures = []
        self.login()

    def login(self):
        if self.role != ANONYMOUS:
            self.client.force_login(self.world.users[self.role])

    def request(self, method, url, data=None, *, htmx=False, **extra):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        if isinstance(data, bytes):  # a raw body, sent as it is whatever its declared type
            response = self.client.generic(method.upper(), url, data, **headers, **extra)
        elif method == "get":
            response = self.client.get(url, data, **headers, **extra)
        else:
            response = self.client.post(url, data if data is not None else {}, **headers, **extra)
        self.requests += 1
        test_file = os.environ.get("PYTEST_CURRENT_TEST", "?").split("::")[0].rsplit("/", 1)[-1]
        _REQUESTS[test_file] = _REQUESTS.get(test_file, 0) + 1
        status, tb = response.status_code, ""
        if response.streaming:  # an export fails while it streams, after the status was sent
            try:
                b"".join(response.streaming_content)
            except Exception:  # noqa: BLE001 — recorded as a failure below
                status, tb = "500 (while streaming)", traceback.format_exc()
            # no response.close() here: the test client's wrapper closed it when the stream ended,
            # without the request_finished signal that would close the database connection (on
            # PostgreSQL, inside the test's transaction)
        target = response.get("Location") or response.get("HX-Redirect") or ""
        if urlsplit(target).netloc not in ("", "testserver") or target.lower().startswith(("javascript:", "//")):
            status, tb = f"{status} open redirect to {target[:100]}", ""
        if isinstance(status, str) or status >= 500:
            exc = getattr(response, "exc_info", None)
            tb = tb or ("".join(traceback.format_exception(*exc)) if exc else "")
            self.failures.append({"role": str(self.role), "method": method.upper(), "url": url, "htmx": htmx,
                                  "data": _short(data), "status": status, "traceback": tb})
        return response

    def report(self):
        lines = []
        for f in self.failures:
            lines.append(f"{f['status']} {f['method']} {f['url'][:200]} as {f['role']} htmx={f['htmx']} "
                         f"data={f['data']}\n{f['traceback'][-1500:]}")
        return "\n".join(lines)


def _short(data):
    text = repr(data)
    return text if len(text) < 300 else text[:300] + "…"


def roles():
    from icdc.accounts.models import Role

    return [ANONYMOUS, *Role]


def pytest_terminal_summary(terminalreporter):
    if _REQUESTS:
        per_file = ", ".join(f"{name} {count}" for name, count in sorted(_REQUESTS.items()))
        terminalreporter.write_line(f"tests/security: {sum(_REQUESTS.values())} requests ({per_file})")
