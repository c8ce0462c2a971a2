from django import forms
from django.utils.translation import gettext_lazy as _

from icdc.accounts.models import Role

from . import actions
from .models import Result

_ALL = [("", _("全部"))]


class AuditFilterForm(forms.Form):
    """The audit administrator's filters; the same values drive the list and the export.

    Action and object type are choices from ``actions`` (labels, not codes to type); an
    unknown value or a start after the end is an error shown on the form, and then nothing is
    listed (never everything).
    """

    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=_ALL + list(Role.choices))
    action = forms.ChoiceField(label=_("操作"), required=False)
    result = forms.ChoiceField(label=_("结果"), required=False, choices=_ALL + list(Result.choices))
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form so the labels follow the reader's language.
        self.fields["action"].choices = _ALL + actions.action_choices()
        self.fields["object_type"].choices = _ALL + actions.object_type_choices()
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_error"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("起始日期不能晚于截止日期。"))
        return data

    def filters(self):
        """The valid, non-empty filters (an invalid form filters nothing and shows its errors)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
