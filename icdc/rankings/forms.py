"""The choices of a batch's scoring run (issue 14 item 8): which batch, which type, which statistics year."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icdc.batches.models import Batch


class BatchRunForm(forms.Form):
    """What the officer chooses; everything else (sheets, defence, figures, parameters) comes from
    the batch. Blank year: the service finds it (``batch_inputs``); blank seed: a random one."""

    batch = forms.ModelChoiceField(label=_("批次"), queryset=Batch.objects.none(), empty_label=_("请选择批次"))
    system = forms.CharField(label=_("申报类型"), required=False, max_length=32)
    year = forms.IntegerField(label=_("统计数据年份"), required=False, min_value=1949, max_value=2100,
                              help_text=_("留空则取批次年度之前最近一年的统计数据"))
    label = forms.CharField(label=_("运行名称"), required=False, max_length=200, help_text=_("留空则自动命名"))
    seed = forms.IntegerField(label=_("随机种子"), required=False, min_value=0, max_value=2**31 - 1,
                              help_text=_("稳健性分析所用；留空则随机生成并随运行保存"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = Batch.objects.exclude(status="draft").order_by("-year", "-pk")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "batch" else "form-control"
