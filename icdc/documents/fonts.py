"""Which installed font each part of a document is set in.

Official documents name their typefaces (GB/T 9704-2012 §7: 小标宋 for the title, 仿宋 for the
body, 黑体 and 楷体 for the first two heading levels, 宋体 for page numbers). Those fonts are
licensed (方正, 中易) and seldom installed on a Linux server; the free Noto CJK fonts
(Debian ``fonts-noto-cjk``) stand in for them, WenQuanYi Zen Hei last. When an operator installs
the official fonts, PDFs use them with no change here.

Each role lists (family, weight) pairs, best first. The weight belongs to the family: 小标宋 is a
heavy face at its normal weight, while its stand-in is Noto Serif CJK SC *Bold*. Asking the
installed 小标宋 for bold would make the renderer embolden it a second time, so the choice is
made here, from the families fontconfig knows, and not left to the CSS cascade.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass

from django.utils.safestring import mark_safe

SERIF_FALLBACK = ("Noto Serif CJK SC", "WenQuanYi Zen Hei", "serif")
SANS_FALLBACK = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "sans-serif")

ROLES = {
    # 小标宋: title and the issuing authority's mark.
    "title": (("方正小标宋简体", 400), ("FZXiaoBiaoSong-B05S", 400), ("方正小标宋_GBK", 400),
              ("Noto Serif CJK SC", 700), ("WenQuanYi Zen Hei", 700)),
    # 仿宋: body text, document number, addressees, signature, date.
    "body": (("仿宋_GB2312", 400), ("FangSong_GB2312", 400), ("仿宋", 400), ("FangSong", 400),
             ("Noto Serif CJK SC", 400), ("WenQuanYi Zen Hei", 400)),
    # 黑体: first heading level (一、).
    "heiti": (("黑体", 400), ("SimHei", 400), ("Noto Sans CJK SC", 400), ("WenQuanYi Zen Hei", 400)),
    # 楷体: second heading level (（一）); no free 楷体 in the base system: bold serif marks it instead.
    "kaiti": (("楷体_GB2312", 400), ("KaiTi_GB2312", 400), ("楷体", 400), ("KaiTi", 400),
              ("AR PL UKai CN", 400), ("Noto Serif CJK SC", 700), ("WenQuanYi Zen Hei", 400)),
    # 宋体: page numbers, forms.
    "song": (("宋体", 400), ("SimSun", 400), ("Noto Serif CJK SC", 400), ("WenQuanYi Zen Hei", 400)),
    # 黑体 for form headings.
    "sans": (("Noto Sans CJK SC", 700), ("WenQuanYi Zen Hei", 700)),
}

FREE = frozenset(SERIF_FALLBACK + SANS_FALLBACK)
FALLBACKS = {"heiti": SANS_FALLBACK, "sans": SANS_FALLBACK}


@dataclass(frozen=True)
class FontChoice:
    family: str
    weight: int
    stack: str  # the CSS font-family value: the chosen family, then the free fallbacks

    def css(self) -> str:
        return f"font-family: {self.stack}; font-weight: {self.weight};"


@functools.cache
def installed_families() -> frozenset[str]:
    """Every family name fontconfig knows (all its localised names), once per process."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    try:
        out = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in out.stdout.splitlines() for name in line.split(",") if name.strip())


def choose(role: str, families: frozenset[str] | None = None) -> FontChoice:
    """The first installed family for ``role`` (or the last resort if none is installed)."""
    families = installed_families() if families is None else families
    candidates = ROLES[role]
    free = next(c for c in candidates if c[0] in FREE)
    family, weight = next((c for c in candidates if c[0] in families), free)
    fallback = FALLBACKS.get(role, SERIF_FALLBACK)
    names = [family, *(f for f in fallback if f != family)]
    stack = ", ".join(name if name in ("serif", "sans-serif") else f'"{name}"' for name in names)
    return FontChoice(family=family, weight=weight, stack=stack)


def font_css(families: frozenset[str] | None = None) -> dict[str, str]:
    """``{role: "font-family: …; font-weight: …;"}`` for the templates (our own constants: safe)."""
    return {role: mark_safe(choose(role, families).css()) for role in ROLES}  # noqa: S308
