"""Number display for scoring pages: points with two decimals, shares as percentages."""

from django import template

register = template.Library()


@register.filter
def points(value):
    """Points as shown everywhere (pages and Excel display format): two decimals, "—" when absent.
    Never "-0.00": runs stored before the engine stopped writing −0.0 still hold it."""
    if value is None:
        return "—"
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


@register.filter
def percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def figure(value):
    """A statistic as stored (four decimals at most, as ``StatisticFigure`` keeps them, without
    trailing zeros); "—" when missing."""
    return "—" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


@register.filter
def short_hash(value):
    """``sha256:abcdef…`` → ``sha256:abcdef12…`` for tables; pages show the full value too."""
    algorithm, _sep, digest = (value or "").partition(":")
    return f"{algorithm}:{digest[:12]}…" if digest else value


@register.filter
def signed_percent(value):
    """A difference of shares in percentage points with its sign: +3.2, −1.0 (个百分点)."""
    if value is None:
        return "—"
    text = f"{value * 100:+.1f}"
    return "+0.0" if text == "-0.0" else text.replace("-", "−")
