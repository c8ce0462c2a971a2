import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Recommendation documents go to a per-test media directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
