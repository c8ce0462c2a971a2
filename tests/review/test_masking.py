"""Personal numbers masked for whoever does not need them: lists, exports and the audit trail always;
the officer reads the mobile in full on the detail page; the expert reads their own in full."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.review import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(cities):
    return factories.expert(name="吴九", mobile="13812345678", number=factories.id_number(7), city=cities["qingdao"])


def test_the_list_masks_both_numbers(officer_client, expert):
    page = officer_client.get(reverse("experts:list")).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert expert.id_number not in page and expert.id_number[:3] + "*" * 11 + expert.id_number[-4:] in page


def test_the_officer_reads_the_mobile_in_full_but_never_the_id_number(officer_client, expert):
    page = officer_client.get(reverse("experts:detail", args=[expert.pk])).content.decode()
    assert "13812345678" in page and expert.id_number not in page


def test_the_export_masks_the_numbers(officer_client, expert):
    response = officer_client.get(reverse("experts:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None]
    assert "138****5678" in cells and "13812345678" not in cells and expert.id_number not in cells
    assert "吴九" in cells


def test_the_expert_reads_their_own_numbers_in_full(client, expert):
    client.force_login(expert.account)
    page = client.get(reverse("experts:my_conflicts")).content.decode()
    assert "13812345678" in page and expert.id_number in page


def test_the_edit_form_never_shows_the_id_number(officer_client, expert):
    page = officer_client.get(reverse("experts:edit", args=[expert.pk])).content.decode()
    assert expert.id_number not in page
