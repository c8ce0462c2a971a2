import io

import pytest
from django.core.management import call_command


@pytest.fixture
def divisions(db):
    call_command("load_divisions", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def loaded(divisions):
    out = io.StringIO()
    call_command("load_titles", stdout=out, stderr=io.StringIO())
    return out.getvalue()
