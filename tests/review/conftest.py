import pytest

from tests.review import factories


@pytest.fixture
def cities(db):
    return factories.cities()


@pytest.fixture
def expert_user(role_users):
    from icdc.accounts.models import Role

    return role_users[Role.EXPERT]


@pytest.fixture
def pool_expert(cities, expert_user):
    """The expert role's user of ``role_users``, entered in the pool (Qingdao, 山东)."""
    return factories.expert(account=expert_user, city=cities["qingdao"])
