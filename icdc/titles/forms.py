from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Title


class TitleFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("批次年度"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *Title.Kind.choices])
    province = forms.ChoiceField(label=_("省份"), required=False)

    def __init__(self, *args, years, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部")), *((y, y) for y in years)]
        self.fields["province"].choices = [("", _("全部")), *((p.code, p.name) for p in provinces)]

    def filters(self):
        """The valid filters (an invalid value is ignored, with the form showing why)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
