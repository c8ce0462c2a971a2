import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Attachments written under a temporary MEDIA_ROOT, never the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
