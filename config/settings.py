"""Settings for Checkpoint, read from the environment.

With no environment at all the app runs on the *embedded default*: SQLite in ``var/`` and
Celery's filesystem transport in ``var/broker/``, so a newcomer needs nothing started by hand.
Production is reached by environment alone::

    DEBUG=false
    SECRET_KEY=<50+ random characters>
    ALLOWED_HOSTS=checkpoint.example.police.uk
    DATABASE_URL=postgres://checkpoint@db.internal:5432/checkpoint
    CELERY_BROKER_URL=redis://redis.internal:6379/0

Settings refuse to load with ``DEBUG`` off and the development secret key.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("CHECKPOINT_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
# A local .env file is honoured for convenience; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Known on purpose: settings refuse it when DEBUG is off (below).
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 # nosec B105

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")

ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="Durham Constabulary")
# The phone number printed on the participant's contract and letters (a drama number here).
PARTICIPANT_CONTACT_PHONE = env.str("PARTICIPANT_CONTACT_PHONE", default="0191 498 0123")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_fsm",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "checkpoint",
    "notifications",
    "web",
    "custody",
    "navigators",
    "supervisors",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Refuses oversized bodies, and multipart from anyone signed out, before the CSRF check
    # reads the form (its process_view runs first).
    "web.request_limits.RequestLimitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on every response to a signed-in user and on the sign-in pages.
    "web.caching.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "web.sessions.SessionTimeoutMiddleware",
    "web.mfa.MFARequiredMiddleware",
    # Records the signed-in user on every change-history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every 403/404 a signed-in user gets on a case screen, on record (and bursts alerted).
    "web.refusals.RefusalRecordMiddleware",
    # A refusal raised by a service (case out of reach, role may not act) as a 404/403 page.
    "web.errors.DomainRefusalMiddleware",
    # A POST-only address opened in the browser: a GOV.UK 405 page (status and Allow kept).
    "web.errors.MethodNotAllowedPageMiddleware",
    # Last, as django-axes requires: it turns a lockout raised during sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'checkpoint.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, so two requests changing the
    # same case queue behind each other instead of failing with "database is locked" half-way
    # (SQLite has no SELECT ... FOR UPDATE). WAL lets readers run while a write is in progress.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not :memory:) so that tests with several connections see the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-checkpoint.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # sends each role to where its work starts
LOGOUT_REDIRECT_URL = "login"

# Repeated failed sign-ins (django-axes): after AXES_FAILURE_LIMIT failures for one username
# from one address, that pair is locked out for the cool-off; every failure is logged (the
# "Access failures" table in the admin). Axes' backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "web.auth.lockout_response"  # a GOV.UK page (429)
# Behind reverse proxies (a load balancer), how many append to X-Forwarded-For: the lockout
# then uses the client's address they saw, not the last proxy's (web.client_ip).
# 0 (the default): REMOTE_ADDR, the only safe value when the app is reached directly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "web.client_ip.client_ip" if TRUSTED_PROXY_COUNT else None

# Second factor (django-otp, TOTP): every staff page needs a session verified with a code from
# an authenticator app (web.mfa). Wrong codes are throttled (1, 2, 4 ... seconds).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default=f"Checkpoint ({ORGANISATION_NAME})")
# The admin never shows a device's secret (its key, config page or QR code): whoever read it
# could make codes for that user. Without this, the config page of a missing device was a 500.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request and SESSION_ABSOLUTE_TIMEOUT
# seconds after sign-in (web.sessions); the cookie never outlives the latter.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

# --- Time and language ----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# Participant-facing text (contract, letters, messages) in English or Welsh, in the person's
# recorded language; staff screens stay English (no LocaleMiddleware). locale/ is compiled at
# set-up (manage.py compile_translations).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package.json) and the stylesheet is compiled by
# `npm run build` into build/static; both run in scripts/_bootstrap.sh. Nothing is copied by hand.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "build" / "static",
    ("assets", _NODE / "govuk-frontend" / "dist" / "govuk" / "assets"),
    ("assets", _NODE / "@ministryofjustice" / "frontend" / "moj" / "assets"),
    ("vendor/govuk", _NODE / "govuk-frontend" / "dist" / "govuk"),
    ("vendor/moj", _NODE / "@ministryofjustice" / "frontend" / "moj"),
    ("vendor/accessible-autocomplete", _NODE / "accessible-autocomplete" / "dist"),
]
FORM_RENDERER = "web.forms.GovUKFormRenderer"
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

# --- Private uploads -----------------------------------------------------------------------
# Scans of signed consent forms (personal data). Kept outside the web root and STATIC_ROOT and
# never served by a URL (no MEDIA_URL, no route): only the access-checked download view reads
# them (checkpoint.uploads.PrivateStorage). Back this folder up with the database.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private-uploads")))
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(STATIC_ROOT.resolve()) or (
    PRIVATE_MEDIA_ROOT.resolve().is_relative_to((BASE_DIR / "build").resolve())
):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must not be inside a static files folder.")
# The largest scan accepted, in bytes (the form names it in its error message).
CONSENT_UPLOAD_MAX_BYTES = env.int("CONSENT_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

# --- Request size (web.request_limits) --------------------------------------------------------
# A body that is not a file upload: at most this many bytes (413 before it is read), and at
# most this many fields; an upload stops being read as soon as its files pass
# CONSENT_UPLOAD_MAX_BYTES (UploadLimitHandler, first below).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=5)
FILE_UPLOAD_HANDLERS = [
    "web.request_limits.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Celery ---------------------------------------------------------------------------------
# Embedded default: kombu's filesystem transport (no server). It needs in/out folders shared by
# beat and worker; the SQLAlchemy transport was tried and raced on queue creation.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "control", "processed"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    # kombu's transport with atomic writes: its own lets a worker read a half-written message
    # and stop (config/broker.py).
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
else:
    # Bound every wait on the broker: by default a hung Redis makes .delay() block for minutes.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 2,
        "socket_connect_timeout": 2,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Scheduled work -------------------------------------------------------------------------
# The periodic schedule lives in code; beat only wakes the worker, the due times and the truth
# live in the database (the outbox, sweep runs), never in countdowns or ETAs.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "compliance-sweep": {
        "task": "checkpoint.tasks.compliance_sweep_task",
        "schedule": crontab(hour=5, minute=30),
    },
    "deadline-watch": {
        "task": "checkpoint.tasks.deadline_watch_task",
        "schedule": crontab(minute=15),
    },
    "staff-digest": {
        "task": "checkpoint.tasks.staff_digest_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "deliver-outbox": {
        "task": "notifications.tasks.deliver_outbox_task",
        "schedule": env.float("OUTBOX_POLL_SECONDS", default=10.0),
    },
    "reconcile-outbox": {"task": "notifications.tasks.reconcile_outbox_task", "schedule": 300.0},
    # Lists closed cases past their retention period for an administrator (idempotent).
    "retention-review": {
        "task": "checkpoint.tasks.retention_review_task",
        "schedule": crontab(hour=4, minute=45),
    },
    "unallocated-watch": {
        "task": "checkpoint.tasks.unallocated_watch_task",
        "schedule": crontab(minute=20),
    },
    "purge-form-tokens": {
        "task": "web.tasks.purge_form_tokens_task",
        "schedule": crontab(hour=4, minute=15),
    },
    # Rebuilds the reports' summary tables after the sweep has moved the day's cases.
    "refresh-report-facts": {
        "task": "reports.tasks.refresh_report_facts_task",
        "schedule": crontab(hour=6, minute=15),
    },
}
# A late start (worker was down at 05:30) still runs the day's sweep: it is idempotent.
SWEEP_BATCH_SIZE = env.int("SWEEP_BATCH_SIZE", default=20000)
SWEEP_OUTCOME_GRACE_HOURS = env.int("SWEEP_OUTCOME_GRACE_HOURS", default=24)
DEADLINE_ALERT_DAYS = [int(d) for d in env.list("DEADLINE_ALERT_DAYS", default=["28", "14", "7"])]
# A case accepted onto the scheme and still without a navigator after this many hours is
# alerted to the team's supervisors (once), beside its place at the top of the team dashboard.
UNALLOCATED_ALERT_HOURS = env.int("UNALLOCATED_ALERT_HOURS", default=24)
# How long a form's one-time token is remembered (web.submissions): longer than a form stays open.
FORM_TOKEN_DAYS = env.int("FORM_TOKEN_DAYS", default=7)
# Reports: no figure about fewer than this many people is shown (disclosure control).
REPORTS_MIN_CELL_COUNT = env.int("REPORTS_MIN_CELL_COUNT", default=5)
# A breach variation may extend a contract only to this many days before the s.127 deadline,
# so that if it then fails the file still reaches the prosecutor in time.
EXTENSION_DEADLINE_MARGIN_DAYS = env.int("EXTENSION_DEADLINE_MARGIN_DAYS", default=14)
# Disclosures (DPA 2018 s.62): after the justification is logged, the document or CSV can be
# opened for this many minutes by the same user; after that they are asked again.
DISCLOSURE_GRANT_MINUTES = env.int("DISCLOSURE_GRANT_MINUTES", default=10)
# Four eyes on access (checkpoint.services.access_requests): how long a request waits for a
# second administrator, and how long a one-time enrolment link works.
ACCESS_REQUEST_EXPIRY_HOURS = env.int("ACCESS_REQUEST_EXPIRY_HOURS", default=72)
ENROLMENT_LINK_HOURS = env.int("ENROLMENT_LINK_HOURS", default=24)
# Retention (DESIGN.md 1.2; DPA 2018 s.39, storage limitation): closed cases are listed for an
# administrator's review this many years after closing, then their personal data is erased on
# confirmation (aggregate facts for reports are kept). Exited without conviction or ineligible:
# after the 24-month reoffending follow-up and a year to evaluate it. Referred for prosecution:
# as long as a prosecution file may be needed (set from the force's MoPI review schedule).
RETENTION_NO_CONVICTION_YEARS = env.int("RETENTION_NO_CONVICTION_YEARS", default=3)
RETENTION_PROSECUTION_YEARS = env.int("RETENTION_PROSECUTION_YEARS", default=6)
# The database role retention erasure switches to (manage.py setup_database_roles), when the
# application connects as its own role, which may not change audit rows; empty: no switch.
DATABASE_RETENTION_ROLE = env.str("DATABASE_RETENTION_ROLE", default="")
# A decision maker reaches the cases they opened for this many days after opening them (and
# every case at a custody stage); then only the people working the case do (checkpoint.access).
DECISION_MAKER_OPENED_CASE_DAYS = env.int("DECISION_MAKER_OPENED_CASE_DAYS", default=30)
# Refusals on record (web.refusals): this many 403/404 answers to one user on case screens
# within the window raise one alert to the administrators (and a WARNING on the security log).
REFUSAL_ALERT_THRESHOLD = env.int("REFUSAL_ALERT_THRESHOLD", default=20)
REFUSAL_ALERT_WINDOW_MINUTES = env.int("REFUSAL_ALERT_WINDOW_MINUTES", default=10)

# GOV.UK Notify: set the API key to deliver for real; without it a recording fake is used.
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
# Email with a file (the signed contract): a Notify template with ((subject)), ((body)) and
# ((link_to_file)). The file is kept by Notify for this many days (whole weeks, 7 to 546).
NOTIFY_EMAIL_FILE_TEMPLATE_ID = env.str("NOTIFY_EMAIL_FILE_TEMPLATE_ID", default="")
NOTIFY_FILE_RETENTION_DAYS = env.int("NOTIFY_FILE_RETENTION_DAYS", default=182)
CHECKPOINT_CONTACT_PHONE = env.str("CHECKPOINT_CONTACT_PHONE", default="0191 375 2000")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Logging: references and event kinds only, never personal data (STYLE.md) ---------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Web hardening (OWASP ASVS 5.0 L2; `manage.py check --deploy` passes with DEBUG off) -----
# Cookies: never readable by scripts, not sent on cross-site subrequests; HTTPS-only in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads the token; forms carry it in a hidden field
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # case URLs carry references: never sent to other sites
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe /healthz over plain HTTP inside the network; a redirect would read
    # as "down". It shows no personal data.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy Django sees plain HTTP: trust the proxy's header (and only
    # then: a client could send it itself) so that SSL redirects and secure cookies work.
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = (
            env.str("TLS_PROXY_HEADER", default="HTTP_X_FORWARDED_PROTO"),
            "https",
        )

# Content Security Policy (django-csp 4): scripts, styles and fonts only from this site, no
# inline code at all (templates carry no inline script or style attribute; a browser test fails
# on any violation). Nonces are available as request.csp_nonce should an inline script be needed.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# security.txt (RFC 9116) at /.well-known/security.txt. In production set SECURITY_TXT_CONTACT
# and SECURITY_TXT_EXPIRES (an ISO date under a year ahead); `check --deploy` warns otherwise.
SECURITY_TXT_CONTACT = env.list("SECURITY_TXT_CONTACT", default=[])
SECURITY_TXT_EXPIRES = env.str("SECURITY_TXT_EXPIRES", default="")
SECURITY_TXT_LANGUAGES = env.list("SECURITY_TXT_LANGUAGES", default=["en"])
