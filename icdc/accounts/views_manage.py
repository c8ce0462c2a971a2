"""The system administrator's account pages (/accounts/manage/): find, create, edit,
deactivate and reactivate accounts, reset passwords and authenticators, see and lift
login lock-outs. Thin views: each parses, calls one service or selector, renders.

Every view first asks ``accounts.manage_accounts`` (the system administrator; everyone else
403, the same for a real and a guessed id), then finds the account (404 for a guessed id),
then, to change it, ``accounts.change_user`` on it (never an administrator role's account).
Destructive actions (deactivate, password reset, authenticator reset) have a confirmation
page: GET names what will happen, only the POST acts — no JavaScript needed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from icdc.lib.confirm import Confirmation, confirm_first
from icdc.lib.refusals import Refusal

from . import selectors_manage, services, two_factor
from .decorators import deny, permission_required
from .forms_manage import AccountFilterForm, AccountForm
from .models import User

PAGE_SIZE = 25
manage_required = permission_required("accounts.manage_accounts")


def _account(pk):
    return get_object_or_404(User.objects.select_related("division", "division__parent"), pk=pk)


def _changeable(request, pk):
    """The account, if the system administrator may change it in the platform (else 403, audited)."""
    account = _account(pk)
    if not request.user.has_perm("accounts.change_user", account):
        deny(request, "accounts.change_user", account)
    return account


@require_GET
@login_required
@manage_required
def account_list(request):
    data = {k: v for k, v in request.GET.items() if k != "page"}
    form = AccountFilterForm(data or None)
    rows = selectors_manage.accounts(**form.filters())
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/manage/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    })


@require_GET
@login_required
@manage_required
def account_detail(request, pk):
    account = _account(pk)
    return render(request, "accounts/manage/detail.html", {
        "account": account,
        "lock": selectors_manage.lock_of(account),
        "has_authenticator": two_factor.has_confirmed_device(account),
        "can_change": request.user.has_perm("accounts.change_user", account),
    })


@require_GET
@login_required
@manage_required
def city_options(request):
    """htmx: the city field for the province just chosen (the form's own markup, re-rendered)."""
    form = AccountForm(initial={"province": request.GET.get("province", "")})
    return render(request, "accounts/manage/_city_field.html", {"field": form["city"]})


def _report(form, exc):
    """A service's ValidationError onto the form: each field's messages beside the field."""
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, errors in by_field.items():
        target = "city" if field == "division" and form.cleaned_data.get("role") == "city" else field
        form.add_error(target if target in form.fields else None, errors)


def _refreshing(request, editing):
    """The no-JavaScript "更新城市列表" button: show the form again with the province's cities."""
    initial = {k: request.POST.get(k, "") for k in ("username", "display_name", "mobile", "role", "province")}
    return AccountForm(initial=initial, editing=editing)


@require_http_methods(["GET", "POST"])
@login_required
@manage_required
def account_create(request):
    form = AccountForm(request.POST or None)
    if request.method == "POST" and "refresh" in request.POST:
        form = _refreshing(request, editing=False)
    elif request.method == "POST" and form.is_valid():
        data, password = form.cleaned_data, services.temporary_password()
        try:
            account = services.create_account(
                created_by=request.user, username=data["username"], role=data["role"], division=data["division"],
                display_name=data["display_name"], mobile=data["mobile"], password=password,
            )
        except ValidationError as exc:
            _report(form, exc)
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            return render(request, "accounts/manage/password_shown.html", {
                "account": account, "password": password, "created": True,
            })
    return render(request, "accounts/manage/form.html", {"form": form, "account": None})


@require_http_methods(["GET", "POST"])
@login_required
@manage_required
def account_edit(request, pk):
    account = _changeable(request, pk)
    form = AccountForm(request.POST or None, initial=AccountForm.initial_for(account), editing=True)
    if request.method == "POST" and "refresh" in request.POST:
        form = _refreshing(request, editing=True)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account.display_name, account.mobile = data["display_name"], data["mobile"]
        account.role, account.division = data["role"], data["division"]
        try:
            services.update_account(changed_by=request.user, user=account)
        except ValidationError as exc:
            _report(form, exc)
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已保存账号“%(name)s”的修改。") % {"name": account.username})
            return redirect("accounts:manage:detail", pk=account.pk)
    return render(request, "accounts/manage/form.html", {"form": form, "account": _account(pk)})


#: The confirmation page of each destructive action (the one confirmation step,
#: ``icdc/lib/confirm.py``): title, what happens, button, and whether it can be undone.
CONFIRMATIONS = {
    "deactivate": (
        gettext_lazy("停用账号"),
        gettext_lazy("停用后该账号不能再登录，已登录的会话在下一次操作时失效。账号和它的操作记录都会保留，之后可以重新启用。"),
        gettext_lazy("确认停用"),
        False,
    ),
    "reset_password": (
        gettext_lazy("重置密码"),
        gettext_lazy("将生成一个新的临时密码并只显示一次，原密码立即失效。账号持有人用临时密码登录后必须修改密码。"),
        gettext_lazy("确认重置密码"),
        True,
    ),
    "reset_authenticator": (
        gettext_lazy("重置动态口令"),
        gettext_lazy("将删除该账号已绑定的动态口令（身份验证器），持有人下次登录时须重新绑定。"),
        gettext_lazy("确认重置动态口令"),
        True,
    ),
}


def _confirmation(action):
    def describe(request, pk):
        account = _changeable(request, pk)
        title, consequence, button, irreversible = CONFIRMATIONS[action]
        who = f"{account.username}（{account.display_name}）" if account.display_name else account.username
        return Confirmation(title=f"{title}：{account.username}", summary=consequence, button=button,
                            effects=[_("账号：%(who)s · %(role)s") % {"who": who, "role": account.get_role_display()}],
                            irreversible=irreversible,
                            cancel_url=reverse("accounts:manage:detail", args=[account.pk]))

    return describe


def _act(request, account, act, done):
    try:
        act()
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done % {"name": account.username})
    return redirect("accounts:manage:detail", pk=account.pk)


