"""The public objection form (异议) and the receipt lookup."""

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Objection


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ObjectionForm(forms.Form):
    filer_kind = forms.ChoiceField(label=_("以何种名义提出"), choices=Objection.Filer.choices,
                                   widget=forms.RadioSelect, initial=Objection.Filer.PERSON)
    name = forms.CharField(label=_("真实姓名"), max_length=60,
                           help_text=_("以单位名义提出的，填写经办人姓名。"))
    unit_name = forms.CharField(label=_("单位名称"), max_length=120, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=120, help_text=_("电话或电子邮箱，用于核实情况。"))
    city = forms.ModelChoiceField(label=_("涉及城市"), queryset=None, empty_label=_("请选择"))
    facts = forms.CharField(label=_("异议事实和理由"), widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}), max_length=10000)
    evidence = MultipleFileField(label=_("证据材料"), required=False,
                                 help_text=_("PDF、Word、Excel、JPG 或 PNG，最多 5 个文件。"))
    captcha = CaptchaField(label=_("验证码"))

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities

    def clean(self):
        data = super().clean()
        if data.get("filer_kind") == Objection.Filer.UNIT and not (data.get("unit_name") or "").strip():
            self.add_error("unit_name", _("以单位名义提出异议的，请填写单位名称。"))
        return data


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("回执编号"), max_length=40)
