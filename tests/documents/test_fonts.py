"""Which font each part is set in: the official font when installed, else the free stand-in."""

from icdc.documents.fonts import choose, font_css

FREE = frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei"})


def test_without_official_fonts_the_title_is_noto_serif_bold_and_the_body_noto_serif():
    title, body = choose("title", FREE), choose("body", FREE)
    assert (title.family, title.weight) == ("Noto Serif CJK SC", 700)
    assert (body.family, body.weight) == ("Noto Serif CJK SC", 400)
    assert choose("heiti", FREE).family == "Noto Sans CJK SC"
    assert body.stack == '"Noto Serif CJK SC", "WenQuanYi Zen Hei", serif'


def test_an_installed_official_title_font_is_used_at_its_own_weight_not_emboldened():
    title = choose("title", FREE | {"方正小标宋简体"})
    assert (title.family, title.weight) == ("方正小标宋简体", 400)
    assert title.stack.startswith('"方正小标宋简体", "Noto Serif CJK SC"')
    assert choose("body", FREE | {"仿宋_GB2312"}).family == "仿宋_GB2312"


def test_with_nothing_installed_the_free_fonts_are_still_named():
    assert choose("title", frozenset()).family == "Noto Serif CJK SC"
    assert set(font_css(frozenset())) == {"title", "body", "heiti", "kaiti", "song", "sans"}
