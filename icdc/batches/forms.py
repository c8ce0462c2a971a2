"""The batch form. Its quota fields come from the programme definition (one per scoring track: a
type without domains, or each domain of a type that chooses domains); nothing here names them."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SHANGHAI
from .services import quota_keys

QUOTA_PREFIX = "quota_"


class BeijingDateTimeField(forms.DateTimeField):
    """A date and time typed in Beijing time (Asia/Shanghai), returned as an aware instant."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"], **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        wall = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        return wall.replace(tzinfo=SHANGHAI)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return value.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")
        return value


class BatchForm(forms.Form):
    title = forms.CharField(label=_("批次名称"), max_length=120, required=False,
                            help_text=_("留空则为“某年度某申报项目申报”"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("开放日期"), widget=forms.DateInput(attrs={"type": "date"}))
    city_deadline = BeijingDateTimeField(label=_("城市申报截止时间（北京时间）"))
    province_deadline = BeijingDateTimeField(label=_("省级报送截止时间（北京时间）"))
    indicator_version = forms.ModelChoiceField(label=_("评价指标体系版本"), queryset=None,
                                               help_text=_("只能选用已发布的版本；开放申报时锁定。"))
    material_weight = forms.DecimalField(label=_("材料评审权重"), min_value=0, max_value=1, decimal_places=3)
    defence_weight = forms.DecimalField(label=_("答辩权重"), min_value=0, max_value=1, decimal_places=3,
                                        help_text=_("两项权重之和须等于 1。"))
    pass_mark = forms.DecimalField(label=_("合格分数线"), min_value=0, max_value=100, decimal_places=2)
    notice_working_days = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=60)

    def __init__(self, *args, programme, batch=None, **kwargs):
        from icdc.indicators.models import IndicatorSetVersion

        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["indicator_version"].queryset = IndicatorSetVersion.objects.exclude(
            status=IndicatorSetVersion.Status.DRAFT).order_by("-pk")
        types = {t.code: t.label for t in programme.types}
        for track in programme.tracks:
            label = track.label if track.code == track.type_code else f"{types[track.type_code]} · {track.label}"
            self.fields[QUOTA_PREFIX + track.code] = forms.IntegerField(
                label=_("名额：%(track)s") % {"track": label}, min_value=0, max_value=1000, required=False)
        if batch is not None:
            del self.fields["year"]
            for name in ("title", "opens_on", "city_deadline", "province_deadline", "indicator_version",
                         "material_weight", "defence_weight", "pass_mark", "notice_working_days"):
                self.initial.setdefault(name, getattr(batch, name))
            for key, value in (batch.quotas or {}).items():
                self.initial.setdefault(QUOTA_PREFIX + key, value)
        else:
            self.initial.setdefault("material_weight", "0.6")
            self.initial.setdefault("defence_weight", "0.4")
            self.initial.setdefault("pass_mark", "60")
            self.initial.setdefault("notice_working_days", 5)

    def quota_fields(self):
        return [self[QUOTA_PREFIX + key] for key in quota_keys(self.programme)]

    def other_fields(self):
        return [field for field in self if not field.name.startswith(QUOTA_PREFIX)]

    def service_arguments(self):
        """The cleaned values as the service's keyword arguments."""
        data = dict(self.cleaned_data)
        data["quotas"] = {key: data.pop(QUOTA_PREFIX + key) for key in quota_keys(self.programme)
                          if data.get(QUOTA_PREFIX + key) is not None}
        for key in quota_keys(self.programme):
            data.pop(QUOTA_PREFIX + key, None)
        return data
