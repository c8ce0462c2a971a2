"""Forms of the site inspection and defence pages. Forms parse; the rules are in ``defence`` and
``inspections`` (overlaps, membership, ranges are refused there, in Chinese)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icdc.batches.forms import BeijingDateTimeField
from icdc.indicators.forms import BootstrapForm

from .models import DefenceSlot


class DefenceSlotForm(BootstrapForm):
    application = forms.TypedChoiceField(label=_("申报城市"), coerce=int)
    starts_at = BeijingDateTimeField(label=_("开始时间（北京时间）"))
    ends_at = BeijingDateTimeField(label=_("结束时间（北京时间）"))
    mode = forms.ChoiceField(label=_("方式"), choices=DefenceSlot.Mode.choices, initial=DefenceSlot.Mode.ONLINE)
    place = forms.CharField(label=_("地点（现场答辩）"), max_length=200, required=False)
    meeting_link = forms.CharField(label=_("会议链接（线上答辩）"), max_length=500, required=False)
    note = forms.CharField(label=_("备注"), max_length=2000, required=False)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = list(applications)


class DefenceMarkForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("held", _("已答辩")), ("no_show", _("未到场"))])
    note = forms.CharField(max_length=2000, required=False)


class DefenceScoreForm(BootstrapForm):
    # Text, not a DecimalField: the service parses it and refuses in Chinese (range, two decimals).
    score = forms.CharField(label=_("答辩得分（0～100，最多两位小数）"), max_length=20)
    comment = forms.CharField(label=_("评语"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))


class SiteInspectionForm(BootstrapForm):
    application = forms.TypedChoiceField(label=_("申报城市"), coerce=int)
    date = forms.DateField(label=_("考察日期"), widget=forms.DateInput(attrs={"type": "date"}))
    experts = forms.TypedMultipleChoiceField(label=_("考察专家（本组专家）"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    officials = forms.CharField(label=_("其他考察人员（每行一人）"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(label=_("考察意见"), required=False, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, applications=(), experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = list(applications)
        self.fields["experts"].choices = list(experts)
        self.fields["experts"].widget.attrs.pop("class", None)


class FindingsForm(BootstrapForm):
    findings = forms.CharField(label=_("考察意见"), required=False, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 6}))


class InspectionFileForm(forms.Form):
    # An empty file goes on to the upload guard, which names it ("文件“…”为空"); the form's own
    # refusal would reach the page as "请选择要上传的文件" although one was chosen.
    file = forms.FileField(label=_("文件（PDF、Word、Excel、JPG、PNG）"), allow_empty_file=True)
