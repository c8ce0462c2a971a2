import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import DEMO_PASSWORD, make_user  # noqa: E402

# The binary scripts/system_deps.sh checks for (`make test` runs it first).
CHROMIUM = os.environ.get("ICDC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(autouse=True)
def _audit_key(settings, tmp_path_factory):
    # A test key outside the database, as in production; never the developer's var/ key.
    settings.ICDC_AUDIT_KEY = "11" * 32
    settings.ICDC_AUDIT_KEY_ID = "test"
    # Likewise the SM4 data key: never the developer's var/ key file.
    settings.ICDC_DATA_KEYS = {"test": "33" * 16}
    settings.ICDC_DATA_KEY_ID = "test"
    # And the backup signing key.
    settings.ICDC_BACKUP_KEY = "55" * 32
    settings.ICDC_BACKUP_KEY_ID = "test"
    # Hashing strength is not under test here (and PBKDF2 at 1M rounds costs ~0.5 s a login).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty Django cache: the portal caches whole pages and the throttle
    counts POSTs there, and a page cached by one test must not answer another test's database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def role_users(db):
    """One active user per role, bound to realistic divisions where the role needs one."""
    from icdc.accounts.models import Role

    return {role: make_user(role) for role in Role}


DRAFT_INDICATORS = Path(__file__).resolve().parents[1] / "data" / "indicators" / "draft-2019.yaml"


@pytest.fixture
def draft_version(db):
    """The project's default indicator seed, loaded the way ``load_indicators`` loads it."""
    from icdc.indicators.services import import_version_document
    from icdc.indicators.yaml_io import load_document

    version, _created = import_version_document(document=load_document(DRAFT_INDICATORS.read_bytes()))
    return version


@pytest.fixture
def officer(role_users):
    from icdc.accounts.models import Role

    return role_users[Role.MINISTRY_OFFICER]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client
