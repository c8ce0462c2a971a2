"""Settings for ICDC, read from the environment (12-factor).

The defaults are the *embedded* profile: one machine, SQLite, local files and
database-backed jobs. ``icdc.settings_production`` hardens them for a deployment.
Every knob is an environment variable named like the setting (see README).
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("ICDC_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Off by default, the embedded profile included: a mistyped URL must give the branded Chinese
# 404 page, not Django's debug page listing every URL. Developers: DJANGO_DEBUG=true.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="embedded-only-insecure-key-do-not-use-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # ICDC apps, one per programme area
    "icdc.divisions",
    "icdc.accounts",
    "icdc.audit",
    "icdc.home",
    "icdc.indicators",
    "icdc.rankings",
    "icdc.decisions",
    "icdc.programmes",
    "icdc.batches",
    "icdc.applications",
    "icdc.review",
    "icdc.notifications",
    "icdc.documents",
    "icdc.workdays",
    "icdc.titles",
    "icdc.portal",
    "icdc.backups",
    "icdc.keyring",
    "icdc.demo",
    # django-simple-captcha (the public objection form): images drawn here with a local font
    # (CAPTCHA_FONT_PATH). Last: its zh_Hans catalogue retranslates Django's "This field is
    # required."; icdc.portal's locale (listed earlier, so it wins) restores the wording.
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "icdc.home.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "icdc.home.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "icdc.accounts.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "icdc.audit.middleware.AuditContextMiddleware",
    # axes must come last (its docs)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "icdc.urls"
WSGI_APPLICATION = "icdc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "icdc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "icdc.home.context_processors.navigation",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'icdc.sqlite3'}"),
}
# Keep connections between requests (a new PostgreSQL connection per request cost more
# than most pages); a connection found broken is replaced before a request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes a writing transaction take SQLite's write lock at BEGIN, so two
    # writers queue instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env(
        "ICDC_SQLITE_TEST_NAME", default=""
    ) or None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------
# Embedded default: per process (locmem). A deployment with several workers sets CACHE_URL to a
# cache they all share (redis://127.0.0.1:6379/0: Django's own RedisCache, package "redis");
# sessions are then read through it (SESSION_ENGINE below).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://icdc")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "icdc.lib.cache.RedisCache"  # Django's, keeping its client objects
SHARED_CACHE_BACKENDS = ("icdc.lib.cache.RedisCache", "django.core.cache.backends.redis.RedisCache",
                         "django.core.cache.backends.memcached.PyMemcacheCache",
                         "django.core.cache.backends.memcached.PyLibMCCache")

# --- background jobs (django-tasks; Django 6's django.tasks API) ---------------
TASKS = {"default": {"BACKEND": env("ICDC_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# --- e-mail (notifications, icdc/notifications) -------------------------------------
# Embedded default: every message is written as a file under var/mail (nothing leaves the
# machine on an isolated network). A deployment with a mail relay sets EMAIL_URL, e.g.
# smtp+tls://user:password@mail.example.gov.cn:587 (django-environ's format).
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))  # EMAIL_BACKEND, EMAIL_HOST, _PORT, _USE_TLS, …
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env("ICDC_MAIL_DIR", default=str(VAR_DIR / "mail")))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # seconds: a dead relay must not hold a worker
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ICDC <noreply@localhost>")
# The address links in e-mail point to (a message read outside the platform needs a full URL).
# Public-notice periods count Chinese working days (icdc.workdays). False: the period starts on the
# first working day after the publication day; True: a publication day that is a working day is day 1.
ICDC_NOTICE_COUNTS_PUBLICATION_DAY = env.bool("ICDC_NOTICE_COUNTS_PUBLICATION_DAY", default=False)

# Expert scoring (issue 14 item 5): the progress page flags an application whose submitted sheets'
# totals spread more than this (max − min, points) or whose standard deviation exceeds this.
ICDC_SCORE_SPREAD_RANGE = env.float("ICDC_SCORE_SPREAD_RANGE", default=10.0)
ICDC_SCORE_SPREAD_STDEV = env.float("ICDC_SCORE_SPREAD_STDEV", default=5.0)

ICDC_SITE_URL = env("ICDC_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- authentication and session policy (等保2.0 三级, shared/SECURITY.md) -------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # accounts: password check only — every permission comes from icdc/accounts/rules.py
    "icdc.accounts.backends.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "icdc.accounts.passwords.MinimumLengthValidator",  # Django's, with a Chinese message
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "icdc.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "icdc.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

ICDC_IDLE_TIMEOUT = timedelta(minutes=env.int("ICDC_IDLE_TIMEOUT_MINUTES", default=30))
ICDC_PASSWORD_MAX_AGE = timedelta(days=env.int("ICDC_PASSWORD_MAX_AGE_DAYS", default=90))
# Two-factor (TOTP) for ministry, expert and administrator accounts. Off only in the
# embedded demo so a newcomer can log in as every role in a minute; production forces it.
ICDC_REQUIRE_2FA = env.bool("ICDC_REQUIRE_2FA", default=False)
# Demo accounts with a published password exist only in the embedded demo (SECURITY.md:
# no default accounts in production).
ICDC_ALLOW_DEMO_ACCOUNTS = env.bool("ICDC_ALLOW_DEMO_ACCOUNTS", default=True)
OTP_TOTP_ISSUER = "ICDC 信息消费示范城市"

# The idle rule is the policy middleware's: it keeps a last-seen stamp in the session and
# rewrites it at most once per ICDC_SESSION_STAMP_SECONDS, not on every request (a session
# write per request halved throughput behind login). So a session ends after between 29 and
# 30 minutes without a request, never later. The store keeps a session one interval longer,
# so the middleware, which audits the expiry, always sees it first.
ICDC_SESSION_STAMP_SECONDS = env.int("ICDC_SESSION_STAMP_SECONDS", default=60)
# Database sessions that know their account (icdc/accounts/sessions.py). With a shared cache they
# are read through it: no session query on most requests behind login (issue 12). Never through a
# per-process cache: a logout or a displacement in one worker would not reach another's copy.
SESSION_ENGINE = ("icdc.accounts.cached_sessions" if CACHES["default"]["BACKEND"] in SHARED_CACHE_BACKENDS
                  else "icdc.accounts.sessions")
SESSION_COOKIE_AGE = int(ICDC_IDLE_TIMEOUT.total_seconds()) + ICDC_SESSION_STAMP_SECONDS
# Live sessions per account; at login the older ones are ended (0: no limit).
ICDC_MAX_SESSIONS_PER_USER = env.int("ICDC_MAX_SESSIONS_PER_USER", default=1)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ICDC_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "icdc.accounts.views.lockout_response"
AXES_VERBOSE = False
# The control locks the *account* (SECURITY.md); locking by IP too would lock out a whole
# provincial office behind one NAT address after five typos by different people.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# One client address for the lock-out records and the audit trail: the peer, or behind the
# front proxy the right-most address in X-Forwarded-For that is not a trusted proxy.
# ICDC_TRUSTED_PROXIES lists the proxies' addresses or networks ("127.0.0.1,10.0.0.0/8");
# empty (the default) believes no X-Forwarded-For at all.
ICDC_TRUSTED_PROXIES = env.list("ICDC_TRUSTED_PROXIES", default=[])
for _proxy in ICDC_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _exc:  # refuse to start rather than fail on every request
        raise ImproperlyConfigured(f"ICDC_TRUSTED_PROXIES: “{_proxy}”不是 IP 地址或网段 (not an address or network)") from _exc
AXES_CLIENT_IP_CALLABLE = "icdc.audit.context.client_ip"

# --- audit trail ----------------------------------------------------------------
# The HMAC key lives outside the database: whoever can write the database must not be
# able to recompute the chain. Embedded default: a key file under var/ (created on first
# use); production: ICDC_AUDIT_KEY (hex) from the environment or a secrets manager.
ICDC_AUDIT_KEY = env("ICDC_AUDIT_KEY", default="")
ICDC_AUDIT_KEY_ID = env("ICDC_AUDIT_KEY_ID", default="k1")
ICDC_AUDIT_KEY_FILE = Path(env("ICDC_AUDIT_KEY_FILE", default=str(VAR_DIR / "audit-hmac.key")))
ICDC_AUDIT_RETENTION_DAYS = env.int("ICDC_AUDIT_RETENTION_DAYS", default=180)
# Retired keys stay verifiable after a rotation: "k1=hex,k0=hex".
ICDC_AUDIT_OLD_KEYS = env.dict("ICDC_AUDIT_OLD_KEYS", default={})
ICDC_AUDIT_ARCHIVE_DIR = Path(env("ICDC_AUDIT_ARCHIVE_DIR", default=str(VAR_DIR / "audit-archive")))
ICDC_AUDIT_EXPORT_MAX_ROWS = env.int("ICDC_AUDIT_EXPORT_MAX_ROWS", default=100_000)

# --- the public portal (icdc/portal) and public forms -----------------------------------
# Public pages are cached (the Django cache) and invalidated when a title or a published document
# is saved (icdc.portal.cache). A per-process cache (the embedded default) is invalidated only in
# the process that published, so its entries live briefly; a shared cache keeps them an hour.
# 0 turns the page cache off.
ICDC_PORTAL_CACHE_SECONDS = env.int(
    "ICDC_PORTAL_CACHE_SECONDS",
    default=3600 if CACHES["default"]["BACKEND"] in SHARED_CACHE_BACKENDS else 60)
ICDC_PORTAL_PAGE_SIZE = env.int("ICDC_PORTAL_PAGE_SIZE", default=20)
# The map of China on the list of demonstration cities (icdc/portal/map.py). Publishing a map of
# China needs an approved map (审图号): ICDC_PORTAL_MAP_SOURCE is the operator's approved GeoJSON of
# the provinces (empty: the shipped echarts 4.9.0 boundaries, icdc/portal/data/), turned into the
# static sprite by ``manage.py build_portal_map``; ICDC_PORTAL_MAP_APPROVAL (e.g. "审图号：GS(2024)0650号")
# is printed under the map; ICDC_PORTAL_MAP_SPRITE is the sprite's static name (empty, or the file
# removed: no map, the table alone).
ICDC_PORTAL_MAP_SOURCE = env("ICDC_PORTAL_MAP_SOURCE", default="")
ICDC_PORTAL_MAP_APPROVAL = env("ICDC_PORTAL_MAP_APPROVAL", default="")
ICDC_PORTAL_MAP_SPRITE = env("ICDC_PORTAL_MAP_SPRITE", default="portal/china-provinces.svg")
# Public POSTs per client address (icdc/lib/throttle.py, django-ratelimit's "N/m" notation):
# the default for every public form, and the verification page's own.
ICDC_PUBLIC_POST_RATE = env("ICDC_PUBLIC_POST_RATE", default="10/m")
ICDC_VERIFY_RATE = env("ICDC_VERIFY_RATE", default="20/m")
# The objection form (icdc/decisions/views_public.py): objections per client address.
ICDC_OBJECTION_RATE = env("ICDC_OBJECTION_RATE", default="5/h")
# django-simple-captcha (the objection form): drawn with a font on this machine, never fetched.
# DejaVu Sans Bold (Debian fonts-dejavu-core) when installed, else the library's own bundled font.
_CAPTCHA_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
if _CAPTCHA_FONT.is_file() or env("CAPTCHA_FONT_PATH", default=""):
    CAPTCHA_FONT_PATH = env("CAPTCHA_FONT_PATH", default=str(_CAPTCHA_FONT))
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_LETTER_ROTATION = (-25, 25)

# --- i18n -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "icdc" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("ICDC_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "icdc" / "static"]
# The embedded default serves static files straight from the apps and icdc/static through
# WhiteNoise (no collectstatic step, DEBUG off); production serves the collected, hashed copy.
WHITENOISE_USE_FINDERS = env.bool("ICDC_STATIC_FROM_FINDERS", default=True)
MEDIA_ROOT = Path(env("ICDC_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "ICDC_STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# --- content security policy: nothing but our own origin (isolated network) -----------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        # no plugins, and no <base> pointing relative URLs (scripts included) elsewhere
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("ICDC_LOG_LEVEL", default="WARNING")},
}

# --- data encryption at rest (SM4-GCM; 密评 GB/T 39786, SECURITY.md 数据保密性) --------
# icdc/lib/sm4.py. Keys never in the repository nor the database. Production: the
# environment, ICDC_DATA_KEYS="k2=<32 hex>,k1=<32 hex>" (old ids stay so old data stays
# readable) and ICDC_DATA_KEY_ID=k2 for new data. Embedded default: a key file under var/
# ("id=hex" lines, created on first use), used only while ICDC_DATA_KEYS is empty.
ICDC_DATA_KEYS = env.dict("ICDC_DATA_KEYS", default={})
ICDC_DATA_KEY_ID = env("ICDC_DATA_KEY_ID", default="k1")
ICDC_DATA_KEY_FILE = Path(env("ICDC_DATA_KEY_FILE", default=str(VAR_DIR / "data-sm4.keys")))

# Backup signing key (HMAC-SM3 over each archive's manifest; icdc/backups/keys.py). Production:
# ICDC_BACKUP_KEY (64 hex digits) from the environment; old ids in ICDC_BACKUP_OLD_KEYS so older
# archives still verify. Embedded default: a key file under var/, created by the first backup.
ICDC_BACKUP_KEY = env("ICDC_BACKUP_KEY", default="")
ICDC_BACKUP_KEY_ID = env("ICDC_BACKUP_KEY_ID", default="k1")
ICDC_BACKUP_OLD_KEYS = env.dict("ICDC_BACKUP_OLD_KEYS", default={})
ICDC_BACKUP_KEY_FILE = Path(env("ICDC_BACKUP_KEY_FILE", default=str(VAR_DIR / "backup-hmac.key")))
# Uploads (icdc/lib/uploads.py): one guard for every file the platform accepts. Limits hold
# before anything is parsed; archives (.xlsx, .docx) are checked member by member from their
# central directory, so a small zip bomb is refused without being inflated.
ICDC_UPLOAD_MAX_BYTES = env.int("ICDC_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
ICDC_UPLOAD_MAX_MEMBERS = env.int("ICDC_UPLOAD_MAX_MEMBERS", default=256)
ICDC_UPLOAD_MAX_MEMBER_BYTES = env.int("ICDC_UPLOAD_MAX_MEMBER_BYTES", default=32 * 1024 * 1024)
ICDC_UPLOAD_MAX_TOTAL_BYTES = env.int("ICDC_UPLOAD_MAX_TOTAL_BYTES", default=64 * 1024 * 1024)
ICDC_UPLOAD_MAX_RATIO = env.int("ICDC_UPLOAD_MAX_RATIO", default=100)
# Attachments (icdc/lib/stored_uploads.py): streamed to the default storage (MEDIA_ROOT, never
# served by a URL of its own; downloads go through a view that checks permission). One file at
# most ICDC_UPLOAD_MAX_ATTACHMENT_BYTES, all the attachments of one application together at most
# ICDC_UPLOAD_MAX_APPLICATION_BYTES. Django keeps an upload in memory up to
# ICDC_UPLOAD_MAX_MEMORY_BYTES and streams anything larger to a temporary file in
# ICDC_UPLOAD_TEMP_DIR (default: the system's; it must be on disk, not a RAM tmpfs).
ICDC_UPLOAD_MAX_ATTACHMENT_BYTES = env.int("ICDC_UPLOAD_MAX_ATTACHMENT_BYTES", default=50 * 1024 * 1024)
ICDC_UPLOAD_MAX_APPLICATION_BYTES = env.int("ICDC_UPLOAD_MAX_APPLICATION_BYTES", default=500 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("ICDC_UPLOAD_MAX_MEMORY_BYTES", default=2_621_440)
FILE_UPLOAD_TEMP_DIR = env("ICDC_UPLOAD_TEMP_DIR", default=None)
# A file over ICDC_UPLOAD_MAX_ATTACHMENT_BYTES is dropped while it arrives (never written whole to
# the temporary folder); the front proxy should cap the request body too (nginx client_max_body_size).
FILE_UPLOAD_HANDLERS = [
    "icdc.lib.stored_uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Stored files readable by the service account only (and its group, e.g. the backup operator).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
