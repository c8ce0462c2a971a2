import pytest
from django_tasks.signals import task_enqueued

from icdc.accounts.models import Role
from tests.factories import division, make_user

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # The e-mail task runs inside the on_commit callback that queues it, as db_worker would
    # run it a moment later; ``enqueued`` still counts how many tasks were queued.
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def enqueued():
    """The django-tasks results queued during the test (any backend)."""
    seen = []

    def receiver(sender, task_result, **kwargs):
        seen.append(task_result)

    task_enqueued.connect(receiver, weak=False)
    yield seen
    task_enqueued.disconnect(receiver)


@pytest.fixture
def jinan_city(db):
    return division("370100", "济南市")


@pytest.fixture
def people(jinan_city):
    """Two city applicants of 济南 (one without e-mail), one of 青岛, the 山东 official, two officers."""
    shandong = jinan_city.parent
    return {
        "jinan1": make_user(Role.CITY_APPLICANT, division_obj=jinan_city, email="jinan1@example.gov.cn"),
        "jinan2": make_user(Role.CITY_APPLICANT, division_obj=jinan_city, email=""),
        "qingdao": make_user(Role.CITY_APPLICANT, division_obj=division("370200", "青岛市"), email="qd@example.gov.cn"),
        "shandong": make_user(Role.PROVINCIAL_OFFICIAL, division_obj=shandong, email="sd@example.gov.cn"),
        "officer1": make_user(Role.MINISTRY_OFFICER, email="officer1@miit.example.gov.cn"),
        "officer2": make_user(Role.MINISTRY_OFFICER, email="officer2@miit.example.gov.cn"),
    }
