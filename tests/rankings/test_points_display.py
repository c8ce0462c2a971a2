"""Points on pages never read "-0.00" (issue 10, item 14): runs stored before the engine
stopped writing −0.0 still hold it in their result."""

from icdc.rankings.templatetags.rankings_tags import points


def test_negative_zero_and_tiny_negatives_show_as_zero():
    assert points(-0.0) == "0.00"
    assert points(-0.001) == "0.00"


def test_other_values_keep_their_sign_and_two_decimals():
    assert points(-0.01) == "-0.01"
    assert points(2.5) == "2.50"
    assert points(None) == "—"
