"""居民身份证号码 check character (GB 11643-1999, ISO 7064 MOD 11-2)."""

import pytest

from icdc.review.idnumbers import check_character, id_number_problem
from tests.review.factories import bad_check, id_number


def test_the_standards_own_example_is_valid():
    assert check_character("11010519491231002") == "X"
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("11010519491231002x") is None  # a lower-case x is the same character


@pytest.mark.parametrize("value", ["110105194912310021", "11010519491231002", "1101051949123100211", "",
                                   "01010519491231002X", "11010519491331002X", "1101051949123100AX"])
def test_a_wrong_check_character_length_or_date_is_refused(value):
    assert id_number_problem(value)


def test_the_check_character_names_the_standard():
    assert "校验位" in id_number_problem(bad_check(id_number()))


def test_every_generated_number_is_valid():
    assert all(id_number_problem(id_number(n)) is None for n in range(200))
