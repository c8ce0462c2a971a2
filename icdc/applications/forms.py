"""Django forms for the sections of ``form.py``, built from their field lists.

A draft may be saved half-filled (nothing is required to save: the checklist says what is still
missing); what is typed must be well-formed (a mobile number, an e-mail, a number, a year). The
mobile number is stored as an SM4 token (``icdc.lib.sm4``), never in clear in the section's data.
"""

import datetime
import re

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from icdc.lib import sm4

from . import form as definition

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
TEXT_MAX, TEXTAREA_MAX = 200, 20000


def _name(index):
    return f"f{index}"


def _django_field(f):
    field = _bare_field(f)
    if not isinstance(field.widget, forms.CheckboxSelectMultiple):
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
    return field


def _bare_field(f):
    common = {"label": f.label, "required": False, "help_text": f.help or (f.unit and _("单位：%(unit)s") % {
        "unit": f.unit}) or ""}
    if f.kind == "textarea":
        return forms.CharField(max_length=TEXTAREA_MAX, widget=forms.Textarea(attrs={"rows": 6}), **common)
    if f.kind == "number":
        return forms.DecimalField(max_digits=19, decimal_places=4, **common)
    if f.kind == "year":
        this_year = datetime.date.today().year
        return forms.IntegerField(min_value=1949, max_value=this_year + 1, **common)
    if f.kind == "email":
        return forms.CharField(max_length=254, validators=[EmailValidator(_("请输入有效的电子邮箱地址。"))],
                               widget=forms.EmailInput, **common)
    if f.kind == "mobile":
        return forms.CharField(max_length=11, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                              "autocomplete": "tel"}), **common)
    if f.kind == "choice":
        return forms.ChoiceField(choices=[("", "—")] + [(c, str(label)) for c, label in f.choices], **common)
    if f.kind == "choices":
        return forms.MultipleChoiceField(choices=[(c, str(label)) for c, label in f.choices],
                                         widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(max_length=TEXT_MAX, **common)


class SectionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, section, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.rows = []
        for index, f in enumerate(section.fields):
            self.fields[_name(index)] = _django_field(f)
            self.rows.append((f, _name(index)))

    def bound_rows(self):
        """(Field, BoundField, is a new group) in order, for the template."""
        previous = None
        for f, name in self.rows:
            yield f, self[name], f.group != previous and bool(f.group)
            previous = f.group

    def clean(self):
        cleaned = super().clean()
        for index, f in enumerate(self.section.fields):
            value = cleaned.get(_name(index))
            if f.kind == "mobile" and value and not MOBILE_RE.match(value.strip()):
                self.add_error(_name(index), _("请输入11位手机号码。"))
            if f.path[-1] == "note" and not value:
                source = cleaned.get(_name(index - 1))
                if source == "other":
                    self.add_error(_name(index), _("数据来源为“其他”时，请注明来源。"))
        return cleaned

    def section_data(self, previous=None):
        """The section's data to store: nested by path; the mobile number sealed (the stored token is
        kept when the number did not change, so an unchanged number is not a difference)."""
        data = {}
        for index, f in enumerate(self.section.fields):
            value = self.cleaned_data.get(_name(index))
            if value is None:
                value = [] if f.kind == "choices" else ""
            elif f.kind == "number":
                value = format(value.normalize(), "f") if value == value.to_integral() else str(value)
            elif isinstance(value, str):
                value = value.replace("\x00", "").strip()
            if f.kind == "mobile" and value:
                old = definition.get(previous or {}, f.path)
                value = old if old and reveal(old) == value else sm4.encrypt(value, context=definition.MOBILE_CONTEXT)
            definition.put(data, f.path, value)
        return data


def initial_for(section, data, version):
    """Initial values of a section form from stored data (the mobile number unsealed)."""
    initial = {"expected_version": version}
    for index, f in enumerate(section.fields):
        value = definition.get(data or {}, f.path)
        if f.kind == "mobile" and value:
            value = reveal(value)
        if value not in (None, ""):
            initial[_name(index)] = value
    return initial


def reveal(value):
    """The plaintext of a sealed mobile number ('' when it does not decrypt)."""
    if not value or not sm4.is_token(value):
        return value or ""
    try:
        return sm4.decrypt(value, context=definition.MOBILE_CONTEXT)
    except sm4.DecryptionError:
        return ""


class AttachmentForm(forms.Form):
    purpose = forms.CharField(max_length=64, widget=forms.HiddenInput)
    file = forms.FileField(label=_("选择文件"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
