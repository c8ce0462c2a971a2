import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icdc.settings")
application = get_wsgi_application()

# Refuse to serve with a missing or substituted key (gunicorn's worker fails to boot, runserver
# stops with the message) rather than answer requests that would seal data with the wrong key.
from icdc.keyring.checks import refuse_to_start_with_bad_keys  # noqa: E402

refuse_to_start_with_bad_keys()
