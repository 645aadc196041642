"""Settings for the event site: one module, configured from the environment.

Every variable is listed in the README. The defaults suit a local run
(`make run`): SQLite under var/, emails written to var/mail/. Production sets
DEBUG off, SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, SITE_URL and the SMTP settings.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# `make run` generates a key in var/secret_key. A checkout (there is a .git next to this
# project) uses that key when SECRET_KEY is not set, so `.venv/bin/python manage.py ...`
# works as the docs show it. An installed site has no checkout and no such file: it refuses
# to start without SECRET_KEY.
LOCAL_SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (BASE_DIR / ".git").exists() and LOCAL_SECRET_KEY_FILE.is_file():
    SECRET_KEY = LOCAL_SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug"

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
SITE_USES_HTTPS = _site.scheme == "https"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", f"127.0.0.1,localhost,{_site.hostname}")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", f"{_site.scheme}://{_site.netloc}")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin widgets win.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "programme",
    "registration",
    "outbox",
    "audit",
    "mailings",
    "eventsite",
    "speakers",
    "feedback",
    "documentation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "eventsite.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "eventsite.middleware.UnreadableRequestBodyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "eventsite.middleware.StaffSessionExpiryMiddleware",
    "eventsite.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "speakers.middleware.StaffTwoFactorMiddleware",
    # Last: it serves cached public pages in place of the view (eventsite/pagecache.py).
    "eventsite.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "eventsite.urls"
WSGI_APPLICATION = "eventsite.wsgi.application"
ASGI_APPLICATION = "eventsite.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programme.context_processors.event",
                "programme.context_processors.page_links",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# SQLite is the embedded default. IMMEDIATE transactions take the write lock at
# BEGIN, so two writers never both read "one seat left" and then both insert.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
_database = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite creates the file but not its folder.
    Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _database["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------
# Shared by every process on every host: the page cache must be invalidated everywhere at
# once. The database cache needs no extra service (its table: manage.py createcachetable,
# run by `make run`, the benches and the test setup); Redis is faster under load.
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "eventsite_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# How long a rendered public page may stay in the cache (0: no page cache). Changes
# invalidate it at once; the limit only bounds what unused pages occupy.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "86400"))
# The seat figure on cached pages lags registrations by at most this many seconds.
PAGE_CACHE_SEATS_SECONDS = int(os.environ.get("PAGE_CACHE_SEATS_SECONDS", "5"))

# --- Authentication -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Accounts are for speakers and organisers only: nobody signs up by themselves. The
# adapter also sends allauth's emails through the outbox in the site's own templates.
ACCOUNT_ADAPTER = "eventsite.accounts.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# A reset request for an unknown address sends nothing: no mail to strangers, and the
# page says the same in both cases, so nobody learns which addresses have accounts.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
# Rate limits ("amount/period/per"), counted in the shared cache below. Per client (ip)
# and per account or address (key), for the account login and the admin login alike.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/10m/ip,5/15m/key",
    "reset_password": "5/10m/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
    # The speakers' invitation links (guessing tokens) and "send me a new link".
    "speaker_invitation": "30/m/ip",
    "speaker_new_link": "5/h/ip,2/h/key",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Two-factor authentication for staff: an authenticator app (TOTP) and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "E-Government-Modellkommunen"
MFA_ADAPTER = "eventsite.accounts.MFAAdapter"
# With STAFF_REQUIRE_2FA=true staff must set up two-factor authentication before the
# admin opens (recommended for production, see docs/deployment.md).
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", False)


# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("de",)
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["eventsite.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Personal documents (press cards, speakers' slides before release) live outside
# MEDIA_ROOT and are never served directly.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------
# Without EMAIL_HOST every email is written as an .eml file under var/mail/.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
# Every email goes through the outbox (outbox/, docs/email.md): Django's own
# send_mail (allauth, password reset) stores the message, the worker delivers it through
# EMAIL_DELIVERY_BACKEND.
EMAIL_BACKEND = "outbox.backends.OutboxBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "outbox.backends.EmlFileBackend",
)
# A worker that has not finished a message within this time is presumed dead: another
# worker takes the message over. Keep it well above EMAIL_TIMEOUT.
EMAIL_LEASE_SECONDS = int(os.environ.get("EMAIL_LEASE_SECONDS", "300"))
# Temporary failures are retried with growing pauses for this long after queueing.
EMAIL_RETRY_HOURS = int(os.environ.get("EMAIL_RETRY_HOURS", "24"))
# Delivered, failed and cancelled messages hold personal data: deleted after these days.
EMAIL_RETENTION_DAYS = int(os.environ.get("EMAIL_RETENTION_DAYS", "30"))
# Reply-To of every automatic email; empty: the event's contact address, then ORGANISER_EMAIL.
EMAIL_REPLY_TO = os.environ.get("EMAIL_REPLY_TO", "")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "E-Government-Modellkommunen <veranstaltung@example.org>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# What every email knows about the site (the event), supplied by the programme so that
# the outbox imports no domain app (outbox/services.py: site_context).
OUTBOX_SITE_CONTEXT = "programme.emails.outbox_site_context"
# Replies to automatic emails go to the organisers.
ORGANISER_EMAIL = os.environ.get("ORGANISER_EMAIL", "veranstaltung@example.org")
# Where to report a vulnerability (/.well-known/security.txt; docs/security.md): an email
# address or a mailto:/https: URI.
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", ORGANISER_EMAIL)

# --- Registration and privacy ----------------------------------------------------
# How long a seat is held for someone who has not yet confirmed their email address.
REGISTRATION_HOLD_HOURS = int(os.environ.get("REGISTRATION_HOLD_HOURS", "24"))
# How long a press registration holds its seat while organisers check the accreditation.
PRESS_REVIEW_DAYS = int(os.environ.get("PRESS_REVIEW_DAYS", "7"))
# Wrong invitation codes one client may try per hour before it is refused.
INVITATION_CODE_TRIES_PER_HOUR = int(os.environ.get("INVITATION_CODE_TRIES_PER_HOUR", "10"))
# Seats held at once for one client (an IPv4 address or an IPv6 /64) whose addresses are
# not yet confirmed. Further sign-ups from it are accepted but hold no seat: they get one
# on confirmation if a seat is still free. Keeps one client from blocking the event.
REGISTRATION_HOLDS_PER_CLIENT = int(os.environ.get("REGISTRATION_HOLDS_PER_CLIENT", "5"))


def _hold_shrink(text: str) -> list[tuple[int, int]]:
    steps = []
    for item in text.split(","):
        if not item.strip():
            continue
        try:
            percent, hours = (int(part) for part in item.split(":"))
        except ValueError:
            raise ImproperlyConfigured(
                f"REGISTRATION_HOLD_SHRINK: {item!r} is not PERCENT:HOURS (e.g. 50:6)."
            ) from None
        if not (0 < percent <= 100 and hours >= 1):
            raise ImproperlyConfigured(
                f"REGISTRATION_HOLD_SHRINK: {item!r} needs 1-100 percent and at least 1 hour."
            )
        steps.append((percent, hours))
    return sorted(steps)


# The hold gets shorter as the event fills: once PERCENT of the seats are taken, a new hold
# lasts at most HOURS. An empty value keeps REGISTRATION_HOLD_HOURS throughout.
REGISTRATION_HOLD_SHRINK = _hold_shrink(
    os.environ.get("REGISTRATION_HOLD_SHRINK", "50:6,80:2,90:1")
)
# Personal data of registrations is deleted this many days after the event day. The
# privacy notice renders the period from this value, so text and practice cannot drift.
# Confirmed guests get a reminder (entry code, ID rule, travel, cancel link) this many days
# before the event; people who move up from the waiting list after that get a last call.
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "3"))
# Once the event has ended, the public pages say it has taken place and link to the
# documentation, and registration closes. Off: the site stays as before the day (to try
# registration with the seeded event of 2016).
AFTER_THE_EVENT = env_bool("AFTER_THE_EVENT", True)
# Uploaded documentation (PDF) may be at most this large.
DOCUMENTATION_MAX_UPLOAD_MB = int(os.environ.get("DOCUMENTATION_MAX_UPLOAD_MB", "50"))
if REMINDER_DAYS_BEFORE < 0:
    raise ImproperlyConfigured("REMINDER_DAYS_BEFORE must be 0 or more days.")
RETENTION_DAYS_AFTER_EVENT = int(os.environ.get("RETENTION_DAYS_AFTER_EVENT", "90"))
if RETENTION_DAYS_AFTER_EVENT < 0:
    raise ImproperlyConfigured("RETENTION_DAYS_AFTER_EVENT must be 0 or more days.")
INACTIVE_DATA_HOURS = int(os.environ.get("INACTIVE_DATA_HOURS", "48"))
if INACTIVE_DATA_HOURS < 0:
    raise ImproperlyConfigured("INACTIVE_DATA_HOURS must be 0 or more hours.")

# --- Periodic jobs ----------------------------------------------------------------
# Run by `manage.py worker` (outbox/periodic.py), each once per interval across all
# workers. Apps add their jobs here by dotted path, so the outbox imports none of them.
PERIODIC_JOBS = [
    {
        "name": "delete-old-emails",
        "run": "outbox.retention.delete_old_emails",
        "every": timedelta(hours=1),
    },
    # Release seats whose hold ran out and move the waiting list up.
    {
        "name": "expire-holds",
        "run": "registration.services.expire_holds",
        "every": timedelta(minutes=1),
    },
    # Anonymise registrations whose retention period ended, and cancelled or lapsed ones
    # INACTIVE_DATA_HOURS after the fact (registration/retention.py).
    {
        "name": "anonymise-registrations",
        "run": "registration.retention.anonymise_due",
        "every": timedelta(hours=1),
    },
    # Sent once per person (a conditional UPDATE of reminded_at), however many workers run.
    {
        "name": "send-reminders",
        "run": "registration.reminders.send_reminders",
        "every": timedelta(minutes=10),
    },
    # Contingents whose release date has come give their free seats to the public pool.
    {
        "name": "release-contingents",
        "run": "registration.services.release_due_contingents",
        "every": timedelta(minutes=1),
    },
    # Speaker photos previewed and never saved (programme/photos.py).
    {
        "name": "delete-unused-photos",
        "run": "programme.photos.delete_unused_variants",
        "every": timedelta(hours=1),
    },
    {
        "name": "purge-rate-limit-counters",
        "run": "registration.services.purge_rate_limit_counters",
        "every": timedelta(hours=1),
    },
]

# --- Security -------------------------------------------------------------------
# HTTPS-only settings follow the scheme of SITE_URL, so a local http run works and a
# production https deployment passes `check --deploy`.
SECURE_SSL_REDIRECT = SITE_USES_HTTPS and not DEBUG
SESSION_COOKIE_SECURE = SITE_USES_HTTPS
CSRF_COOKIE_SECURE = SITE_USES_HTTPS
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SITE_USES_HTTPS else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SITE_USES_HTTPS
# Preloading binds the whole domain to HTTPS for years: the domain owner decides, so
# the check that asks for it (W021) is silenced until SECURE_HSTS_PRELOAD is set.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed for the
# client address. Empty: the header is ignored and the connecting address counts.
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES", "127.0.0.1,::1" if env_bool("BEHIND_PROXY", False) else ""
)
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_error}") from None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Organisers' and admins' sessions end after this many hours without a request (a working
# day); speakers keep SESSION_COOKIE_AGE (two weeks). Attendees have no session data.
STAFF_SESSION_IDLE_HOURS = int(os.environ.get("STAFF_SESSION_IDLE_HOURS", "10"))
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"mask_secrets": {"()": "eventsite.redaction.SecretMaskingFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
