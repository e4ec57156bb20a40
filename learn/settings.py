"""Settings, driven by the environment.

Without any variable the site runs on its embedded default: SQLite under var/, a local-memory cache
and Celery tasks executed in-process. Production sets DJANGO_ENV=production plus DATABASE_URL,
REDIS_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see README.md).
"""

import ipaddress
import logging
import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from learn.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OEFENPLEIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "").lower() == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=False)


def _secret_key() -> str:
    """Production must pass the key in; the embedded default keeps a random one under var/."""
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in production.")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "lessons",
    "progress",
    "h5p",
    "coaching",
    "training",
    "sandboxes",
    "group_sessions",
    "readaloud",
    "backups",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so every response (also a redirect or a cached page) and every log line has the request id.
    "learn.observe.RequestObserveMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "learn.middleware.ContentSecurityPolicyMiddleware",
    "learn.overload.LoadSheddingMiddleware",
    "h5p.player.PlayerOriginMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "learn.middleware.AnonymousPageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "learn.middleware.MalformedQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "learn.middleware.PrivateWhenSignedInMiddleware",
    "accounts.middleware.ProxyHeaderCheckMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "learn.signed_in_cache.SignedInPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "learn.urls"
WSGI_APPLICATION = "learn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "learn" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learn.context_processors.site_chrome",
                "accounts.context_processors.role_links",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'oefenplein.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must not fail when learners post statements while an editor uploads:
    # - WAL: readers go on while one writer works; synchronous=NORMAL is safe with WAL (a power cut can lose
    #   the last commits, never corrupt the file) and saves an fsync per commit.
    # - IMMEDIATE: a transaction takes the write lock when it begins, so it waits for it (up to `timeout`)
    #   instead of failing with "database is locked" when a read turns into a write halfway.
    # - timeout: how long a writer waits for the lock (seconds) before it gives up.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis answers a healthy request in well under a millisecond on the local network; a stalled Redis must
# cost a page at most this long per cache call, not the default of waiting forever (README "When Redis fails").
CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5"))


def redis_caches(url: str) -> dict:
    """The two cache names on one Redis (also used by the tests that stop their own Redis)."""

    def one(*, ignore_errors: bool) -> dict:
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "oefenplein"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "IGNORE_EXCEPTIONS": ignore_errors,
            },
        }

    return {
        # Only ever a shortcut (pages, routes, session copies): when Redis is away a read is a miss and a
        # write is dropped, so the site answers from the database.
        "default": one(ignore_errors=True),
        # Counters and locks whose failure the caller must notice (learn/page_cache.py, the throttles, the
        # worker heartbeat, the beat lock): each caller says what it does without Redis.
        "counters": one(ignore_errors=False),
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
    # Sessions live in the database with a copy in Redis in front: a Redis outage or stall costs a query,
    # never a sign-out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Both names point to the same local-memory store (same LOCATION), as both point to one Redis above.
    _LOCAL_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "oefenplein"}
    CACHES = {"default": _LOCAL_CACHE, "counters": dict(_LOCAL_CACHE)}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A read or write that django-redis ignores is logged (logger "django_redis.cache"), so an outage is visible.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Anonymous page responses are cached for this long; publishing content invalidates them at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# Overload (learn/overload.py): a request that already waited this long behind the workers (nginx's
# X-Request-Start stamp) gets a quick 503 with Retry-After instead of more waiting; 0 switches it off.
OVERLOAD_MAX_WAIT_SECONDS = float(os.environ.get("OVERLOAD_MAX_WAIT_SECONDS", "5"))
# At most this many requests in the application per process (gthread's threads already bound it); 0: no limit.
OVERLOAD_MAX_IN_FLIGHT = int(os.environ.get("OVERLOAD_MAX_IN_FLIGHT", "32"))
OVERLOAD_RETRY_AFTER_SECONDS = int(os.environ.get("OVERLOAD_RETRY_AFTER_SECONDS", "5"))

