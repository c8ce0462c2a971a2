"""The application page reads a fixed number of rows whatever the number of sections and files."""

import pytest
from django.urls import reverse

from icdc.applications import attachments, services
from tests.applications import appform_factories as f

pytestmark = pytest.mark.django_db

# +1 since the top bar counts unread messages (icdc.notifications)
EDIT_PAGE_QUERIES = 13
FROZEN_PAGE_QUERIES = 9


@pytest.fixture
def complete(draft_version):
    user = f.city_user()
    application = f.fill(f.started(user, f.batch(indicator_version=draft_version)), user)
    return application, user


def test_the_editing_page(client, complete, django_assert_max_num_queries):
    application, user = complete
    client.force_login(user)
    url = reverse("applications:detail", args=[application.pk])
    client.get(url)
    with django_assert_max_num_queries(EDIT_PAGE_QUERIES):
        page = client.get(url)
    assert 'data-testid="complete"' in page.content.decode()
    for n in range(5):  # more files: the same number of queries
        attachments.attachment_upload(application=application, purpose="material-OTHER",
                                      uploaded_file=f.pdf_file(f"附加{n}.pdf"), user=user)
    with django_assert_max_num_queries(EDIT_PAGE_QUERIES):
        client.get(url)


def test_the_frozen_page(client, complete, django_assert_max_num_queries):
    application, user = complete
    services.application_submit(application=application, user=user)
    client.force_login(user)
    url = reverse("applications:detail", args=[application.pk])
    client.get(url)
    with django_assert_max_num_queries(FROZEN_PAGE_QUERIES):
        client.get(url)
