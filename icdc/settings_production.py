"""Production profile: everything the embedded profile relaxes is enforced here.

Required environment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL,
ICDC_AUDIT_KEY, ICDC_DATA_KEYS; ICDC_BACKUP_KEY for the backup commands (see README, "Production").
"""

from .settings import *  # noqa: F403
from .settings import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
ICDC_AUDIT_KEY = env("ICDC_AUDIT_KEY")
ICDC_DATA_KEYS = env.dict("ICDC_DATA_KEYS")  # SM4 data keys: from the environment, never a file
ICDC_DATA_KEY_FILE = None
# The web application never uses the backup key; ``backup``/``verify_backup``/``restore`` refuse without it.
ICDC_BACKUP_KEY = env("ICDC_BACKUP_KEY", default="")
ICDC_BACKUP_KEY_FILE = None
ICDC_REQUIRE_2FA = True
ICDC_ALLOW_DEMO_ACCOUNTS = False

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-icdc-session"
CSRF_COOKIE_NAME = "__Host-icdc-csrf"

WHITENOISE_USE_FINDERS = False  # only the collected, hashed files of `collectstatic`
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405

# Links in notification e-mail: the public address of the platform (default: the first allowed host, over HTTPS).
ICDC_SITE_URL = env("ICDC_SITE_URL", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}").rstrip("/")
