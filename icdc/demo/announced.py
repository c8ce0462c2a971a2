"""The demo's earlier, finished batch (last year's call): 潍坊 applied, the province recommended, the
Ministry's formal review passed it, the demo panel reviewed and scored it (window then closed), a
run was created from the batch, the list was proposed by ``ministry``, approved by
``ministry_checker``, in public notice three weeks ago and announced today — which awards 潍坊 its
title and publishes the certificate (so the portal's 公告 page, the city page and the verification
page have something real to show).

Through the real services. The notice is published with the workflow's ``now`` three weeks back
(the one date given by hand; the calendar still counts its working days), so the announcement can
follow now. Idempotent: once the batch exists nothing more is done.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.models import User

ANNOUNCED_CITY = "city_weifang"
NOTICE_DAYS_AGO = 21


def announcement_number(year):
    return _("工业和信息化部公告%(year)s年第1号（演示）") % {"year": year}


def load_announced_batch():
    from icdc.batches.models import Batch
    from icdc.decisions.models import Proposal
    from icdc.programmes.selectors import DEFAULT_CODE

    from .applications import _batch, _fill, _pdf, demo_year
    from .review import _review

    year = demo_year() - 1
    existing = Batch.objects.filter(programme_code=DEFAULT_CODE, year=year).first()
    if existing is None:
        with transaction.atomic():
            existing = _announced(year, _batch, _fill, _pdf, _review)
        created = True
    else:
        created = False
    if existing is None:
        return []
    proposal = Proposal.objects.filter(batch=existing).order_by("pk").first()
    template = _("往年批次：新建并公告「%(title)s」（%(number)s）") if created else \
        _("往年批次：「%(title)s」已存在（%(number)s）")
    return [template % {"title": existing.title, "number": proposal.announcement_number if proposal else "—"}]


def _announced(year, make_batch, fill, pdf, review):
    from icdc.applications import recommendation, services
    from icdc.decisions import services as decisions
    from icdc.rankings.models import ScoringRun
    from icdc.review import formal

    from .review import _calendar_for_notice

    officer = User.objects.get(username="ministry")
    checker = User.objects.get(username="ministry_checker")
    province = User.objects.get(username="province_sd")
    city = User.objects.get(username=ANNOUNCED_CITY)
    batch = make_batch(officer, year=year)
    if batch is None:
        return None
    application = services.application_start(batch=batch, city=city.division, user=city)
    application = fill(application, city, complete=True)
    application = services.application_submit(application=application, user=city)
    recommendation.recommendation_document_upload(application=application, user=province,
                                                  upload=pdf(_("初审推荐文件（盖章）")))
    application = services.application_recommend(application=application, user=province,
                                                 comments=_("材料齐全，同意推荐。"))
    application = formal.formal_decide(application=application, user=officer, outcome="pass")
    review(batch, application, close_window=True)
    run = ScoringRun.objects.filter(batch=batch).order_by("pk").first()
    published = timezone.now() - datetime.timedelta(days=NOTICE_DAYS_AGO)
    _calendar_for_notice(batch, officer, published)
    proposal = decisions.proposal_create(batch=batch, run=run, user=officer)
    decisions.proposal_transition(proposal=proposal, name="submit", user=officer)
    decisions.proposal_transition(proposal=proposal, name="approve", user=checker)
    decisions.proposal_transition(proposal=proposal, name="publish", user=checker, now=published)
    decisions.proposal_transition(proposal=proposal, name="announce", user=checker,
                                  data={"number": announcement_number(year + 1)})
    return batch
