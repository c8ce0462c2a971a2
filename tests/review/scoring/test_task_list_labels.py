"""The expert's task list and sheet name the group by its label (综合型), not its code (COMP)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_task_list_shows_the_groups_label(client, sw):
    assert sw["panel"].group == "COMP"
    label = sw["batch"].programme().track_label("COMP")
    assert label == "综合型"
    client.force_login(sw["members"][0].account)
    page = client.get(reverse("scoring:tasks")).content.decode()
    cells = re.findall(r'data-testid="task-group">([^<]*)<', page)
    assert cells == ["综合型", "综合型"]  # 济南 and 南京


def test_the_sheet_shows_the_groups_label(client, sw):
    client.force_login(sw["members"][0].account)
    page = client.get(reverse("scoring:sheet", args=[sw["panel"].pk, sw["applications"][0].pk])).content.decode()
    assert re.findall(r'data-testid="group-label">([^<]*)<', page) == ["综合型"]