# --- Celery --------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that then dies (kill -9, power loss) stays in Redis's "unacked" list and is given
# to a worker again once this many seconds have passed since it was taken (acks_late above). It must be
# longer than the longest task, or a slow task would run twice; the hard time limit below keeps every task
# under it. The longest measured tasks: a reminder run for 10,000 staff 12 s, 100 certificates 25 s, an
# H5P import of the largest allowed archive about a minute (bench/RESULTS.md). README "Worker and beat".
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(10 * 60)))
# Workers look for such abandoned tasks every CELERY_RESTORE_SECONDS. Kombu's own default looks only at start-up
# and then every 10 x 10 s, so a task could wait 100 s beyond the visibility timeout (or, with a short timeout,
# be missed by a worker that started too soon after the kill). The look is one ZRANGE on Redis. The mutex
# that keeps two workers from restoring at once expires after 60 s, not kombu's 300 s, so a worker killed
# while holding it delays redelivery by at most a minute.
CELERY_RESTORE_SECONDS = int(os.environ.get("CELERY_RESTORE_SECONDS", "10"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": CELERY_RESTORE_SECONDS,
    "unacked_restore_throttle": 1,
    "unacked_mutex_expire": 60,
}
# The result backend is the same Redis: a task result must not vanish while its caller still waits.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_TIME_LIMIT = max(60, CELERY_VISIBILITY_TIMEOUT - 60)
# Workers write a heartbeat to Redis this often; /healthz counts a worker as live for WORKER_HEARTBEAT_TTL
# seconds after its last one (learn/worker_health.py).
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "15"))
WORKER_HEARTBEAT_TTL = int(os.environ.get("WORKER_HEARTBEAT_TTL", "60"))
# One scheduler, even when two `celery beat` processes run (learn/beat.py): only the holder of a lock in
# Redis sends due tasks; the lock lapses this many seconds after its holder stops renewing it.
CELERY_BEAT_SCHEDULER = "learn.beat:LeaderScheduler"
BEAT_LOCK_SECONDS = int(os.environ.get("BEAT_LOCK_SECONDS", "60"))
# Beat wakes at least this often, so the leader renews its lock well within BEAT_LOCK_SECONDS.
CELERY_BEAT_MAX_LOOP_INTERVAL = max(1, min(10, BEAT_LOCK_SECONDS // 3))
CELERY_TIMEZONE = "Europe/Brussels"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_BEAT_SCHEDULE: dict = {}
# Every hour: sheets of sign-in cards (with readable PINs) older than a day are removed (coaching/cards.py).
CELERY_BEAT_SCHEDULE["coaching-card-sheets-clean"] = {"task": "coaching.card_sheets_clean", "schedule": 60 * 60}

# --- Staff training (training/) ------------------------------------------------------------------
# Certificates (and other files that must never have a public URL) live here, not under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# A class with send_messages(messages); the default only writes to the log, never a real SMS.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "training.sms.LogSmsBackend")
CELERY_BEAT_SCHEDULE.update(
    {
        # Once a day at a fixed hour (Brussels time, CELERY_TIMEZONE): new staff get their programmes,
        # finished ones their certificates, then reminders. A fixed hour rather than "every 24 hours from
        # whenever beat started", so an SMS never arrives in the middle of the night.
        "training-reminders": {
            "task": "training.reminders_run",
            "schedule": crontab(hour=int(os.environ.get("TRAINING_REMINDER_HOUR", "8")), minute=0),
        },
        # The safety net for certificates whose completion event was missed (a worker was down, say).
        "training-completions": {"task": "training.completions_check", "schedule": 60 * 60},
        # Every hour: sheets of sign-in cards for staff (with readable PINs) older than a day are removed.
        "training-card-sheets-clean": {"task": "training.card_sheets_clean", "schedule": 60 * 60},
    }
)

# --- Group sessions (group_sessions/) ------------------------------------------------------------
CELERY_BEAT_SCHEDULE.update(
    {
        # Recurring sessions get their dates up to six months ahead (group_sessions/occurrences.py).
        "group-sessions-dates": {"task": "group_sessions.occurrences_extend", "schedule": crontab(hour=2, minute=30)},
        # The reminder the day before, at a fixed daytime hour (as training's), never at night.
        "group-sessions-reminders": {
            "task": "group_sessions.reminders_run",
            "schedule": crontab(hour=int(os.environ.get("SESSION_REMINDER_HOUR", "10")), minute=0),
        },
        # Guests' phone numbers are erased the day after their date (group_sessions/retention.py).
        "privacy-session-guests": {"task": "group_sessions.guest_phones_erase", "schedule": crontab(hour=4, minute=0)},
    }
)

# --- Privacy: how long data is kept (README "Privacy"; the rules are in */retention.py) ------------
# A learner account unused (no sign-in) this many days is announced to its coach, once; it is erased
# PRIVACY_INACTIVE_NOTICE_DAYS later unless the learner signs in again.
PRIVACY_INACTIVE_DAYS = int(os.environ.get("PRIVACY_INACTIVE_DAYS", "548"))  # 18 months
PRIVACY_INACTIVE_NOTICE_DAYS = int(os.environ.get("PRIVACY_INACTIVE_NOTICE_DAYS", "92"))  # 3 months
# Learning records older than this become anonymous monthly counts (progress.StatementSummary).
PRIVACY_STATEMENT_DAYS = int(os.environ.get("PRIVACY_STATEMENT_DAYS", "1096"))  # 3 years
# The staff record of someone who left (marked left, or missing from a full staff list) goes after this.
PRIVACY_STAFF_LEFT_DAYS = int(os.environ.get("PRIVACY_STAFF_LEFT_DAYS", "183"))  # 6 months
# Shown on the privacy page as the address for questions about personal data (the city's privacy officer).
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
# Each rule runs once a night (Brussels time), after the day's work and before the reminder run.
CELERY_BEAT_SCHEDULE.update(
    {
        "privacy-inactive-learners": {"task": "accounts.inactive_learners_run", "schedule": crontab(hour=3, minute=0)},
        "privacy-statements-reduce": {"task": "progress.statements_reduce", "schedule": crontab(hour=3, minute=20)},
        "privacy-staff-leavers": {"task": "training.staff_leavers_remove", "schedule": crontab(hour=3, minute=40)},
        # Sessions are kept in the database (cached_db): expired ones are removed each night.
        "sessions-clear": {"task": "accounts.sessions_clear", "schedule": crontab(hour=3, minute=50)},
    }
)

# --- Learning records ---------------------------------------------------------------------------
# The IRI namespace of this site's xAPI activities and learners. It names things; nothing fetches it.
XAPI_ACTIVITY_BASE = os.environ.get("XAPI_ACTIVITY_BASE", "https://oefenplein.mechelen.be/xapi")
# Per learner and per window (progress/throttle.py): at most this many batches and statements sent to
# the endpoint; over it the answer is 429 with Retry-After. 0 switches a limit off. A real learner sends
# one small batch per answer or simulator action, and a queue that was offline in batches of 50.
PROGRESS_RATE_WINDOW_SECONDS = int(os.environ.get("PROGRESS_RATE_WINDOW_SECONDS", "60"))
PROGRESS_RATE_BATCHES = int(os.environ.get("PROGRESS_RATE_BATCHES", "120"))
PROGRESS_RATE_STATEMENTS = int(os.environ.get("PROGRESS_RATE_STATEMENTS", "1000"))
# A statement may be this much older than the account: practice done as a guest on the same device just
# before the account was made is added to it (progress.js). Anything older is refused.
PROGRESS_GUEST_PRACTICE_SECONDS = int(os.environ.get("PROGRESS_GUEST_PRACTICE_SECONDS", str(24 * 60 * 60)))

# --- H5P player ----------------------------------------------------------------------------------
# H5P content runs its own JavaScript, so the player and its files are served from another origin
# that never gets this site's cookies (h5p/player.py). The embedded default serves the site at
# http://127.0.0.1:8000 and the player at http://localhost:8000: another host name is another origin.
# Production uses a separate registrable domain (e.g. https://h5p-usercontent.example) pointing at
# the same application, and lists it in DJANGO_ALLOWED_HOSTS.
SITE_ORIGIN = os.environ.get("SITE_ORIGIN", "http://127.0.0.1:8000").rstrip("/")
H5P_PLAYER_ORIGIN = os.environ.get("H5P_PLAYER_ORIGIN", "http://localhost:8000").rstrip("/")

# --- H5P import ----------------------------------------------------------------------------------
# Limits of h5p/validation.py, counted on the bytes that really come out of the archive. Members and
# totals under H5P_RATIO_MIN_BYTES are exempt from the ratio (uncompressed / compressed) check.
H5P_MAX_FILE_BYTES = int(os.environ.get("H5P_MAX_FILE_BYTES", str(32 * 1024 * 1024)))
H5P_MAX_TOTAL_BYTES = int(os.environ.get("H5P_MAX_TOTAL_BYTES", str(128 * 1024 * 1024)))
H5P_MAX_UPLOAD_BYTES = int(os.environ.get("H5P_MAX_UPLOAD_BYTES", str(H5P_MAX_TOTAL_BYTES)))
H5P_MAX_FILES = int(os.environ.get("H5P_MAX_FILES", "5000"))
H5P_MAX_RATIO = int(os.environ.get("H5P_MAX_RATIO", "100"))
H5P_RATIO_MIN_BYTES = int(os.environ.get("H5P_RATIO_MIN_BYTES", str(1024 * 1024)))
# Every JSON file is size-checked before it is parsed, and parsed only up to this nesting depth:
# content/content.json up to H5P_MAX_CONTENT_JSON_BYTES, the others (h5p.json, library.json,
# semantics.json, language/*.json) up to H5P_MAX_JSON_BYTES.
H5P_MAX_CONTENT_JSON_BYTES = int(os.environ.get("H5P_MAX_CONTENT_JSON_BYTES", str(16 * 1024 * 1024)))
H5P_MAX_JSON_BYTES = int(os.environ.get("H5P_MAX_JSON_BYTES", str(1024 * 1024)))
H5P_MAX_JSON_DEPTH = int(os.environ.get("H5P_MAX_JSON_DEPTH", "100"))
# An import still waiting or checking after this long is "stuck": the admin offers to try it again.
H5P_IMPORT_STUCK_SECONDS = int(os.environ.get("H5P_IMPORT_STUCK_SECONDS", str(15 * 60)))
# Unpacked H5P files and uploads live here, outside MEDIA_ROOT: the site's origin never serves them,
# only the player views on H5P_PLAYER_ORIGIN do (h5p/storage.py). A system check refuses a folder
# inside MEDIA_ROOT or STATIC_ROOT.
H5P_ROOT = Path(os.environ.get("H5P_ROOT", VAR_DIR / "h5p"))

# --- Auth ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# User name + password (throttled per user name) and learner code + PIN or pictures; see accounts/backends.py.
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledPasswordBackend", "accounts.backends.LearnerCodeBackend"]
# Django's hashers for passwords (the first is used), plus the one for learners' PINs and pictures, keyed with
# SECRET_KEY (accounts/pin_hasher.py explains why it can be cheaper).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "accounts.pin_hasher.PinHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Shared computers: a session ends after this many seconds without a request (0 switches it off).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(15 * 60)))
# Wrong sign-in tries (accounts/throttle.py): this many wrong tries within the window (a day, from the first
# wrong try) pause signing in for SIGN_IN_LOCK_SECONDS; each further pause in a row lasts twice as long, up to
# SIGN_IN_LOCK_MAX_SECONDS. The README gives the worst case these defaults allow per day.
SIGN_IN_WINDOW_SECONDS = int(os.environ.get("SIGN_IN_WINDOW_SECONDS", str(24 * 60 * 60)))
SIGN_IN_LOCK_SECONDS = int(os.environ.get("SIGN_IN_LOCK_SECONDS", str(15 * 60)))
SIGN_IN_LOCK_MAX_SECONDS = int(os.environ.get("SIGN_IN_LOCK_MAX_SECONDS", str(24 * 60 * 60)))
SIGN_IN_CODE_LIMIT = int(os.environ.get("SIGN_IN_CODE_LIMIT", "5"))
SIGN_IN_ADDRESS_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_LIMIT", "12"))
SIGN_IN_USERNAME_LIMIT = int(os.environ.get("SIGN_IN_USERNAME_LIMIT", "10"))
# A one-time code a coach gives a learner whose code is paused works once, within this many seconds.
SIGN_IN_ONE_TIME_SECONDS = int(os.environ.get("SIGN_IN_ONE_TIME_SECONDS", str(15 * 60)))
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (0: use REMOTE_ADDR). Set it to 1
# behind one web server (README). 0 unless set, also in production: with a count but no proxy, a client
# would choose its own address through that header (accounts.middleware.ProxyHeaderCheckMiddleware warns).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# /healthz names the services and their state only for this bearer token (or a request from the machine
# itself); everyone else gets "ok" or "down".
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")

# --- Languages -----------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
]
# How each language names itself, for the language switcher.
LANGUAGE_SELF_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English", "ar": "العربية"}
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "learn" / "static"]
NODE_MODULES_DIR = BASE_DIR / "node_modules"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The embedded default serves uploads itself; production puts them behind the web server or S3.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=not PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "learn.static_storage.CompressedManifestModulesStorage"
            if env_bool("STATIC_MANIFEST", default=PRODUCTION)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail -------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Oefenplein"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "vtt", "mp4", "webm", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_USAGE_COUNT_ENABLED = False
WAGTAILEMBEDS_FINDERS: list = []  # no oEmbed: nothing may fetch from other sites
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "oefenplein@localhost")

# --- Logs and metrics (README "Logs and metrics") ------------------------------------------------
# "json": one JSON object per line (learn/logs.py), the default in production; "text" otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
if LOG_FORMAT == "json":
    logging.captureWarnings(True)  # Python warnings as JSON lines too, not as bare text between them
LOGGING = logging_config(
    log_format=LOG_FORMAT,
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    request_level=os.environ.get("LOG_REQUEST_LEVEL", "INFO"),
    celery_level=os.environ.get("LOG_CELERY_LEVEL", "INFO"),
)
# /metrics answers only clients in these networks (CIDRs, comma-separated; behind nginx the client address
# follows TRUSTED_PROXY_COUNT). Everyone else gets 404.
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
try:
    for _network in METRICS_ALLOWED_NETWORKS:
        ipaddress.ip_network(_network, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_error}") from _error
# Seconds /metrics waits for the broker's Redis (queue length, task counts) before it leaves them out.
METRICS_REDIS_TIMEOUT = float(os.environ.get("METRICS_REDIS_TIMEOUT", "0.5"))
