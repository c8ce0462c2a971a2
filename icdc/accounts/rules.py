"""All permission rules of the platform, in one place (django-rules predicates).

Predicates read as sentences; views, templates, the API and tests use the same ones.
Permission names are ``<app>.<action>_<object>``.
"""

import rules

from .models import SERVER_MANAGED_ROLES, Role


def _has_role(role):
    @rules.predicate(name=f"is_{role.value}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.is_active and user.role == role)

    return predicate


is_city_applicant = _has_role(Role.CITY_APPLICANT)
is_provincial_official = _has_role(Role.PROVINCIAL_OFFICIAL)
is_ministry_officer = _has_role(Role.MINISTRY_OFFICER)
is_expert = _has_role(Role.EXPERT)
is_system_admin = _has_role(Role.SYSTEM_ADMIN)
is_audit_admin = _has_role(Role.AUDIT_ADMIN)


@rules.predicate
def is_official_of_city(user, division):
    """A city applicant, for their own city."""
    return is_city_applicant(user) and division is not None and user.division_id == division.pk


@rules.predicate
def is_official_of_province(user, division):
    """A provincial official, for their own province or a city in it."""
    if not is_provincial_official(user) or division is None or user.division_id is None:
        return False
    return division.pk == user.division_id or division.parent_id == user.division_id


@rules.predicate
def is_applicant_for(user, application):
    """A city applicant, for their own city's application."""
    return bool(is_city_applicant(user) and application is not None and user.division_id == application.city_id)


@rules.predicate
def is_preliminary_reviewer_for(user, application):
    """A provincial official of the province an application routes through (art. 10)."""
    return bool(is_provincial_official(user) and application is not None and application.route == "province"
                and user.division_id is not None and user.division_id == application.province_id)


@rules.predicate
def manages_batch(user, batch):
    """A Ministry officer, for any batch: they create, open, close and start review (SPEC §4).
    Two arguments, so the batch workflow can ask it as ``allowed(user, batch)``."""
    return bool(is_ministry_officer(user))


@rules.predicate
def is_past_draft(_user, application):
    return application is not None and application.submitted_at is not None


@rules.predicate
def has_reached_ministry(_user, application):
    return application is not None and application.arrived_at is not None


@rules.predicate
def is_editable_application(_user, application):
    from icdc.applications.workflow import EDITABLE

    return application is not None and application.status in EDITABLE


@rules.predicate
def is_withdrawn_application(user, application):
    return application is not None and application.status == "withdrawn"


#: For a transition that is only ever the consequence of another one (a batch opening locks its
#: indicator version): whoever may take the first may cause the second; no one takes it directly.
is_consequence_of_another_transition = rules.always_allow


# --- home pages (one per role) ------------------------------------------------------
rules.add_perm("home.view_city_home", is_city_applicant)
rules.add_perm("home.view_province_home", is_provincial_official)
rules.add_perm("home.view_ministry_home", is_ministry_officer)
rules.add_perm("home.view_expert_home", is_expert)
rules.add_perm("home.view_sysadmin_home", is_system_admin)
rules.add_perm("home.view_auditor_home", is_audit_admin)

# --- divisions ------------------------------------------------------------------------
rules.add_perm(
    "divisions.view_division_detail",
    is_ministry_officer
    | (is_city_applicant & is_official_of_city)
    | (is_provincial_official & is_official_of_province),
)
# Reference data is the system administrator's (Django admin, read-only listing).
rules.add_perm("divisions", is_system_admin)
rules.add_perm("divisions.view_division", is_system_admin)

# --- audit trail: the audit administrator only (三权分立) ------------------------------
rules.add_perm("audit.view_audit_trail", is_audit_admin)
rules.add_perm("audit.export_audit_trail", is_audit_admin)



@rules.predicate
def is_managed_in_app(user, account):
    """三权分立: the accounts of the system and audit administrator roles are created, changed,
    reset, unlocked and deactivated only by the server-side command (``manage.py admin_account``),
    so that no one inside the platform can make or take over an administrator's account. Without
    an account (the question "may they manage accounts at all?") the answer is yes."""
    return account is None or account.role not in SERVER_MANAGED_ROLES


# --- accounts: the system administrator only (三权分立: not the audit administrator) -----
# There is no delete: accounts are deactivated, so the audit trail keeps naming real accounts.
# The account pages are /accounts/manage/; the Django admin no longer shows accounts.
rules.add_perm("accounts.manage_accounts", is_system_admin)
rules.add_perm("accounts.view_user", is_system_admin)
rules.add_perm("accounts.add_user", is_system_admin)
rules.add_perm("accounts.change_user", is_system_admin & is_managed_in_app)

# --- indicators ---
# Indicator systems (SPEC §3) and official statistics are programme business: the Ministry
# officer edits and imports; other roles see indicators only through their own workflows.
rules.add_perm("indicators.view_indicator_system", is_ministry_officer)
rules.add_perm("indicators.change_indicator_system", is_ministry_officer)
rules.add_perm("indicators.view_statistics", is_ministry_officer)
rules.add_perm("indicators.import_statistics", is_ministry_officer)
# Correcting one official figure after its import (Art. 11) is its own act, with its own rule.
rules.add_perm("indicators.correct_statistics", is_ministry_officer)
rules.add_perm("indicators.export_statistics", is_ministry_officer)

# --- decisions (scoring runs) ---
# Rankings are the Ministry's business until they are published (SPEC §1, §4 "Ranking and
# decision"): only the Ministry officer sees, creates, re-checks and exports scoring runs.
rules.add_perm("rankings.view_scoring_run", is_ministry_officer)
rules.add_perm("rankings.create_scoring_run", is_ministry_officer)
rules.add_perm("rankings.reproduce_scoring_run", is_ministry_officer)
rules.add_perm("rankings.export_scoring_run", is_ministry_officer)

# --- the account holder's own account (我的账号): every active account, for itself only ---
# (password, second factor, recovery codes, own login history; never another account's)
rules.add_perm("accounts.manage_own_account", rules.is_authenticated & rules.is_active)

# --- batches (年度批次) ---
# The Ministry creates and opens batches; cities and provinces see the batches they take part in.
rules.add_perm("batches.view_batch", is_ministry_officer | is_city_applicant | is_provincial_official)
rules.add_perm("batches.change_batch", is_ministry_officer)

# --- applications (申报) and preliminary review (初审) ---
# A city sees and edits its own application; its province sees it once submitted (never a draft);
# the Ministry sees what has reached it (recommended, or submitted directly).
rules.add_perm("applications.start_application", is_city_applicant & is_official_of_city)
rules.add_perm("applications.view_application",
               is_applicant_for | (is_preliminary_reviewer_for & is_past_draft)
               | (is_ministry_officer & has_reached_ministry))
rules.add_perm("applications.change_application", is_applicant_for & is_editable_application)
# The city's own list of applications and the open batches it may start one in.
rules.add_perm("applications.view_city_applications", is_city_applicant)
rules.add_perm("applications.withdraw_application", is_applicant_for & ~is_withdrawn_application)
rules.add_perm("applications.review_application", is_preliminary_reviewer_for & is_past_draft)
rules.add_perm("applications.view_province_list", is_provincial_official)
rules.add_perm("applications.view_ministry_queue", is_ministry_officer)
rules.add_perm("applications.export_ministry_queue", is_ministry_officer)


# --- notifications (消息中心): every active account, its own notifications only ---------
@rules.predicate
def is_recipient_of(user, notification):
    """The account a notification was sent to."""
    return notification is not None and user.pk is not None and notification.recipient_id == user.pk


rules.add_perm("notifications.view_own_notifications", rules.is_authenticated & rules.is_active)
rules.add_perm("notifications.open_notification", rules.is_authenticated & rules.is_active & is_recipient_of)


# --- preliminary review pages (初审) and the Ministry's queue (issue 13 items 8–9) ---
@rules.predicate
def is_official_of_that_province(user, division):
    """A provincial official, for their own province-level unit only (not a city in it)."""
    return bool(is_provincial_official(user) and division is not None and user.division_id == division.pk)


rules.add_perm("applications.rank_recommendations", is_official_of_that_province)
# The roles that take part in an application (its city, its province, the Ministry) may open its
# recommendation letters; which ones is decided per application (``view_application``).
rules.add_perm("applications.view_recommendation_documents",
               is_city_applicant | is_provincial_official | is_ministry_officer)


# --- working days (节假日安排): the Ministry enters each year's official schedule ---------
rules.add_perm("workdays.manage_schedule", is_ministry_officer)


# --- titles (称号): the Ministry's records until the public portal shows them --------------
@rules.predicate
def manages_titles(user, title):
    """A Ministry officer, for any title: re-evaluation and revocation are the Ministry's (SPEC §4).
    Two arguments, so the title workflow can ask it as ``allowed(user, title)``."""
    return bool(is_ministry_officer(user))


rules.add_perm("titles.view_titles", is_ministry_officer)
rules.add_perm("titles.load_titles", is_ministry_officer)
# The title certificate (称号证书) is published by a Ministry officer, once per title.
rules.add_perm("titles.issue_certificates", manages_titles)


# --- expert pool (专家库) and declarations (回避声明与保密承诺), issue 14 items 2 and 4 ---------
# The Ministry officer manages the pool; an expert sees and declares only their own entry, and
# signs the declaration per batch before any material of that batch (later views require
# ``review.open_batch_material``, or the predicate ``has_signed_declaration_for``).
@rules.predicate
def is_in_expert_pool(user):
    """An expert account with an active entry in the pool."""
    from icdc.review.models import Expert

    return bool(is_expert(user) and Expert.objects.filter(account_id=user.pk, is_active=True).exists())


@rules.predicate
def is_that_expert(user, expert):
    """The expert themself, for their own pool entry."""
    return bool(is_expert(user) and expert is not None and expert.account_id == user.pk)


@rules.predicate
def is_batch_past_draft(_user, batch):
    """A batch that has opened (a draft is the Ministry's own: nothing to declare for it)."""
    return batch is not None and batch.status != "draft"


@rules.predicate
def has_signed_declaration_for(user, batch):
    """The expert signed the 回避声明与保密承诺 for this batch."""
    from icdc.review.models import Declaration

    return bool(is_expert(user) and batch is not None
                and Declaration.objects.filter(expert__account_id=user.pk, batch_id=batch.pk).exists())


rules.add_perm("review.view_expert_pool", is_ministry_officer)
rules.add_perm("review.manage_expert_pool", is_ministry_officer)
rules.add_perm("review.draw_panels", is_ministry_officer)
rules.add_perm("review.declare_conflicts", is_that_expert | is_ministry_officer)
rules.add_perm("review.view_own_expert_entry", is_in_expert_pool)
rules.add_perm("review.sign_declaration", is_in_expert_pool & is_batch_past_draft)
rules.add_perm("review.open_batch_material", is_in_expert_pool & has_signed_declaration_for)


# --- formal review (形式审查), issue 14 item 1 ---------------------------------------------------
# The Ministry officer reviews every application that has arrived (art. 12): the checklist, the
# outcome (pass, supplement, reject), bulk pass and the export of the results.
@rules.predicate
def is_formal_reviewer_for(user, application):
    """A Ministry officer, for an application that has reached the Ministry. Two arguments, so the
    application workflow can ask it as ``allowed(user, application)``."""
    return bool(is_ministry_officer(user) and application is not None and application.arrived_at is not None)


rules.add_perm("review.view_formal_review", is_ministry_officer)
rules.add_perm("review.decide_formal_review", is_ministry_officer)
rules.add_perm("review.export_formal_review", is_ministry_officer)
# (end of formal review rules)


# --- expert scoring (专家打分) and progress, issue 14 items 4–5 ----------------------------------
# The Ministry officer sets and closes the review window, follows progress, reminds and exports;
# an expert scores only the applications of the batch's current panels they sit on (the object is
# the PanelDraw), and only after signing the batch's declaration (``review.open_batch_material``);
# the panel's leader (组长) writes the 专家组意见.
@rules.predicate
def is_current_member_of(user, panel):
    """An expert of the pool sitting on ``panel`` now (a declined member is no longer one), and the
    panel not replaced by a redraw."""
    from icdc.review.models import Expert, PanelDraw

    if not is_expert(user) or panel is None:
        return False
    expert_id = Expert.objects.filter(account_id=user.pk, is_active=True).values_list("pk", flat=True).first()
    return bool(expert_id in panel.members and not PanelDraw.objects.filter(replaces_id=panel.pk).exists())


@rules.predicate
def is_leader_of(user, panel):
    """The panel's current leader (组长)."""
    from icdc.review.models import Expert

    return bool(is_current_member_of(user, panel)
                and Expert.objects.filter(account_id=user.pk, pk=panel.leader).exists())


rules.add_perm("review.manage_scoring", is_ministry_officer)
rules.add_perm("review.view_review_tasks", is_in_expert_pool)
rules.add_perm("review.score_application", is_current_member_of)
rules.add_perm("review.write_panel_opinion", is_leader_of)
# (end of expert scoring rules)


# --- site inspection (实地考察) and defence (答辩), issue 14 items 6–7 --------------------------
# The Ministry officer decides inspections, schedules defences, records who appeared and reads the
# likely undeclared conflicts and the exports. A panel's current members (a redrawn panel's are no
# longer) read its inspections and score its held defences, once they signed the batch's
# declaration; anyone else is answered as if the object did not exist (the views' 404).
def _panel_of(obj):
    return getattr(obj, "panel", obj)


@rules.predicate
def is_current_member_of_panel(user, obj):
    """An expert on the current panel (a ``PanelDraw`` not replaced by a redraw) of ``obj`` (a panel,
    a defence slot or a site inspection)."""
    from icdc.review.models import Expert, PanelDraw

    panel = _panel_of(obj)
    if not is_expert(user) or panel is None:
        return False
    expert_id = Expert.objects.filter(account_id=user.pk, is_active=True).values_list("pk", flat=True).first()
    return bool(expert_id in (panel.members or []) and not PanelDraw.objects.filter(replaces_id=panel.pk).exists())


@rules.predicate
def has_signed_for_panel(user, obj):
    """The expert signed the 回避声明与保密承诺 of the batch of ``obj``'s panel."""
    panel = _panel_of(obj)
    return bool(panel is not None and has_signed_declaration_for(user, panel.batch))


@rules.predicate
def is_held_defence(_user, slot):
    return slot is not None and slot.status == "held"


rules.add_perm("review.manage_defence", is_ministry_officer)
rules.add_perm("review.manage_site_inspection", is_ministry_officer)
# Role-level: who may have any inspection or defence page at all (other roles: 403).
rules.add_perm("review.view_own_defence_work", is_in_expert_pool)
rules.add_perm("review.open_site_inspections", is_ministry_officer | is_in_expert_pool)
rules.add_perm("review.view_site_inspection",
               is_ministry_officer | (is_in_expert_pool & is_current_member_of_panel & has_signed_for_panel))
rules.add_perm("review.score_defence",
               is_in_expert_pool & is_current_member_of_panel & has_signed_for_panel & is_held_defence)
# (end of site inspection and defence rules)


# --- proposal, public notice, objections, announcement (decisions), issue 15 --------------------
@rules.predicate
def decides_lists(user, obj):
    """A Ministry officer, for any proposal or objection: the list, the notice and the announcement
    are the Ministry's (arts. 12–14). Two arguments, so the decisions workflows can ask it."""
    return bool(is_ministry_officer(user))


@rules.predicate
def is_not_the_proposer(user, proposal):
    """Maker-checker: the officer who proposed the list never approves it."""
    return proposal is not None and user.pk != proposal.proposed_by_id


@rules.predicate
def is_proposer_or_approver(user, proposal):
    """The two officers whose names are on an approved list: only they may withdraw the approval."""
    return proposal is not None and user.pk is not None and user.pk in (proposal.proposed_by_id,
                                                                          proposal.approved_by_id)


rules.add_perm("decisions.view_proposal", is_ministry_officer)
rules.add_perm("decisions.propose_list", is_ministry_officer)
# The page shows "approve" only to a second officer; the transition refuses the proposer in Chinese.
rules.add_perm("decisions.approve_proposal", is_ministry_officer & is_not_the_proposer)
rules.add_perm("decisions.publish_notice", is_ministry_officer)
# 撤回审批: the proposer or the approver (the transition's guard refuses a third officer in Chinese).
rules.add_perm("decisions.withdraw_approval", is_ministry_officer & is_proposer_or_approver)
rules.add_perm("decisions.handle_objection", is_ministry_officer)
rules.add_perm("decisions.announce", is_ministry_officer)
# (end of decisions rules)


# --- the public portal (no login), issue 15 item 7 ----------------------------------------------
# The portal's pages (icdc/portal) are public: no predicate. What they show is public by nature
# (titles, published notices, announcements, certificates); the verification page reads only
# published documents. Public POSTs are throttled per address (icdc/lib/throttle.py).
# (end of portal rules)
