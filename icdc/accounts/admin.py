"""The admin site keeps reference data only (行政区划 and the like); accounts are not on it.

Accounts are managed on the platform's own pages (``views_manage``, /accounts/manage/), in
Chinese, through ``services`` like everything else. ``User`` is not registered here, not even
read-only: a second door to accounts is where 三权分立 was bypassed (issue 10 item 10), and a
read-only copy of the account list would only duplicate the page that can also show lock-outs.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _


class AdminLoginForm(AdminAuthenticationForm):
    """The admin site's login form, with the username's length checked as on the platform's own
    login page. Django's form sets ``max_length`` after the field is built, so nothing checked it:
    a 256-character name reached django-axes and overflowed its column (a 500 on PostgreSQL)."""

    username = forms.CharField(label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))


admin.site.login_form = AdminLoginForm