@require_http_methods(["GET", "POST"])
@login_required
@manage_required
@confirm_first(_confirmation("deactivate"))
def account_deactivate(request, pk):
    account = _changeable(request, pk)
    return _act(request, account, lambda: services.account_deactivate(changed_by=request.user, account=account),
                _("已停用账号“%(name)s”。"))


@require_POST
@login_required
@manage_required
def account_reactivate(request, pk):
    account = _changeable(request, pk)
    return _act(request, account, lambda: services.account_reactivate(changed_by=request.user, account=account),
                _("已重新启用账号“%(name)s”。"))


@require_http_methods(["GET", "POST"])
@login_required
@manage_required
@confirm_first(_confirmation("reset_password"))
def account_reset_password(request, pk):
    account = _changeable(request, pk)
    try:
        password = services.account_password_reset(reset_by=request.user, account=account)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:manage:detail", pk=account.pk)
    # Shown on this response only (no redirect, no storage): the pages are never cached.
    return render(request, "accounts/manage/password_shown.html", {
        "account": account, "password": password, "created": False,
    })


@require_POST
@login_required
@manage_required
def account_unlock(request, pk):
    account = _changeable(request, pk)
    return _act(request, account, lambda: services.unlock_account(unlocked_by=request.user, user=account),
                _("已解除账号“%(name)s”的登录锁定。"))


@require_http_methods(["GET", "POST"])
@login_required
@manage_required
@confirm_first(_confirmation("reset_authenticator"))
def account_reset_authenticator(request, pk):
    account = _changeable(request, pk)
    return _act(request, account, lambda: two_factor.reset_devices(reset_by=request.user, user=account),
                _("已重置账号“%(name)s”的动态口令。"))
