from django import forms
from django.utils.translation import gettext_lazy as _

from .calendar import check_schedule, parse_dates

HELP = _("每行一个日期（YYYY-MM-DD），或一个日期范围（YYYY-MM-DD~YYYY-MM-DD）；# 之后为备注。")


class YearScheduleForm(forms.Form):
    holidays = forms.CharField(label=_("法定节假日（放假的日期）"), widget=forms.Textarea(attrs={"rows": 10}),
                               help_text=HELP, max_length=20000)
    working_days = forms.CharField(label=_("调休上班日（周六、周日上班的日期）"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 5}), help_text=HELP, max_length=5000)
    note = forms.CharField(label=_("依据（通知名称或文号）"), max_length=300,
                           help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def _dates(self, name):
        dates, problems = parse_dates(self.cleaned_data.get(name, ""), self.year)
        if problems:
            raise forms.ValidationError(problems)
        return dates

    def clean_holidays(self):
        return self._dates("holidays")

    def clean_working_days(self):
        return self._dates("working_days")

    def clean(self):
        data = super().clean()
        if "holidays" in data and "working_days" in data:
            for problem in check_schedule(self.year, data["holidays"], data["working_days"]):
                self.add_error(None, problem)
        return data
