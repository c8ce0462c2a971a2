import pytest

from . import helpers


@pytest.fixture
def sw(draft_version):
    """The scoring world (see ``helpers.scoring_world``)."""
    return helpers.scoring_world(draft_version)
