"""The Ministry's list of titles, with the certificate of each (issued once, then downloadable)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from icdc.accounts.decorators import permission_required
from icdc.lib.confirm import Confirmation, confirm_first
from icdc.lib.refusals import Refusal
from icdc.portal.selectors import certificates_of

from . import selectors, services
from .forms import TitleFilterForm
from .models import Title

VIEW = "titles.view_titles"


@login_required
@permission_required(VIEW)
def title_list(request):
    form = TitleFilterForm(request.GET or None, years=selectors.years(), provinces=selectors.provinces())
    filters = form.filters() if request.GET else {}
    titles = list(selectors.titles(**filters))
    certificates = certificates_of(titles)
    for title in titles:
        title.certificate = certificates.get(title.pk)
    return render(request, "titles/list.html", {"form": form, "titles": titles, "filtered": bool(filters)})


def _describe_issue(request, pk):
    title = get_object_or_404(Title.objects.select_related("city"), pk=pk)
    if certificates_of([title]):
        return redirect("titles:list")  # already published: nothing to confirm
    return Confirmation(
        title=_("颁发称号证书：%(city)s %(year)s 年度") % {"city": title.city.name, "year": title.batch_year},
        summary=_("证书将以 PDF 发布在公众服务门户（城市称号历史页），并记录 SM3 摘要供公众核验。发布后不能撤回。"),
        effects=[title.full_title], button=_("发布证书"), cancel_url=reverse("titles:list"), danger=False)


@login_required
@permission_required("titles.issue_certificates")
@confirm_first(_describe_issue)
def certificate_issue(request, pk):
    """Publish the title's certificate (or find the one published), after the confirmation page."""
    title = get_object_or_404(Title, pk=pk)
    try:
        document = services.issue_certificate(title=title, user=request.user, request=request)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已发布%(title)s（证书编号 %(number)s）。") % {"title": document.title,
                                                                       "number": document.number})
    return redirect("titles:list")
