"""访问控制: each object page belongs to one role. Every other role gets 403 (or 404) for the
real object and the same answer for a guessed id, so an id cannot even be probed; anonymous
is sent to log in; the owner gets 404 for a guessed id. Never a 200 for someone else."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from tests.security.conftest import ANONYMOUS, Recorder, roles

GUESS = 999999


@dataclass(frozen=True)
class Page:
    name: str
    owner: Role
    method: str = "get"
    ok: int = 200
    #: Replaces the last URL argument (e.g. another transition name on the same URL).
    variant: str = ""


PAGES = [
    Page("rankings:run_detail", Role.MINISTRY_OFFICER, ok=302),
    Page("rankings:run_track", Role.MINISTRY_OFFICER),
    Page("rankings:city_explanation", Role.MINISTRY_OFFICER),
    Page("rankings:export_ranking", Role.MINISTRY_OFFICER),
    Page("rankings:export_explanation", Role.MINISTRY_OFFICER),
    Page("rankings:reproduce", Role.MINISTRY_OFFICER, "post", 302),
    Page("rankings:run_leniency", Role.MINISTRY_OFFICER),
    Page("indicators:version_detail", Role.MINISTRY_OFFICER),
    Page("indicators:version_yaml", Role.MINISTRY_OFFICER),
    Page("indicators:weights_edit", Role.MINISTRY_OFFICER),
    Page("indicators:ahp", Role.MINISTRY_OFFICER),
    Page("indicators:ahp_scope", Role.MINISTRY_OFFICER),
    Page("indicators:indicator_edit", Role.MINISTRY_OFFICER),
    Page("indicators:version_new", Role.MINISTRY_OFFICER, "post", 302),
    Page("audit:detail", Role.AUDIT_ADMIN),
    Page("accounts:manage:detail", Role.SYSTEM_ADMIN),
    Page("accounts:manage:edit", Role.SYSTEM_ADMIN),
    Page("accounts:manage:reset_password", Role.SYSTEM_ADMIN),
    Page("accounts:manage:deactivate", Role.SYSTEM_ADMIN),
    Page("admin:divisions_division_change", Role.SYSTEM_ADMIN),
    Page("notifications:open", Role.CITY_APPLICANT, "post", 302),  # the recipient's own only
    Page("batches:detail", Role.MINISTRY_OFFICER),  # a draft: cities and provinces see only open batches
    Page("batches:edit", Role.MINISTRY_OFFICER),
    Page("batches:create", Role.MINISTRY_OFFICER),
    Page("batches:open", Role.MINISTRY_OFFICER),  # GET: the confirmation page, nothing done
    Page("batches:close", Role.MINISTRY_OFFICER),
    Page("batches:start_review", Role.MINISTRY_OFFICER),
    Page("preliminary:province_detail", Role.PROVINCIAL_OFFICIAL),
    Page("preliminary:letter_draft", Role.PROVINCIAL_OFFICIAL),
    Page("preliminary:ranking", Role.PROVINCIAL_OFFICIAL),
    Page("preliminary:ministry_detail", Role.MINISTRY_OFFICER),
    Page("workdays:edit", Role.MINISTRY_OFFICER),  # the year 999999 is no year: 404
    Page("experts:detail", Role.MINISTRY_OFFICER),
    Page("experts:edit", Role.MINISTRY_OFFICER),
    Page("experts:declaration", Role.EXPERT),  # the expert's own signature, for an open batch
    Page("experts:panels", Role.MINISTRY_OFFICER),
    Page("experts:panel_draw", Role.MINISTRY_OFFICER, "post", 302),  # no valid form: back to the list
    Page("experts:panel_decline", Role.MINISTRY_OFFICER, "post", 302),
    Page("formal:review", Role.MINISTRY_OFFICER),  # the checklist beside the dossier
    Page("formal:review", Role.MINISTRY_OFFICER, "post", 302),  # no action chosen: back to the page
    Page("scoring:window", Role.MINISTRY_OFFICER),
    Page("scoring:window_close", Role.MINISTRY_OFFICER),  # GET: the confirmation page, nothing done
    Page("scoring:progress", Role.MINISTRY_OFFICER),
    Page("scoring:remind", Role.MINISTRY_OFFICER, "post", 302),
    Page("scoring:export", Role.MINISTRY_OFFICER, ok=302),  # the sweep's batch has no indicator version: back, with why
    Page("defence:panel", Role.MINISTRY_OFFICER),
    Page("defence:schedule", Role.MINISTRY_OFFICER, "post", 422),  # no valid form: the page with its errors
    Page("defence:conflicts", Role.MINISTRY_OFFICER),
    Page("defence:inspection_new", Role.MINISTRY_OFFICER),
    Page("defence:mark", Role.MINISTRY_OFFICER, "post", 302),
    Page("defence:panel_export", Role.MINISTRY_OFFICER),
    Page("defence:score_export", Role.MINISTRY_OFFICER),
    # the expert role's account is not on this panel: 404 for it, as for a guessed id
    Page("defence:inspection", Role.MINISTRY_OFFICER),
    Page("defence:inspection_findings", Role.MINISTRY_OFFICER, "post", 302),
    Page("defence:inspection_upload", Role.MINISTRY_OFFICER, "post", 302),
    Page("defence:inspection_file", Role.MINISTRY_OFFICER),
    Page("defence:score", Role.EXPERT),  # a held defence of a panel it sits on, signed
    Page("titles:certificate_issue", Role.MINISTRY_OFFICER),  # GET: the confirmation page, nothing published
    Page("decisions:proposal_detail", Role.MINISTRY_OFFICER),
    Page("decisions:proposal_edit", Role.MINISTRY_OFFICER, "post", 302),  # not a draft: refused, back to the page
    Page("decisions:proposal_transition", Role.MINISTRY_OFFICER, "post", 302),
    # 撤回审批 on the published list: refused (no reason, and published), back to the page
    Page("decisions:proposal_transition", Role.MINISTRY_OFFICER, "post", 302, variant="withdraw_approval"),
    Page("decisions:objection_detail", Role.MINISTRY_OFFICER),
    Page("decisions:objection_note", Role.MINISTRY_OFFICER, "post", 302),
    Page("decisions:objection_upload", Role.MINISTRY_OFFICER, "post", 302),
    Page("decisions:objection_transition", Role.MINISTRY_OFFICER, "post", 302),
    Page("decisions:objection_download", Role.MINISTRY_OFFICER),
]


def _urls(world, page):
    """(real url, guessed url): the page of a real object and of an id that does not exist."""
    run, version = world.run, world.draft
    args = {
        "rankings:run_track": [run.pk, world.track],
        "rankings:city_explanation": [run.pk, world.track, world.city_code],
        "rankings:export_explanation": [run.pk, world.track, world.city_code],
        "indicators:weights_edit": [version.pk, "COMP"],
        "indicators:ahp": [version.pk, "COMP"],
        "indicators:ahp_scope": [version.pk, "COMP", world.dimension_code],
        "indicators:indicator_edit": [world.indicator.pk],
        "audit:detail": [world.audit_seq],
        "admin:divisions_division_change": [world.city_code],
        "notifications:open": [world.notification.pk],
        "batches:detail": [world.batch.pk], "batches:edit": [world.batch.pk], "batches:open": [world.batch.pk],
        "batches:close": [world.batch.pk], "batches:start_review": [world.batch.pk],
        "batches:create": [world.programme_definition.pk],
        "preliminary:province_detail": [world.review_application.pk],
        "preliminary:letter_draft": [world.review_application.pk],
        "preliminary:ranking": [world.review_application.batch_id],
        "preliminary:ministry_detail": [world.review_application.pk],
        "workdays:edit": [world.year_schedule.year],
        "experts:detail": [world.expert.pk], "experts:edit": [world.expert.pk],
        "experts:declaration": [world.review_application.batch_id],
        "experts:panels": [world.panel_draw.batch_id], "experts:panel_draw": [world.panel_draw.batch_id],
        "experts:panel_decline": [world.panel_draw.pk],
        "formal:review": [world.review_application.pk],
        "scoring:window": [world.panel_draw.batch_id], "scoring:window_close": [world.panel_draw.batch_id],
        "scoring:progress": [world.panel_draw.batch_id], "scoring:remind": [world.panel_draw.batch_id],
        "scoring:export": [world.panel_draw.pk],
        "defence:panel": [world.panel_draw.pk], "defence:schedule": [world.panel_draw.pk],
        "defence:conflicts": [world.panel_draw.pk], "defence:inspection_new": [world.panel_draw.pk],
        "defence:mark": [world.defence_slot.pk], "defence:score": [world.defence_slot.pk],
        "defence:panel_export": [world.panel_draw.batch_id], "defence:score_export": [world.panel_draw.batch_id],
        "defence:inspection": [world.site_inspection.pk], "defence:inspection_findings": [world.site_inspection.pk],
        "defence:inspection_upload": [world.site_inspection.pk], "defence:inspection_file": [world.inspection_file.pk],
        "titles:certificate_issue": [world.title.pk],
        "decisions:proposal_detail": [world.proposal.pk], "decisions:proposal_edit": [world.proposal.pk],
        "decisions:proposal_transition": [world.proposal.pk, "approve"],
        "decisions:objection_detail": [world.objection.pk], "decisions:objection_note": [world.objection.pk],
        "decisions:objection_upload": [world.objection.pk],
        "decisions:objection_transition": [world.objection.pk, "investigate"],
        "decisions:objection_download": [world.objection.pk, world.objection_file.pk],
    }.get(page.name) or [run.pk if page.name.startswith("rankings:") else
                         world.someone.pk if page.name.startswith(("admin:", "accounts:")) else version.pk]
    if page.variant:
        args = [*args[:-1], page.variant]
    real = reverse(page.name, args=args)
    guessed = reverse(page.name, args=[GUESS, *args[1:]])
    return real, guessed


def _path(response):
    return urlsplit(response["Location"]).path if response.status_code == 302 else ""


@pytest.mark.parametrize("role", roles())
def test_only_the_owner_opens_an_object_and_guessed_ids_are_refused(world, quiet_request_log, role):
    recorder = Recorder(world, role)
    wrong = []
    for page in PAGES:
        real_url, guessed_url = _urls(world, page)
        real = recorder.request(page.method, real_url)
        guessed = recorder.request(page.method, guessed_url)
        admin = page.name.startswith("admin:")
        if role == page.owner:
            expected = (real.status_code == page.ok
                        and (guessed.status_code == 404 or (admin and _path(guessed) == reverse("admin:index"))))
        elif role == ANONYMOUS or (admin and role != Role.SYSTEM_ADMIN):
            login = reverse("admin:login") if admin else reverse("accounts:login")
            expected = _path(real) == login and _path(guessed) == login  # not staff: the admin's own login
        else:  # logged in, not the owner: refused, and refused the same way whether the id exists or not
            expected = real.status_code in (403, 404) and guessed.status_code == real.status_code
        if not expected:
            wrong.append((page.name, page.variant, real.status_code, _path(real), guessed.status_code, _path(guessed)))
    assert recorder.failures == [], recorder.report()
    assert wrong == []


def test_a_city_user_cannot_open_the_ministrys_scoring_run(world, client):
    client.force_login(world.users[Role.CITY_APPLICANT])
    for url in (reverse("rankings:run_track", args=[world.run.pk, world.track]),
                reverse("rankings:city_explanation", args=[world.run.pk, world.track, world.city_code]),
                reverse("rankings:export_ranking", args=[world.run.pk])):
        response = client.get(url)
        assert response.status_code == 403
        assert world.run.label not in response.content.decode()


def test_the_system_administrator_cannot_open_an_audit_record(world, client):
    from icdc.audit.models import AuditRecord

    client.force_login(world.users[Role.SYSTEM_ADMIN])
    before = AuditRecord.objects.count()
    for seq in (world.audit_seq, GUESS, 0):
        assert client.get(reverse("audit:detail", args=[seq])).status_code == 403
    assert client.get(reverse("audit:list")).status_code == 403
    assert client.post(reverse("audit:export"), {"format": "csv"}).status_code == 403
    # Each refusal is itself recorded (one record per denial), and no record was shown.
    assert AuditRecord.objects.count() == before + 5
