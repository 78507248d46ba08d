"""Settings for Algokader Tracker.

One env-driven module with safe local defaults: SQLite and DEBUG for a local
run, everything else through environment variables documented in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from algokader.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ALGOKADER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.middleware.private_cache_for_users",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tracker.busy.DatabaseBusyMiddleware",
    # Last, as django-axes asks: refuses a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "algokader.urls"
WSGI_APPLICATION = "algokader.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default, made fit for a team (see README, "SQLite or PostgreSQL"):
    # write-ahead logging so readers never block the writer, every transaction begun
    # IMMEDIATE so a writer waits for the write lock up front (a deferred transaction
    # that reads and then writes fails at once with "database is locked", busy timeout
    # or not), and a busy timeout in seconds for that wait. A write still refused after
    # it answers 503 "probeer het opnieuw" (tracker.busy.DatabaseBusyMiddleware).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out one (django-axes), then the usual check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after LOGIN_FAILURE_LIMIT failed attempts for one user name from one
# address, that combination is refused for LOGIN_LOCKOUT_MINUTES (a success resets it).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.accounts.lockout.locked_out"
AXES_VERBOSE = False
# Failures are counted; successful logins are not logged to the database one by one.
AXES_DISABLE_ACCESS_LOG = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from the npm registry (package.json); only the
# built CSS of the NL Design System packages is exposed, never committed.
NODE_MODULES = BASE_DIR / "node_modules"
NPM_CSS_DIRS = {
    "vendor/utrecht": NODE_MODULES / "@utrecht/component-library-css/dist",
    "vendor/voorbeeld-theme": (
        NODE_MODULES / "@nl-design-system-unstable/voorbeeld-design-tokens/dist"
    ),
}
STATICFILES_DIRS = [BASE_DIR / "static"]
# Guarded so the app still starts (unstyled) when `npm ci` has not been run.
STATICFILES_DIRS += [(prefix, path) for prefix, path in NPM_CSS_DIRS.items() if path.is_dir()]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Evidence uploads: private, outside the static files, served only through a view.
UPLOAD_ROOT = Path(env_str("UPLOAD_ROOT", str(VAR_DIR / "uploads")))
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A conditional go names every open blocker with four fields each.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Background tasks (Django's tasks framework): the PDF audit dossier. "database" queues
# them in the database for `manage.py db_worker` (django-tasks-db), which `make run`
# starts beside runserver (the default with DEBUG=false); "immediate" runs them inside the
# request (the default with DEBUG on, so tests and a bare runserver need no worker);
# "dummy" never runs them.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, got {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# Finished PDF dossiers: private, beside the uploads, read only by the download view.
DOSSIER_ROOT = Path(env_str("DOSSIER_ROOT", str(UPLOAD_ROOT.parent / "dossiers")))
# A running dossier job renews its lease every DOSSIER_JOB_HEARTBEAT_SECONDS; one without
# a heartbeat for DOSSIER_JOB_LEASE_SECONDS lost its worker and is marked failed.
DOSSIER_JOB_HEARTBEAT_SECONDS = env_int("DOSSIER_JOB_HEARTBEAT_SECONDS", 10)
DOSSIER_JOB_LEASE_SECONDS = env_int("DOSSIER_JOB_LEASE_SECONDS", 60)

# "figures": portfolio-wide figures, keyed by the version of the data (the audit trail's
# head), so never stale after a write (tracker/dashboards/figure_cache.py). Per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # Rendered fragments kept under a digest of everything they show, so never stale: the
    # checklist's row cells (tracker.pages.checklist.row_scope), the portfolio's table rows
    # (PortfolioRow.cache_key) and the per-algorithm dashboard's charts
    # (tracker.pages.dashboard). A few kB each: at most about 30 MB per process.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
    # A checklist page's rows rendered whole (tracker.pages.checklist.kept_results), also
    # never stale: 200 kB for a reader's page of 150 rows, 600 kB for an editor's. The
    # pages viewed last, at most about 60 MB per process.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
    # Catalog item bodies rendered to HTML (tracker.catalog.item_body), under a digest of
    # everything they are made from, so never stale: 3 kB for a median body, 40 kB at most
    # (v2.5.1). Two releases' 200 items each: under 10 MB per process.
    "bodies": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bodies",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# Where the Algoritmekader content comes from for `make run`.
CONTENT_SOURCE = env_str(
    "CONTENT_SOURCE",
    "https://github.com/MinBZK/Algoritmekader/archive/refs/tags/v2.5.1.tar.gz",
)
CONTENT_PACK_DIR = BASE_DIR / "content"
# Where `make run` imports the beslishulp AI-verordening from: a folder with
# decision-tree.yaml, or a folder of version folders (v1.2.23, v1.2.24, ...).
DECISION_AID_SOURCE = env_str("DECISION_AID_SOURCE", str(BASE_DIR.parent / "shared" / "beslishulp"))
# The Algoritmeregister's publication standard (its field configuration, a JSON file)
# that `make run` imports; empty: the copy beside the checkout, when there is one.
REGISTER_STANDARD_SOURCE = env_str("REGISTER_STANDARD_SOURCE", "")
REGISTER_STANDARD_FALLBACK = BASE_DIR.parent / "shared" / "algoritmeregister" / "standard-v1_0.json"
# Base URL that relative links in content bodies are made absolute against.
CONTENT_SITE_URL = env_str("CONTENT_SITE_URL", "https://minbzk.github.io/Algoritmekader/")
CONTENT_DOWNLOAD_MAX_BYTES = env_int("CONTENT_DOWNLOAD_MAX_BYTES", 50 * 1024 * 1024)
CONTENT_DOWNLOAD_TIMEOUT = env_int("CONTENT_DOWNLOAD_TIMEOUT", 20)
CONTENT_ARCHIVE_MAX_BYTES = env_int("CONTENT_ARCHIVE_MAX_BYTES", 200 * 1024 * 1024)
CONTENT_ARCHIVE_MAX_MEMBERS = env_int("CONTENT_ARCHIVE_MAX_MEMBERS", 10_000)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A session ends when the browser closes, and on the server at the latest
# SESSION_COOKIE_AGE seconds after login (default 8 hours).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS: set to e.g. 31536000 once the site is served over HTTPS only (see README).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
    },
}
