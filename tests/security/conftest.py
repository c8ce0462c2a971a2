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
    review_application: object = None  # recommended, through the province official's province (preliminary:*,
    # and formal:* — it awaits the Ministry's formal review)
    recommendation_document: object = None  # its stored letter (preliminary:document_download)
    application: object = None  # the city's application, submitted once and returned (revision 1)
    attachment: object = None  # one of its files
    open_batch: object = None  # a batch the city has not started an application in
    year_schedule: object = None  # an entered holiday schedule, 2027 (workdays:edit)
    expert: object = None  # the expert role's account entered in the pool (experts:*)
    panel_draw: object = None  # a panel drawn for the review application's group (experts:panel*)
    site_inspection: object = None  # of panel_draw's application, with one stored file (defence:inspection*)
    inspection_file: object = None
    defence_slot: object = None  # a held defence before a panel the expert role sits on, signed (defence:score)
    title: object = None  # 昆明's 2021 title (titles:certificate_issue; portal:city is its city)
    published_document: object = None  # a published announcement (portal:document_download)
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
    site_inspection, inspection_file, defence_slot = _defence_world(officer, panel_draw, expert)
    ids |= {site_inspection.pk, inspection_file.pk, defence_slot.pk, defence_slot.panel_id}
    title, published_document = _title_and_publication(officer)
    ids |= {title.pk, published_document.pk}
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
        year_schedule=year_schedule, expert=expert, panel_draw=panel_draw, site_inspection=site_inspection,
        inspection_file=inspection_file, defence_slot=defence_slot,
        title=title, published_document=published_document,
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


def _title_and_publication(officer):
    """昆明's 2021 title (loaded with the record of titles) and a published announcement (portal:*)."""
    from icdc.documents.services import publish_document
    from icdc.titles.models import Title

    title = Title.objects.get(city_id="530100", batch_year=2021)
    document = publish_document(kind="announcement", fmt="pdf", title="<b>公告</b>（测试）",
                                content=b"%PDF-1.4\n%sweep\n%%EOF\n", subject="decisions.announcement:1",
                                number="工信部公告〔2099〕1号", user=officer)
    return title, document


def _pool_expert(role_users):
    """The expert role's account entered in the pool (its declarations page names an open batch)."""
    from icdc.accounts.models import Role
    from tests.review.factories import expert

    return expert(account=role_users[Role.EXPERT])


def _panel_draw(officer, application):
    """Two experts far from the application's province, and a panel of one (one reserve) drawn for its
    group, from a second application of the batch (淄博) that passed formal review (the review
    application itself stays in the formal-review queue: formal:*)."""
    from icdc.review.panels import panel_draw
    from tests.applications import factories_review as fr
    from tests.factories import division
    from tests.review.factories import expert, passed_formal_review

    passed_formal_review(fr.recommended(batch_obj=application.batch, city_obj=fr.city("370300", "淄博市")), officer)

    for code in ("440100", "330100"):
        expert(name="抽取专家", city=division(code), employer=f"单位{code}")
    return panel_draw(batch=application.batch, group=application.type_code, size=1, reserves=1, user=officer,
                      seed="sweep")


def _defence_world(officer, panel, expert):
    """A site inspection of ``panel``'s application with a stored file; and a second batch whose only
    application (南京) is reviewed by a panel of the whole pool (the expert role's account included,
    signed), with a held defence slot."""
    import datetime

    from django.utils import timezone

    from icdc.review.inspections import site_inspection_create, site_inspection_file_upload
    from icdc.review.models import Declaration, DefenceSlot
    from icdc.review.panels import panel_draw
    from tests.applications import factories_review as fr
    from tests.applications.appform_factories import pdf_file

    inspection = site_inspection_create(panel=panel, application=panel.application_ids[0],
                                        date=datetime.date(2027, 3, 10), officials="王处长", user=officer,
                                        findings="<b>考察意见</b>")
    file = site_inspection_file_upload(inspection=inspection, uploaded_file=pdf_file("考察纪要.pdf"), user=officer)
    from tests.review.factories import passed_formal_review

    application = passed_formal_review(fr.recommended(batch_obj=fr.batch(), city_obj=fr.city("320100", "南京市")),
                                       officer)
    own = panel_draw(batch=application.batch, group=application.type_code, size=3, reserves=0, user=officer,
                     seed="sweep-defence")
    assert expert.pk in own.members, "the expert role's account must sit on the defence panel"
    Declaration.objects.create(expert=expert, batch=application.batch, text_version="sweep", text_sha256="0" * 64,
                               signed_at=timezone.now())
    start = timezone.now() - datetime.timedelta(hours=2)
    slot = DefenceSlot.objects.create(panel=own, application=application, starts_at=start,
                                      ends_at=start + datetime.timedelta(minutes=30), mode="online",
                                      meeting_link="https://meeting.example.cn/1", status="held", scheduled_by=officer)
    return inspection, file, slot


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
