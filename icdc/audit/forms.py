from django import forms
from django.utils.translation import gettext_lazy as _

from icdc.accounts.models import Role

from .models import Result

_ALL = [("", _("全部"))]


class AuditFilterForm(forms.Form):
    """The audit administrator's filters; the same values drive the list and the export."""

    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=_ALL + list(Role.choices))
    action = forms.CharField(label=_("操作"), required=False, max_length=64,
                             help_text=_("按前缀匹配，如 login、data."))
    result = forms.ChoiceField(label=_("结果"), required=False, choices=_ALL + list(Result.choices))
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=100,
                                  help_text=_("如 accounts.user"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def filters(self):
        """The valid, non-empty filters (an invalid form filters nothing and shows its errors)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
