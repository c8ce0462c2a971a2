import pytest

TEST_KEY = "22" * 16
OLD_KEY = "33" * 16


@pytest.fixture(autouse=True)
def data_keys(settings):
    """Test data keys from "the environment", never the developer's var/ key file."""
    settings.ICDC_DATA_KEYS = {"t1": TEST_KEY}
    settings.ICDC_DATA_KEY_ID = "t1"
    return settings
