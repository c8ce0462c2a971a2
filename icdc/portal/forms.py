from html import escape

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from icdc.titles.models import Title


class CityFilterForm(forms.Form):
    """The demonstration cities' filters (a GET form: the URL names the list). The choices come from
    the titles the list already read (``selectors.TitleList``): no query of its own. The page
    renders the selects itself from ``select_fields()`` (Django's widget templates cost more than the
    rest of the page)."""

    year = forms.TypedChoiceField(label=_("批次年度"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *Title.Kind.choices])
    domain = forms.ChoiceField(label=_("特色领域"), required=False)
    province = forms.ChoiceField(label=_("省份"), required=False)

    def __init__(self, *args, years=(), domains=(), provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部")), *((y, y) for y in years)]
        self.fields["domain"].choices = [("", _("全部")), *domains]
        self.fields["province"].choices = [("", _("全部")), *provinces]

    def filters(self):
        """The valid filters (an invalid value is left out, and the form says why)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    def select_fields(self):
        """[{name, id, label, options (the escaped <option> elements), errors}] for the template."""
        out = []
        for name, field in self.fields.items():
            current = str(self.data.get(name, "")) if self.is_bound else ""
            errors = self.errors.get(name, []) if self.is_bound else []
            # html.escape once per value (format_html_join's lazy-aware escaping cost more than the page's rows)
            options = mark_safe("".join(
                f'<option value="{escape(str(v))}"{" selected" if str(v) == current else ""}>{escape(str(label))}</option>'
                for v, label in field.choices))
            out.append({"name": name, "id": f"id_{name}", "label": field.label, "errors": errors,
                        "options": options})
        return out


class VerifyForm(forms.Form):
    """A file or a pasted SM3 digest: one of the two."""

    file = forms.FileField(label=_("上传文件（PDF 或 Word .docx）"), required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "form-control",
                                                                  "accept": ".pdf,.docx"}))
    digest = forms.CharField(label=_("或粘贴 SM3 摘要（64 位十六进制）"), required=False, max_length=200,
                             widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 2,
                                                          "spellcheck": "false", "autocomplete": "off"}))

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("digest") or "").strip():
            raise forms.ValidationError(_("请上传一个文件，或粘贴文件的 SM3 摘要。"))
        if data.get("file") and (data.get("digest") or "").strip():
            raise forms.ValidationError(_("请只提供一项：上传文件，或粘贴 SM3 摘要。"))
        return data
