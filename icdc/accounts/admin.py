"""Account management on the admin site, for the system administrator only.

Every write goes through ``services`` — the same validation, permission check and audit
record as anywhere else. Groups, per-user permissions, superuser and staff flags are not
offered: permissions come from ``rules.py`` and ``is_staff`` follows the role.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import selectors, services, two_factor
from .models import User


class AdminLoginForm(AdminAuthenticationForm):
    """The admin site's login form, with the username's length checked as on the platform's own
    login page. Django's form sets ``max_length`` after the field is built, so nothing checked it:
    a 256-character name reached django-axes and overflowed its column (a 500 on PostgreSQL)."""

    username = forms.CharField(label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))


admin.site.login_form = AdminLoginForm


class AccountCreationForm(forms.ModelForm):
    """New account with an initial password; the holder must change it at first login."""

    password1 = forms.CharField(label=_("初始密码"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("确认初始密码"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ("username", "display_name", "role", "division")

    def _post_clean(self):
        super()._post_clean()  # the model's own validation: role and division, unique username
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", gettext("两次输入的密码不一致。"))
        elif password1:
            try:
                password_validation.validate_password(password1, self.instance)
            except ValidationError as exc:
                self.add_error("password1", exc)

    def create(self, created_by):
        data = self.cleaned_data
        return services.create_account(
            created_by=created_by,
            username=data["username"],
            role=data["role"],
            division=data.get("division"),
            display_name=data.get("display_name", ""),
            password=data["password1"],
        )


class AccountChangeForm(forms.ModelForm):
    editor = None  # set per request by AccountAdmin.get_form

    class Meta:
        model = User
        fields = ("display_name", "mobile", "role", "division", "is_active", "must_change_password")

    def clean(self):
        cleaned = super().clean()
        try:
            services.check_self_edit(
                changed_by=self.editor,
                user=self.instance,
                new_role=cleaned.get("role"),
                active=cleaned.get("is_active"),
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class PasswordResetForm(AdminPasswordChangeForm):
    """An administrator sets a new password; the holder changes it at next login."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)  # accounts are deactivated, not password-less
        self.fields["password1"].required = self.fields["password2"].required = True

    def save(self, commit=True):
        from icdc.audit.context import current_request

        return services.reset_password(
            reset_by=current_request().user, user=self.user, new_password=self.cleaned_data["password1"]
        )


@admin.register(User)
class AccountAdmin(auth_admin.UserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    change_password_form = PasswordResetForm
    list_display = ("username", "display_name", "role", "division", "is_active", "must_change_password", "is_demo")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "display_name", "division__name")
    ordering = ("username",)
    filter_horizontal = ()
    readonly_fields = ("username", "password_status", "last_login", "date_joined", "password_changed_at", "is_demo")
    fieldsets = (
        (None, {"fields": ("username", "password_status")}),
        (_("账号"), {"fields": ("display_name", "mobile", "role", "division", "is_active", "must_change_password")}),
        (_("记录"), {"fields": ("last_login", "date_joined", "password_changed_at", "is_demo")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "display_name", "role", "division", "password1", "password2")}),)
    actions = ["unlock", "reset_authenticator"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("密码"))
    def password_status(self, obj):
        state = gettext("已设置（不显示）") if obj.has_usable_password() else gettext("未设置，无法登录")
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('{} · <a href="{}">{}</a>', state, url, gettext("重置密码"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user}) if obj is not None else form

    def save_form(self, request, form, change):
        return form.instance if change else form.create(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            services.update_account(changed_by=request.user, user=obj)

    def save_related(self, request, form, formsets, change):
        pass  # no related objects are edited here

    @admin.action(description=_("解除登录锁定"))
    def unlock(self, request, queryset):
        locked = [user for user in queryset if selectors.is_locked(user)]
        for user in locked:
            services.unlock_account(unlocked_by=request.user, user=user)
        self.message_user(request, gettext("已解除 %(n)d 个账号的登录锁定。") % {"n": len(locked)})

    @admin.action(description=_("重置动态口令（重新绑定）"))
    def reset_authenticator(self, request, queryset):
        for user in queryset:
            two_factor.reset_devices(reset_by=request.user, user=user)
        self.message_user(request, gettext("已重置 %(n)d 个账号的动态口令。") % {"n": queryset.count()})
