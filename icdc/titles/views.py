"""The Ministry's list of titles (read-only; the public portal comes later)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from icdc.accounts.decorators import permission_required

from . import selectors
from .forms import TitleFilterForm

VIEW = "titles.view_titles"


@login_required
@permission_required(VIEW)
def title_list(request):
    form = TitleFilterForm(request.GET or None, years=selectors.years(), provinces=selectors.provinces())
    filters = form.filters() if request.GET else {}
    titles = list(selectors.titles(**filters))
    return render(request, "titles/list.html", {"form": form, "titles": titles, "filtered": bool(filters)})
