"""Forms of the expert pool pages. Forms parse; the rules are in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icdc.batches.forms import BeijingDateTimeField
from icdc.divisions.models import Division
from icdc.indicators.forms import BootstrapForm

from . import selectors
from .idnumbers import id_number_problem, normalized
from .models import MOBILE_PATTERN

IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ExpertFilterForm(BootstrapForm):
    speciality = forms.ChoiceField(label=_("专业领域"), required=False)
    province = forms.ChoiceField(label=_("单位所在省份"), required=False)
    active = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("1", _("在库")), ("0", _("停用"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speciality"].choices = [("", _("全部")), *selectors.domain_choices()]
        provinces = Division.objects.filter(level=Division.Level.PROVINCE).values_list("code", "name")
        self.fields["province"].choices = [("", _("全部")), *provinces]

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data.get("active") or "")
        return {"speciality": data.get("speciality") or "", "province": data.get("province") or "", "active": active}


class ExpertForm(BootstrapForm):
    name = forms.CharField(label=_("姓名"), max_length=32)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, help_text=_("18 位，加密存储"))
    mobile = forms.RegexField(label=_("手机号码"), regex=MOBILE_PATTERN, max_length=11,
                              error_messages={"invalid": _("请输入 11 位手机号码。")}, help_text=_("加密存储"))
    employer = forms.CharField(label=_("工作单位"), max_length=200)
    city = forms.ModelChoiceField(label=_("单位所在城市"), queryset=Division.objects.none())
    title = forms.CharField(label=_("职称"), max_length=64, required=False)
    specialities = forms.MultipleChoiceField(label=_("专业领域"), widget=forms.CheckboxSelectMultiple)
    load_limit = forms.IntegerField(label=_("每批次评审上限（件）"), min_value=1, max_value=200, initial=15)
    is_active = forms.BooleanField(label=_("在库（参加抽取）"), required=False, initial=True)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = selectors.city_queryset().select_related("parent").order_by("code")
        self.fields["specialities"].choices = selectors.domain_choices()
        self.fields["specialities"].widget.attrs.pop("class", None)
        self.fields["is_active"].widget.attrs["class"] = "form-check-input"
        if editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("留空则不修改；加密存储，页面不显示完整号码")

    def clean_id_number(self):
        value = normalized(self.cleaned_data["id_number"])
        if value:
            problem = id_number_problem(value)
            if problem:
                raise forms.ValidationError(problem)
        return value


class ExpertImportForm(BootstrapForm):
    file = forms.FileField(label=_("专家名单文件"), help_text=_(".xlsx 或 .csv，版式同导入模板，上限 5 MB"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("文件过大（上限 5 MB）"))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件"))
        return upload


class ConflictsForm(BootstrapForm):
    cities = forms.ModelMultipleChoiceField(label=_("需回避的城市"), queryset=Division.objects.none(), required=False,
                                            help_text=_("如本人籍贯地、近三年曾任职或有利害关系的城市"))
    employers = forms.CharField(label=_("需回避的单位"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("每行一个单位名称，如曾任职单位、亲属任职单位"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cities"].queryset = selectors.city_queryset().order_by("code")
        self.fields["cities"].widget.attrs["size"] = 12

    def clean_employers(self):
        return [line.strip() for line in self.cleaned_data["employers"].splitlines() if line.strip()]


class PanelDrawForm(BootstrapForm):
    """随机抽取: the group (a scoring track of the batch's programme), members and reserves."""

    group = forms.ChoiceField(label=_("评审组"))
    size = forms.IntegerField(label=_("专家人数"), min_value=1, max_value=50, initial=5)
    reserves = forms.IntegerField(label=_("备选人数"), min_value=0, max_value=20, initial=2)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = list(groups)


class PanelDeclineForm(BootstrapForm):
    """A member who cannot sit (回避或无法参加): replaced by the first reserve."""

    expert = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("原因"), max_length=200)


# --- expert scoring (issue 14 items 4–5) ----------------------------------------------------


class ReviewWindowForm(BootstrapForm):
    """The batch's review window, typed in Beijing time."""

    opens_at = BeijingDateTimeField(label=_("评审开始时间（北京时间）"))
    closes_at = BeijingDateTimeField(label=_("评审截止时间（北京时间）"))

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["opens_at"] >= data["closes_at"]:
            self.add_error("closes_at", _("评审截止时间须晚于开始时间。"))
        return data


class PanelOpinionForm(BootstrapForm):
    text = forms.CharField(label=_("专家组意见"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
