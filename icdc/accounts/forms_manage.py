"""Forms of the account pages. They parse; the rules (role and division agree, unique
username, 三权分立) are the model's and the services', reported back onto the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icdc.divisions.models import Division

from . import selectors_manage
from .models import SERVER_MANAGED_ROLES, Role

#: Roles the system administrator may give in the platform (not the two administrator roles).
APP_ROLES = [(role.value, role.label) for role in Role if role not in SERVER_MANAGED_ROLES]
_ALL = [("", _("全部"))]


class _Styled(forms.Form):
    """Bootstrap classes on every widget, so the templates render fields without per-field markup."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class _ProvinceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AccountFilterForm(_Styled):
    """The list's search and filters (an invalid value filters nothing and is shown as an error)."""

    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=_ALL + list(Role.choices))
    province = _ProvinceChoice(label=_("省份"), required=False, queryset=Division.objects.none(), empty_label=_("全部"))
    active = forms.ChoiceField(label=_("状态"), required=False, choices=_ALL + [("1", _("在用")), ("0", _("已停用"))])
    locked = forms.ChoiceField(label=_("登录锁定"), required=False,
                               choices=_ALL + [("1", _("锁定中")), ("0", _("未锁定"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = selectors_manage.provinces()
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-select-sm" if isinstance(field.widget, forms.Select) else \
                " form-control-sm"

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        flag = {"1": True, "0": False}
        return {
            "q": data["q"].strip(),
            "role": data["role"],
            "province": data["province"],
            "active": flag.get(data["active"]),
            "locked": flag.get(data["locked"]),
        }


class AccountForm(_Styled):
    """Create or edit an account. The province picks the city list (server-rendered; htmx
    refreshes it when the province changes, a button does it without JavaScript)."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("登录用，创建后不能修改；字母、数字和 @/./+/-/_"))
    display_name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    mobile = forms.CharField(label=_("联系电话"), max_length=11, required=False, help_text=_("11 位手机号码，加密存储"))
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("请选择角色"))] + APP_ROLES,
                             help_text=_("系统管理员和审计管理员账号只能由运维人员在服务器上用命令创建。"))
    province = _ProvinceChoice(label=_("省份"), required=False, queryset=Division.objects.none(),
                               empty_label=_("请选择省份"),
                               help_text=_("城市申报单位和省级主管部门须选择；其他角色不选。"))
    city = _ProvinceChoice(label=_("城市"), required=False, queryset=Division.objects.none(),
                           empty_label=_("请选择城市"), help_text=_("仅城市申报单位选择。"))

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = selectors_manage.provinces()
        if editing:
            del self.fields["username"]
        province = self._chosen_province()
        self.fields["city"].queryset = selectors_manage.cities_for(province)
        self.fields["province"].widget.attrs["aria-controls"] = "id_city"

    def _chosen_province(self):
        code = self.data.get("province") if self.is_bound else self.initial.get("province")
        code = getattr(code, "pk", code)
        if not code or not isinstance(code, str) or len(code) > 6:
            return None
        return selectors_manage.provinces().filter(pk=code).first()

    def clean(self):
        data = super().clean()
        role, province, city = data.get("role"), data.get("province"), data.get("city")
        # The division the role binds to: a city for a city applicant, the province for a
        # provincial official, none otherwise (the model says why a choice does not fit).
        if role == Role.CITY_APPLICANT:
            data["division"] = city
        elif role == Role.PROVINCIAL_OFFICIAL:
            data["division"] = province
        else:
            data["division"] = city or province
        return data

    @classmethod
    def initial_for(cls, account):
        division, province, city = account.division, None, None
        if division is not None and account.role == Role.CITY_APPLICANT:
            province, city = division.parent or division, division  # a 直辖市 is its own province
        elif division is not None:
            province = division
        return {"display_name": account.display_name, "mobile": account.mobile, "role": account.role,
                "province": getattr(province, "pk", None), "city": getattr(city, "pk", None)}
