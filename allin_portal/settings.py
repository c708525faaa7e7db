"""Settings for the ALL-IN portal, read from the environment.

Every variable is documented in docs/settings.md (tests/test_docs.py checks it). Bad values fail at
start-up rather than being silently ignored.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name, default)
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


def env_int(name, default):
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", "false")
# HTTPS: the portal is served over TLS (secure cookies, HSTS, redirect to https).
# Only a local run on http://127.0.0.1 turns it off.
HTTPS = env_bool("HTTPS", "true")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is not set (see docs/settings.md)")
# Key rotation: the previous keys, comma-separated, still accepted for signed links and
# sessions while new ones are signed with SECRET_KEY. Drop them once the links have expired.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin: per-language columns for site text (pages/translation.py).
    "modeltranslation",
    # django.contrib.admin, whose lists filter and search only what their viewer may read.
    "allin_portal.backoffice.BackOfficeConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the widget templates, for the site's form renderer
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "django_countries",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    # The portal's own apps come last: their post_migrate handlers run after
    # Django has created the permissions they use.
    "core",
    "imports",
    "mail",
    "allin_portal",
    "members",
    "events",
    "resources",
    "communications",
    "evidence",
    "pages",
    "groups",
]

MIDDLEWARE = [
    # First: it times the whole request and sees the final status (allin_portal/logs.py).
    "allin_portal.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "allin_portal.middleware.SecurityHeadersMiddleware",
    # Compresses pages; Django pads them against BREACH since 4.2.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allin_portal.middleware.RejectNulMiddleware",
    "core.forms.InvalidFormStatusMiddleware",
    "core.language.AccountLanguageMiddleware",
]

ROOT_URLCONF = "allin_portal.urls"
WSGI_APPLICATION = "allin_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Every form renders through templates/_form.html and _field.html (core/forms.py).
FORM_RENDERER = "core.forms.PortalFormRenderer"

# Database: DATABASE_URL, PostgreSQL only. Persistent connections, checked
# before reuse so a restarted server doesn't surface as errors.
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/allin")
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# The portal's data fits in memory (about 100 MB at 50,000 resources), so an index lookup
# costs about what a sequential read does: PostgreSQL's default random_page_cost of 4 made it
# hash-join all 100,000 tagged items and scan all resources for a library search that an
# index answers (measured 167 ms against 62 ms for `?q=equity&type=report`). DB_PLANNER_OPTIONS=""
# keeps the server's own settings.
DB_PLANNER_OPTIONS = os.environ.get("DB_PLANNER_OPTIONS", "-c random_page_cost=1.1")
if DB_PLANNER_OPTIONS:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = DB_PLANNER_OPTIONS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every gunicorn worker, so allauth's rate limits count all
# requests. Redis when REDIS_URL is set, otherwise a database table (created
# by a migration in allin_portal).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # A signed-in request reads its session from Redis instead of a table (written to both,
    # so a restart of Redis signs nobody out). With the database cache it would be a query
    # either way, so the plain database engine stays there.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            # Django's, with a one-statement set (see core/dbcache.py).
            "BACKEND": "core.dbcache.DatabaseCache",
            "LOCATION": "allin_cache",
        }
    }

# The shared data cache (core/datacache.py) lives in this default cache: counts,
# facets and totals, versioned per app and bumped on commit. No page is cached anywhere.
# DATACACHE_STATS counts its hits and misses (one more cache write per read: benchmarks only).
DATACACHE_STATS = env_bool("DATACACHE_STATS", "false")
# The library counts a search's matches and their facet figures up to this many and shows
# "1,000+" beyond it, so a search's work does not grow with the number of matches
# (resources/search.py). The unfiltered library without a query is counted in full.
LIBRARY_COUNT_BOUND = env_int("LIBRARY_COUNT_BOUND", 1000)

# Background tasks (django-tasks, the backport of Django 6's tasks framework) in a
# PostgreSQL table, run by `manage.py db_worker` (`make run` starts two). Two queues:
# "default" for what a person waits for (account and registration emails, imports) and
# "bulk" for mail to many, in batches and at a lower priority (mail/outbox.py).
# Run at least one worker with `--queue-name default` and one with `--queue-name
# default,bulk`: bulk mail then never delays the default queue.
TASK_QUEUES = ["default", "bulk"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "members.backends.PermissionsInOneQueryBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; addresses must be confirmed.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ALL-IN] "
# allauth's emails (confirmation, password reset) go through the outbox too.
# The sign-in form in the site's words (members/forms.py).
ACCOUNT_FORMS = {
    "login": "members.forms.LoginForm",
    "change_password": "members.forms.ChangePasswordForm",
    "set_password": "members.forms.SetPasswordForm",
    "reset_password_from_key": "members.forms.ResetPasswordKeyForm",
}
ACCOUNT_ADAPTER = "mail.adapters.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Failed sign-ins count per account (key: the address typed) and per client address
# (behind the proxy, the real client: TRUSTED_PROXIES). A correct password is refused once
# either count is reached, so the per-address count is kept loose: a venue's Wi-Fi shares
# one address, and one person's typos must not lock everyone there out; the per-account
# count is what stops guessing one account's password.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}

# /healthz answers 503 when the task worker's or the scheduler's last heartbeat is older than
# this many seconds (core/health.py). The scheduler beats every minute and asks the
# worker for a beat each round: the default of 5 minutes allows a few slow rounds.
HEALTH_WORKER_MAX_AGE = env_int("HEALTH_WORKER_MAX_AGE", 300)
HEALTH_SCHEDULER_MAX_AGE = env_int("HEALTH_SCHEDULER_MAX_AGE", 300)

# Email: SMTP when EMAIL_HOST is set, otherwise printed to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    # Port 465 speaks TLS from the start (EMAIL_USE_SSL=true); 587 and 25 upgrade with
    # STARTTLS (EMAIL_USE_TLS, the default). Only one of the two.
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", "true" if EMAIL_PORT == 465 else "false")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", "false" if EMAIL_USE_SSL else "true")
    if EMAIL_USE_SSL and EMAIL_USE_TLS:
        raise ImproperlyConfigured("EMAIL_USE_SSL and EMAIL_USE_TLS cannot both be true")
else:
    # No mail server: one log line per email (to, subject), never its body or its links.
    EMAIL_BACKEND = "core.emails.LogOnlyEmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ALL-IN <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admins", address) for address in env_list("ADMINS")]
# A mail server that hangs must not hold a worker forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# The outbox (mail/outbox.py): a temporary SMTP failure is tried again after
# OUTBOX_RETRY_SECONDS, doubled each time, up to OUTBOX_MAX_ATTEMPTS attempts in all.
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
# The weekly digest goes from this weekday (0 = Monday) and hour (UTC) on.
DIGEST_WEEKDAY = env_int("DIGEST_WEEKDAY", 0)
DIGEST_HOUR = env_int("DIGEST_HOUR", 8)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Dates in the active language's named formats (DATE_FORMAT...); ours complete or adjust Django's.
FORMAT_MODULE_PATH = ["allin_portal.formats"]
# Site text per language (django-modeltranslation): English is the original and the fallback.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "ar", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Languages whose readers see the English original (marked lang="en") instead of a
# translation made from an older English; the others see the translation with a short note.
CONTENT_OUTDATED_SHOW_ORIGINAL = env_list("CONTENT_OUTDATED_SHOW_ORIGINAL")
if set(CONTENT_OUTDATED_SHOW_ORIGINAL) - set(MODELTRANSLATION_LANGUAGES):
    raise ImproperlyConfigured(
        "CONTENT_OUTDATED_SHOW_ORIGINAL lists languages the portal does not offer: "
        f"{CONTENT_OUTDATED_SHOW_ORIGINAL!r}"
    )
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (core/media.py): "default" holds public media (photos, logos),
# "private" the files only access-checked views read (resource PDFs, import uploads).
# On one machine, two folders; with S3_BUCKET set, the prefixes media/ and private/ of one
# S3-compatible bucket (django-storages), shared by every instance and worker. MEDIA_URL may
# be a CDN's address in front of the portal's /media/.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.media.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def s3_storages(*, bucket, endpoint_url=None, region=None, access_key=None, secret_key=None,
                addressing_style="path"):  # fmt: skip
    """STORAGES entries for public media and private files in one S3-compatible bucket."""
    options = {
        "bucket_name": bucket,
        # None: AWS itself; otherwise the S3-compatible service (MinIO, Garage, a provider's).
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        # None: boto3's own chain (an instance role, ~/.aws, AWS_* variables).
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        # "path" suits most S3-compatible services; AWS accepts both.
        "addressing_style": addressing_style,
        "signature_version": "s3v4",
        "default_acl": None,  # objects stay private: browsers never talk to the bucket
        "file_overwrite": False,  # a name already taken gets a new one, as on disk
        "max_memory_size": 8 * 1024 * 1024,  # downloads larger than this spool to disk
    }
    return {
        "default": {
            "BACKEND": "core.media.PublicS3Storage",
            "OPTIONS": {**options, "location": "media"},
        },
        "private": {
            "BACKEND": "core.media.PrivateS3Storage",
            "OPTIONS": {**options, "location": "private"},
        },
    }


S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES.update(
        s3_storages(
            bucket=S3_BUCKET,
            endpoint_url=os.environ.get("S3_ENDPOINT_URL", ""),
            region=os.environ.get("S3_REGION", ""),
            access_key=os.environ.get("S3_ACCESS_KEY_ID", ""),
            secret_key=os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            addressing_style=os.environ.get("S3_ADDRESSING_STYLE", "path"),
        )
    )

# Security. With HTTPS on (the default), `manage.py check --deploy` is clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated,
# e.g. "127.0.0.1,10.0.0.0/24"): the client address of every per-address limit is read
# from that header only when the request comes from one of them (core/clientip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None
if env_bool("BEHIND_PROXY", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logs (allin_portal/logs.py): one JSON object per line on standard error, one line per
# request (request id, user id, method, path, status, duration) from RequestLogMiddleware,
# link tokens replaced by [token] and query strings left out. A refused request (403, 404)
# is that one line: Django's own warnings for 4xx are not logged. Server errors are logged
# with their traceback and, when a mail server and ADMINS are set, mailed to ADMINS.
ERRORS_REPORTED = bool(EMAIL_HOST and ADMINS)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "allin_portal.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Through the root's JSON handler instead of Django's own console and mail handlers.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {
            "handlers": ["mail_admins"] if ERRORS_REPORTED else [],
            "level": "ERROR",
            "propagate": True,
        },
    },
}

# events: the portal's public address, for links in emails and calendar files.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Named as the repository's administrator in OAI-PMH's Identify (evidence/oai.py).
OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", "research@wise.org.qa")

# Resources: uploaded PDFs live in the private storage and are served only by the
# access-checked download view. FILE_DELIVERY: "django" streams them; "x-accel-redirect"
# (nginx, internal location RESOURCE_FILES_INTERNAL_URL) or "x-sendfile" (Apache) hand the
# path to the web server.
# Guests who register themselves: how long a place is held until they confirm their address,
# and how many registration attempts per hour per IP address and per email address.
REGISTRATION_HOLD_MINUTES = env_int("REGISTRATION_HOLD_MINUTES", 30)
# Unconfirmed guests' holds together take at most this share of an event's capacity (in
# percent, at least one place), and at most this many come from one address block (IPv4 /24,
# IPv6 /64); past either, a guest is registered without a held place (a place on
# confirming if one is free, else the waitlist). Members and confirmed guests are not limited.
GUEST_HOLDS_MAX_PERCENT = env_int("GUEST_HOLDS_MAX_PERCENT", 25)
GUEST_HOLDS_PER_NETWORK = env_int("GUEST_HOLDS_PER_NETWORK", 3)
GUEST_REGISTRATIONS_PER_IP_HOUR = env_int("GUEST_REGISTRATIONS_PER_IP_HOUR", 20)
GUEST_REGISTRATIONS_PER_EMAIL_HOUR = env_int("GUEST_REGISTRATIONS_PER_EMAIL_HOUR", 5)

RESOURCE_MAX_UPLOAD_BYTES = env_int("RESOURCE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
FILE_DELIVERY = os.environ.get("FILE_DELIVERY", "django")
if FILE_DELIVERY not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("FILE_DELIVERY must be django, x-accel-redirect or x-sendfile")
if S3_BUCKET and FILE_DELIVERY != "django":
    raise ImproperlyConfigured("FILE_DELIVERY must be django when S3_BUCKET is set")
RESOURCE_FILES_INTERNAL_URL = os.environ.get("RESOURCE_FILES_INTERNAL_URL", "/protected/")
# CSV imports (members, organizations, event attendees): the largest file accepted, and
# the number of rows above which a confirmed import runs in the task queue (the file
# waits in the private storage, under imports/, until a worker has run it).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 300)
