"""Forms of the indicator pages. Field rules come from ``validation.py``; forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Indicator
from .validation import validate_indicator, validate_label

YAML_MAX_BYTES = 1024 * 1024
STATISTICS_MAX_BYTES = 10 * 1024 * 1024


class BootstrapForm(forms.Form):
    """Adds Bootstrap's classes to widgets, so templates render fields without per-field markup."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class IndicatorForm(BootstrapForm):
    code = forms.CharField(label=_("指标代码"), max_length=32)
    name = forms.CharField(label=_("指标名称"), max_length=128)
    kind = forms.ChoiceField(label=_("类型"), choices=Indicator.Kind.choices)
    unit = forms.CharField(label=_("单位"), max_length=16, required=False, help_text=_("定量指标必填；定性指标留空"))
    weight = forms.DecimalField(label=_("权重（分）"), max_digits=6, decimal_places=2)
    rule = forms.ChoiceField(label=_("计分规则"), choices=[("", _("（无，定性指标）")), *Indicator.Rule.choices],
                             required=False)
    floor = forms.DecimalField(label=_("下限值"), max_digits=15, decimal_places=4, required=False,
                               help_text=_("线性计分：得 0 分的值（越高越好时小于目标值，越低越好时大于目标值）"))
    target = forms.DecimalField(label=_("目标值"), max_digits=15, decimal_places=4, required=False,
                                help_text=_("线性计分：得满分的值；达标计分：达到即满分"))
    source = forms.CharField(label=_("数据来源"), max_length=128, required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for problem in validate_indicator(data):
            self.add_error(problem.field or None, problem.message)
        return data


def indicator_initial(indicator):
    return {f: getattr(indicator, f) for f in IndicatorForm.base_fields}


class WeightsForm(BootstrapForm):
    """One weight field per indicator of a system, named by indicator code."""

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[indicator.code] = forms.DecimalField(
                label=f"{indicator.code} {indicator.name}", max_digits=6, decimal_places=2, min_value=0,
                initial=indicator.weight,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01",
                                                "data-weight": indicator.dimension.system_id}),
            )

    def weights(self):
        return {code: self.cleaned_data[code] for code in self.fields}


class NewVersionForm(BootstrapForm):
    label = forms.CharField(label=_("新版本标识"), max_length=64, help_text=_("如 2024-综合评价；字母、数字、汉字、点、连字符"))

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        for problem in validate_label(label):
            raise forms.ValidationError(problem.message)
        return label


class VersionUploadForm(BootstrapForm):
    file = forms.FileField(label=_("YAML 文件"), help_text=_("与“下载 YAML”的格式相同，上限 1 MB"))
    label = forms.CharField(label=_("版本标识"), max_length=64, required=False,
                            help_text=_("留空则使用文件中的 version"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > YAML_MAX_BYTES:
            raise forms.ValidationError(_("文件过大（上限 1 MB）"))
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("只接受 .yaml 或 .yml 文件"))
        return upload

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if label:
            for problem in validate_label(label):
                raise forms.ValidationError(problem.message)
        return label


class StatisticsImportForm(BootstrapForm):
    file = forms.FileField(label=_("统计数据文件"), help_text=_(".xlsx 或 .csv，版式同导入模板，上限 10 MB"))
    version = forms.TypedChoiceField(label=_("校验所用指标体系版本"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in selectors.statistics_versions()}
        self.fields["version"].choices = [(pk, f"{v.label}（{v.get_status_display()}）") for pk, v in self.versions.items()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > STATISTICS_MAX_BYTES:
            raise forms.ValidationError(_("文件过大（上限 10 MB）"))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件"))
        return upload

    def clean_version(self):
        return self.versions[self.cleaned_data["version"]]


class StatisticsFilterForm(BootstrapForm):
    """Filters of the statistics list and its export: year, and a city or province by name or code."""

    year = forms.TypedChoiceField(label=_("年份"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("城市或省份"), required=False, max_length=32,
                        widget=forms.TextInput(attrs={"placeholder": _("如 济南、山东 或 370100")}))
    sort = forms.ChoiceField(label=_("排序"), required=False, widget=forms.HiddenInput)
    # An exact code from links made before the search existed (?city=370100).
    city = forms.RegexField(label=_("城市代码"), regex=r"^\d{6}$", required=False, widget=forms.HiddenInput,
                            error_messages={"invalid": _("城市代码须为 6 位数字")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年份")), *[(y, y) for y in selectors.statistic_years()]]
        keys = list(selectors.FIGURE_ORDER)
        self.fields["sort"].choices = [("", ""), *[(k, k) for k in keys], *[(f"-{k}", k) for k in keys]]

    def filters(self):
        """What the list shows (and the export writes); an invalid form shows nothing."""
        if not self.is_bound:
            return {"year": None, "city_code": None, "search": None, "sort": None}
        if not self.is_valid():
            return None
        search = self.cleaned_data["q"].strip()
        exact = search if search.isascii() and search.isdigit() and len(search) == 6 else None
        return {"year": self.cleaned_data["year"], "city_code": exact or self.cleaned_data["city"] or None,
                "search": None if exact else search or None, "sort": self.cleaned_data["sort"] or None}


class FigureCorrectionForm(BootstrapForm):
    """更正一个统计数据: the new value and, always, why."""

    value = forms.DecimalField(label=_("更正后的数值"), max_digits=19, decimal_places=4)
    reason = forms.CharField(label=_("更正原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("必填，记入审计日志，如“统计年鉴勘误：原录入多一位小数”"))
