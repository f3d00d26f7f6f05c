"""Settings for ctpat, read from the environment.

Safe defaults are production defaults: DEBUG off, secure cookies, HSTS when asked, a strict
Content-Security-Policy. The demo (``ctpat demo``) relaxes only what it must for plain HTTP on
127.0.0.1 and says so on every page.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_date(name: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) from the environment; None when unset or empty."""
    raw = os.environ.get(name, "").strip()
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a date like 2026-03-01, got {raw!r}") from exc


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("CTPAT_TESTING", False)
DEMO_MODE = env_bool("CTPAT_DEMO", False)

# Where the embedded SQLite database and uploaded files live.
DATA_DIR = Path(os.environ.get("CTPAT_DATA_DIR", Path.cwd() / "ctpat-data")).resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or DEMO_MODE:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (50+ random characters), "
            "or run `ctpat demo` for a local demonstration."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address people reach ctpat at (scheme and host, e.g. https://ctpat.example.gov): links in
# e-mails are built from it. Required outside the demo and tests (system check ctpat.W010);
# `ctpat demo` sets it to the address it serves on.
CTPAT_SITE_URL = os.environ.get("CTPAT_SITE_URL", "").strip().rstrip("/")

DATABASE_URL = os.environ.get("DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'ctpat.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the worker share one SQLite file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "ctpat.core",
    "ctpat.accounts",
    "ctpat.partners",
    "ctpat.criteria",
    "ctpat.dashboard",
    "ctpat.notifications",
    "ctpat.tradecompliance",
    "ctpat.profiles",
    "ctpat.annualnotices",
    "ctpat.resources",
    "ctpat.enforcement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the session and user are known (so its refusal page shows the signed-in header and
    # bell) and before anything reads the body (CSRF reads it in process_view, after this).
    "ctpat.core.middleware.RequestSizeLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ctpat.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ctpat.config.urls"
WSGI_APPLICATION = "ctpat.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ctpat.core.context_processors.navigation",
                "ctpat.notifications.context_processors.notifications_unread_count",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Password policy: NIST SP 800-63B favours length over composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("CTPAT_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed log-in throttling (django-axes): lock a username+IP pair after N failures.
AXES_FAILURE_LIMIT = env_int("CTPAT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("CTPAT_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("CTPAT_LOGIN_THROTTLING", True)

OTP_TOTP_ISSUER = "ctpat"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served from the package (finders); set CTPAT_STATIC_ROOT only if you run
# `ctpat manage collectstatic` to hand them to a separate web server.
STATIC_ROOT = os.environ.get("CTPAT_STATIC_ROOT") or None
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Serve straight from the package's static folders: no collectstatic step for the demo.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

# --- Security -----------------------------------------------------------------------------
# A refused CSRF check is a styled page with a way back, not Django's bare one.
CSRF_FAILURE_VIEW = "ctpat.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("CTPAT_SESSION_SECONDS", 8 * 3600)
SECURE_COOKIES = env_bool("CTPAT_SECURE_COOKIES", not (DEBUG or TESTING or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("CTPAT_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("CTPAT_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CTPAT_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("CTPAT_HSTS_PRELOAD", False)
if env_bool("CTPAT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# Request bodies: a clear 413 beyond this (uploads get their own limit later).
CTPAT_MAX_REQUEST_BYTES = env_int("CTPAT_MAX_REQUEST_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = CTPAT_MAX_REQUEST_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Uploaded files (ctpat.core.uploads) ----------------------------------------------------
# Stored under MEDIA_ROOT with random names, served only by permission-checked views.
# Security-profile evidence: size limit and the types accepted (checked by extension and content).
# Not program rules (DOMAIN.md gives no portal file limit): operational defaults, configurable.
CTPAT_EVIDENCE_MAX_BYTES = env_int("CTPAT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
CTPAT_EVIDENCE_ALLOWED_TYPES = tuple(
    env_list("CTPAT_EVIDENCE_ALLOWED_TYPES", "pdf,png,jpeg,docx,xlsx,csv,txt")
)
# Dotted path to ``scan(file) -> ctpat.core.uploads.ScanResult``; empty = files are stored as
# "not scanned" (never reported clean).
CTPAT_UPLOAD_SCANNER = os.environ.get("CTPAT_UPLOAD_SCANNER", "")
# multipart/form-data bodies to these URL patterns may be this large (the largest file limit plus
# room for the form fields); every other request keeps CTPAT_MAX_REQUEST_BYTES.
CTPAT_UPLOAD_MAX_REQUEST_BYTES = env_int(
    "CTPAT_UPLOAD_MAX_REQUEST_BYTES", CTPAT_EVIDENCE_MAX_BYTES + 256 * 1024
)
CTPAT_UPLOAD_URL_PATTERNS = (
    r"^/security-profile/[0-9A-Za-z-]{1,24}/evidence/$",
    # Trade Compliance application documents and responses to CBP's questions.
    r"^/trade-compliance/applications/[0-9A-Za-z-]{1,24}/(documents|respond)/$",
    # A step's form carries its files with the answers (and so do its remove / reuse buttons).
    r"^/trade-compliance/applications/[0-9A-Za-z-]{1,24}/"
    r"(steps/[a-z_]{1,32}|documents/[0-9A-Za-z-]{1,24}/remove|reuse)/$",
    # The same uploads through the API.
    r"^/api/security-profiles/[0-9A-Za-z-]{1,24}/evidence/$",
    r"^/api/tc-applications/[0-9A-Za-z-]{1,24}/(documents|respond)/$",
    # Answers to a suspension and appeals, with their documents (pages and API).
    r"^/enforcement/suspensions/[0-9A-Za-z-]{1,24}/answer/$",
    r"^/enforcement/appeals/file/[0-9A-Za-z-]{1,24}/$",
    r"^/api/suspension-cases/[0-9A-Za-z-]{1,24}/answer/$",
    r"^/api/appeals/$",
    # Forced-labor evidence of existing Trade Compliance members (page and API).
    r"^/trade-compliance/forced-labor/[0-9A-Za-z-]{1,24}/submit/$",
    r"^/api/tc-forced-labor-obligations/[0-9A-Za-z-]{1,24}/submit/$",
)

# --- Trade Compliance -------------------------------------------------------------------------
# The day CBP starts accepting Trade Compliance applications (when the Federal Register notice
# takes effect); empty = open. Passed to tradecompliance.rules.eligibility by its callers.
CTPAT_TC_PROGRAM_OPENS_ON = env_date("CTPAT_TC_PROGRAM_OPENS_ON")
# Forced-labor requirements (tradecompliance.rules.forced_labor_status): members accepted before
# the cut-off owe them as a tracked obligation due on the deadline; later members met them when
# applying. Defaults: CBP's announcement of 1 Aug 2022 (deadline 1 Aug 2023).
CTPAT_TC_FORCED_LABOR_CUTOFF = env_date("CTPAT_TC_FORCED_LABOR_CUTOFF") or dt.date(2022, 8, 1)
CTPAT_TC_FORCED_LABOR_DEADLINE = env_date("CTPAT_TC_FORCED_LABOR_DEADLINE") or dt.date(2023, 8, 1)
# Annual Notification Letters (ctpat.annualnotices.rules): first due N months after acceptance,
# then every M months; reminder days before the due date; days overdue before suspension.
CTPAT_ANL_FIRST_DUE_MONTHS = env_int("CTPAT_ANL_FIRST_DUE_MONTHS", 13)
CTPAT_ANL_INTERVAL_MONTHS = env_int("CTPAT_ANL_INTERVAL_MONTHS", 12)
CTPAT_ANL_REMINDER_DAYS = os.environ.get("CTPAT_ANL_REMINDER_DAYS", "60,30,7")
CTPAT_ANL_GRACE_DAYS = env_int("CTPAT_ANL_GRACE_DAYS", 30)
CTPAT_ANL_IMPORT_MAX_BYTES = env_int("CTPAT_ANL_IMPORT_MAX_BYTES", 512 * 1024)

# --- Eligibility by country (partners.eligibility) ---------------------------------------------
# Countries an air / sea carrier must be based in (ISO codes, comma-separated). CBP's current
# eligibility pages for these types were not confirmed, so the default is no limit (empty).
CTPAT_AIR_CARRIER_COUNTRIES = tuple(c.upper() for c in env_list("CTPAT_AIR_CARRIER_COUNTRIES"))
CTPAT_SEA_CARRIER_COUNTRIES = tuple(c.upper() for c in env_list("CTPAT_SEA_CARRIER_COUNTRIES"))

# --- Suspension, removal, reapplication and appeals (partners.rules, ctpat.enforcement) --------
# Days a suspended member has to answer the letter ([S] consultant source; policy default).
CTPAT_SUSPENSION_RESPONSE_DAYS = env_int("CTPAT_SUSPENSION_RESPONSE_DAYS", 90)
# Years before a company may reapply, per exit ground (DOMAIN.md §7.2): 1 after a withdrawal that
# followed an unanswered suspension ([S]); the others have no public source (policy choices).
CTPAT_REAPPLY_WAIT_SUSPENSION_UNANSWERED_YEARS = env_int(
    "CTPAT_REAPPLY_WAIT_SUSPENSION_UNANSWERED_YEARS", 1
)
CTPAT_REAPPLY_WAIT_VOLUNTARY_WITHDRAWAL_YEARS = env_int(
    "CTPAT_REAPPLY_WAIT_VOLUNTARY_WITHDRAWAL_YEARS", 0
)
CTPAT_REAPPLY_WAIT_REMOVAL_YEARS = env_int("CTPAT_REAPPLY_WAIT_REMOVAL_YEARS", 0)
CTPAT_REAPPLY_WAIT_FALSE_INFORMATION_YEARS = env_int(
    "CTPAT_REAPPLY_WAIT_FALSE_INFORMATION_YEARS", 1
)
# Days before CBP's 180-day appeal decision limit (6 U.S.C. 967(c)) that the daily job reminds.
CTPAT_APPEAL_REMINDER_DAYS = os.environ.get("CTPAT_APPEAL_REMINDER_DAYS", "30,7")

# --- E-mail (Django 6.1 MAILERS) --------------------------------------------------------------
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO_MODE)
    else "django.core.mail.backends.smtp.EmailBackend",
)
if TESTING:
    EMAIL_BACKEND_NAME = "django.core.mail.backends.locmem.EmailBackend"
_mailer = {"BACKEND": EMAIL_BACKEND_NAME}
if EMAIL_BACKEND_NAME.endswith("smtp.EmailBackend"):
    _mailer["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ctpat@localhost")

# --- Background tasks (Django Tasks; database backend from django-tasks-db) ----------------
# Tasks are rows in this database; `ctpat worker` runs them (`ctpat demo` starts one).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        # "email": outgoing e-mail (ctpat.notifications.tasks); "default": everything else.
        "QUEUES": ["default", "email"],
    }
}

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ctpat.accounts.authentication.HashedTokenAuthentication",
        "ctpat.core.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ctpat.core.api.permissions.IsAuthenticatedAndVerified"],
    "DEFAULT_PAGINATION_CLASS": "ctpat.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ctpat.core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CTPAT_API_ANON_RATE", "60/min"),
        "user": os.environ.get("CTPAT_API_USER_RATE", "1200/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

SPECTACULAR_SETTINGS = {
    "TITLE": "ctpat API",
    "DESCRIPTION": "CTPAT partners, identifiers, membership status, SVI connections and the "
    "audit trail. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links: Swagger UI puts them inside each operation's toggle button, a nested
    # interactive control that screen readers announce badly (axe "nested-interactive").
    # No syntax colouring: its colours fail WCAG contrast on the dark example background.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": {"activated": False}},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema component per choice set, named after it (not after the first field using it).
    "ENUM_NAME_OVERRIDES": {
        "EntityTypeEnum": "ctpat.partners.choices.EntityType",
        "MembershipStatusEnum": "ctpat.partners.choices.MembershipStatus",
        "IdentifierKindEnum": "ctpat.partners.choices.IdentifierKind",
        "SVIStatusEnum": "ctpat.partners.choices.SVIStatus",
        "OrganizationKindEnum": "ctpat.accounts.choices.OrganizationKind",
        "RoleEnum": "ctpat.accounts.choices.Role",
        "AnlLetterStatusEnum": "ctpat.annualnotices.choices.LetterStatus",
        "AnlPeriodStatusEnum": "ctpat.annualnotices.choices.PeriodStatus",
        "AnlImportStatusEnum": "ctpat.annualnotices.choices.ImportStatus",
        "TcMembershipStatusEnum": "ctpat.tradecompliance.choices.MembershipStatus",
        "TcApplicationStatusEnum": "ctpat.tradecompliance.choices.ApplicationStatus",
        "ProfileStatusEnum": "ctpat.profiles.choices.ProfileStatus",
        "GapKindEnum": "ctpat.profiles.choices.GapKind",
        "ResourceKindEnum": "ctpat.resources.choices.ResourceKind",
        "ResourceRevisionStatusEnum": "ctpat.resources.choices.RevisionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CTPAT_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
