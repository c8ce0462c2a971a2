from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from icdc.accounts.decorators import permission_required

from . import selectors
from .navigation import HOME_OF_ROLE


def index(request):
    """Public landing page; a logged-in user goes to their role's home page."""
    if request.user.is_authenticated and request.user.role in HOME_OF_ROLE:
        return redirect(HOME_OF_ROLE[request.user.role])
    return render(request, "home/public.html")


@login_required
@permission_required("home.view_city_home")
def city(request):
    return render(request, "home/city.html", selectors.city_overview(request.user))


@login_required
@permission_required("home.view_province_home")
def province(request):
    return render(request, "home/province.html", selectors.province_overview(request.user))


@login_required
@permission_required("home.view_ministry_home")
def ministry(request):
    return render(request, "home/ministry.html", {"overview": selectors.ministry_overview()})


@login_required
@permission_required("home.view_expert_home")
def expert(request):
    return render(request, "home/expert.html")


@login_required
@permission_required("home.view_sysadmin_home")
def sysadmin(request):
    return render(request, "home/sysadmin.html")


@login_required
@permission_required("home.view_auditor_home")
def auditor(request):
    return render(request, "home/auditor.html")
