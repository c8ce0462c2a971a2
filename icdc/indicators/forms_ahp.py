"""The pairwise comparison form of the AHP page: one select per pair above the diagonal.

Each select offers Saaty's 1–9 scale in both directions (“A 比 B 明显重要（5）” … “同等重要（1）”
… “B 比 A 明显重要（1/5）”); the value is a_AB, the reciprocal a_BA = 1 / a_AB is implied.
Anything else — a missing pair, a value not on the scale — is a Chinese field error.
"""

from fractions import Fraction

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icdc.scoring.ahp import judgement_text, pairwise_matrix

PAIR_SEPARATOR = "~"  # not allowed in indicator or dimension codes, so field names are unambiguous
MAX_ITEMS = 10  # Saaty's random index stops at 10; the engine refuses larger matrices

# Saaty's verbal scale; 2, 4, 6, 8 are the values between two neighbours.
INTENSITY = {
    1: gettext_lazy("同等重要"),
    2: gettext_lazy("介于同等与稍微重要之间"),
    3: gettext_lazy("稍微重要"),
    4: gettext_lazy("介于稍微与明显重要之间"),
    5: gettext_lazy("明显重要"),
    6: gettext_lazy("介于明显与强烈重要之间"),
    7: gettext_lazy("强烈重要"),
    8: gettext_lazy("介于强烈与极端重要之间"),
    9: gettext_lazy("极端重要"),
}
# The options, A's side first: 9 … 2, 1, 1/2 … 1/9.
SCALE = [str(k) for k in range(9, 1, -1)] + ["1"] + [f"1/{k}" for k in range(2, 10)]


def scale_value(key):
    """The judgement a_AB an option stands for (“1/3” → 1/3)."""
    return float(Fraction(key))


def scale_key(value):
    """The option for a stored judgement, or None if it is not on the scale (e.g. 2.5)."""
    text = judgement_text(float(value))
    return text if text in SCALE else None


def reciprocal_key(key):
    """The implied judgement a_BA as written: “3” → “1/3”, “1/5” → “5”, “1” → “1”."""
    return judgement_text(1 / scale_value(key))


def option_label(key, a, b):
    value = Fraction(key)
    if value == 1:
        return _("同等重要（1）")
    if value > 1:
        return _("%(a)s 比 %(b)s %(intensity)s（%(value)s）") % {
            "a": a, "b": b, "intensity": INTENSITY[int(value)], "value": key}
    return _("%(b)s 比 %(a)s %(intensity)s（%(value)s）") % {
        "a": a, "b": b, "intensity": INTENSITY[value.denominator], "value": key}


class PairwiseForm(forms.Form):
    """``items`` are ``(code, name, …)`` in matrix order; one required choice per pair i < j."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = [item[0] for item in items]
        self.names = {item[0]: item[1] for item in items}
        self.pairs = []
        for i, a in enumerate(self.labels):
            for b in self.labels[i + 1:]:
                name = f"{a}{PAIR_SEPARATOR}{b}"
                words = {"a": a, "b": b}
                self.fields[name] = forms.ChoiceField(
                    label=_("“%(a)s”相对“%(b)s”的重要程度") % words,
                    choices=[("", _("— 请选择 —")), *((key, option_label(key, a, b)) for key in SCALE)],
                    error_messages={
                        "required": _("请选择“%(a)s”与“%(b)s”的比较") % words,
                        "invalid_choice": _("“%(a)s”与“%(b)s”的判断值须为 1/9～9 标度上的值") % words,
                    },
                    widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-ahp-pair": "",
                                               "data-a": a, "data-b": b}),
                )
                self.pairs.append((a, b, name))

    def clean(self):
        data = super().clean()
        if len(self.labels) < 2:
            raise forms.ValidationError(_("至少需要两项才能两两比较"))
        if len(self.labels) > MAX_ITEMS:
            raise forms.ValidationError(
                _("本层有 %(n)s 项，超过 10 项无随机一致性指标可用；请先分组（每层不超过 10 项）再比较")
                % {"n": len(self.labels)})
        return data

    def rows(self):
        """(a, name of a, bound field, b, name of b, implied a_BA or "") per pair, for the template."""
        for a, b, name in self.pairs:
            field = self[name]
            if field.errors:
                field.field.widget.attrs["class"] += " is-invalid"
            value = field.value()
            yield {"a": a, "a_name": self.names[a], "field": field, "b": b, "b_name": self.names[b],
                   "reciprocal": reciprocal_key(value) if value in SCALE else ""}

    def matrix(self):
        """The full reciprocal matrix (list of lists) of the cleaned judgements."""
        judgements = {(a, b): scale_value(self.cleaned_data[name]) for a, b, name in self.pairs}
        return pairwise_matrix(self.labels, judgements).tolist()


def initial_from_matrix(labels, stored_labels, matrix):
    """Initial selections from an earlier derivation of the same items (else nothing)."""
    if list(stored_labels) != list(labels):
        return {}
    initial = {}
    for i, a in enumerate(labels):
        for j in range(i + 1, len(labels)):
            key = scale_key(matrix[i][j])
            if key is not None:
                initial[f"{a}{PAIR_SEPARATOR}{labels[j]}"] = key
    return initial
