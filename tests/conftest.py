import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import DEMO_PASSWORD, make_user  # noqa: E402

CHROMIUM = os.environ.get("ICDC_CHROMIUM", "/usr/bin/chromium")


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
    # Hashing strength is not under test here (and PBKDF2 at 1M rounds costs ~0.5 s a login).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def role_users(db):
    """One active user per role, bound to realistic divisions where the role needs one."""
    from icdc.accounts.models import Role

    return {role: make_user(role) for role in Role}
