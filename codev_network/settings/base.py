"""Settings shared by every environment; not a configuration by itself.

Safe by default: DEBUG off, no secret key, no demo second-factor code. An environment module completes
it: development.py (scripts/run.sh, a developer's manage.py), test.py (pytest) or production.py.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from codev_network.env import env_bool, env_int, env_list, env_str, refuse_renamed_variables

if os.environ.get("DJANGO_SETTINGS_MODULE") == __name__:
    raise ImproperlyConfigured(
        "codev_network.settings.base ne se suffit pas à lui-même : choisissez codev_network.settings.development "
        "(poste de développement) ou codev_network.settings.production dans DJANGO_SETTINGS_MODULE."
    )

refuse_renamed_variables()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# Fail closed: no key (Django refuses to sign anything without one), no debug pages, no host. Each
# environment module sets them; production.py requires real values from the environment.
SECRET_KEY = ""
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("CODEV_SITE_URL", "http://127.0.0.1:8000")

# Who publishes and hosts the platform, and how to reach its team: the legal notice and the
# accessibility statement show them (LCEN art. 6: the host's name, address and telephone). A value
# left empty is shown as "non renseigné" on those pages and reported by `check --deploy` (core.checks).
LEGAL_NOTICE = {
    "publisher_name": env_str("CODEV_PUBLISHER_NAME", "Coordination nationale des conseils de développement (CNCD)"),
    "publisher_address": env_str("CODEV_PUBLISHER_ADDRESS"),
    "publication_director": env_str("CODEV_PUBLICATION_DIRECTOR"),
    "contact_email": env_str("CODEV_CONTACT_EMAIL"),
    "host_name": env_str("CODEV_HOST_NAME"),
    "host_address": env_str("CODEV_HOST_ADDRESS"),
    "host_phone": env_str("CODEV_HOST_PHONE"),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "core",
    "members",
    "competences",
    "missions",
    "referentiel",
    "fiches",
    "toolbox",
    "meetings",
    "training",
    "surveys",
    "exchange",
    "showcase",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.FrenchFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.ApprovalRequiredMiddleware",
    "core.middleware.StaffMFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last of the request phase (the 413 page needs the user, the CSP nonce…), before any view reads the body.
    "core.middleware.RequestSizeLimitMiddleware",
    # Public pages kept whole for visitors who are not logged in (core/page_cache.py).
    "core.page_cache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "codev_network.urls"
WSGI_APPLICATION = "codev_network.wsgi.application"
ASGI_APPLICATION = "codev_network.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.page_cache.placeholders",
            ],
            # Dates written out in full, in every template without {% load %}: |long_date, |long_datetime.
            "builtins": ["core.templatetags.dates"],
        },
    },
]

# Public pages kept whole for visitors who are not logged in (core/page_cache.py, docs/performance.md): until
# anything they could show changes in the database, and at most this many seconds (0: never kept).
PUBLIC_PAGE_CACHE_SECONDS = env_int("CODEV_PUBLIC_PAGE_CACHE_SECONDS", 300)
# Parts of every page kept under all the values they show ({% keptfragment %}: the header), at most this long.
KEPT_FRAGMENT_SECONDS = env_int("CODEV_KEPT_FRAGMENT_SECONDS", 3600)
# The header's counters (unread notifications, conversations) kept per member this long at most (core/header_counts.py).
HEADER_COUNTS_SECONDS = env_int("CODEV_HEADER_COUNTS_SECONDS", 600)
PUBLIC_PAGE_CACHE_VIEWS = frozenset(
    [
        "home",
        "legal_notice",
        "privacy",
        "accessibility",
        "dashboard:key_figures",
        "fiches:index",
        "fiches:detail",
        "fiches:versions",
        "fiches:version",
        "fiches:version_compare",
        "meetings:list",
        "meetings:detail",
        "members:detail",
        "referentiel:home",
        "referentiel:activity",
        "referentiel:changelog",
        "referentiel:compare",
        "referentiel:competence",
        "referentiel:domain",
        "referentiel:mission",
        "referentiel:search",
        "referentiel:version",
        "referentiel:version_competences",
        "showcase:home",
        "showcase:councils",
        "showcase:council",
        "showcase:map",
        "showcase:figures",
        "showcase:works",
        "showcase:work",
        "surveys:home",
        "surveys:public_results",
        "toolbox:catalogue",
        "toolbox:detail",
        "toolbox:history",
        "training:home",
        "training:catalogue",
        "training:detail",
    ]
)

# Database: a SQLite file under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'codev_network.sqlite3'}")


def database_from_url(url: str, *, conn_max_age: int) -> dict:
    """The database named by `url`, with persistent connections kept `conn_max_age` seconds.

    DATABASE_POOL=true (PostgreSQL only) uses psycopg's connection pool instead, one per process, of
    DATABASE_POOL_MIN_SIZE to DATABASE_POOL_MAX_SIZE connections (Django then requires CONN_MAX_AGE=0).
    docs/performance.md compares the two under load; persistent connections are the default.
    """
    database = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if env_bool("DATABASE_POOL", False) and database["ENGINE"] == "django.db.backends.postgresql":
        database["CONN_MAX_AGE"] = 0
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 4),
            "timeout": 10,
        }
    return database


try:
    DATABASES = {"default": database_from_url(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))}
except ValueError as error:
    raise ImproperlyConfigured(f"La variable d'environnement DATABASE_URL est invalide : {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise the database (shared by every worker, which the
# login rate limits need; a dummy cache would disable them).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Django's Redis cache, with one client per connection pool instead of one per operation (core/cache.py).
    CACHES = {"default": {"BACKEND": "core.cache.ReusedClientRedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written to the database too: every app server sees every session, and a
    # Redis restart logs nobody out (docs/deployment.md). Without Redis they stay in the database alone.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "codev_network_cache"}}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_space"  # pending accounts are sent on to the pending page by the middleware
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the login, verification is mandatory, rate limits stay on.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Tell people by e-mail when their password, address or second factor changes (templates/account/email/).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Réseau CoDev] "
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}
# Signing up with an address that has an account shows the same page as a new address; allauth emails
# that address's owner instead ("someone tried to sign up with your address"), through AccountAdapter.
ACCOUNT_PREVENT_ENUMERATION = True
# Adding, changing or removing an email address asks for the password (or the app's code) again, as
# changing the two-factor settings does (MFA_REAUTHENTICATION_REQUIRED); a confirmation lasts 5 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Failed logins count per address (IP) and per address *and* account together (the "key" is built by
# AccountAdapter._get_login_attempts_cache_key): nobody can lock a chosen account out from elsewhere.
# Sign-ups count per address, and per email address typed (the "key" of members.forms.SignupForm).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,20/5m/ip",
    "signup": "20/m/ip",
    "signup_email": "3/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

# Two-factor authentication (allauth.mfa): TOTP with recovery codes, open to every member and
# required for the CNCD team and administrators (STAFF_MFA_REQUIRED).
# Secrets are encrypted at rest (members/mfa.py). One step of tolerance either side absorbs a
# phone's clock drift and slow typing; allauth refuses a code already used in that window.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Réseau CoDev"
MFA_TOTP_TOLERANCE = 1
MFA_REAUTHENTICATION_REQUIRED = True
MFA_ADAPTER = "members.mfa.MFAAdapter"
MFA_FORMS = {
    "authenticate": "members.mfa.MFAAuthenticateForm",
    "reauthenticate": "members.mfa.MFAReauthenticateForm",
    "activate_totp": "members.mfa.MFAActivateTOTPForm",
}
# The demo's shared second-factor code exists in development.py only.
MFA_TOTP_INSECURE_BYPASS_CODE = None
STAFF_MFA_REQUIRED = env_bool("CODEV_STAFF_MFA_REQUIRED", True)

# Members: how long a pending account is kept before `purge_pending_accounts` deletes it, how long
# an invitation link stays valid, and the largest profile photo accepted.
PENDING_ACCOUNT_RETENTION_DAYS = env_int("CODEV_PENDING_ACCOUNT_RETENTION_DAYS", 30)
INVITATION_VALIDITY_DAYS = env_int("CODEV_INVITATION_VALIDITY_DAYS", 30)
PROFILE_PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Toolbox: the largest file attached to a resource (toolbox.files), 10 MB by default.
TOOLBOX_FILE_MAX_BYTES = env_int("CODEV_TOOLBOX_FILE_MAX_BYTES", 10 * 1024 * 1024)
# A council's work in the vitrine: one PDF (showcase.documents).
SHOWCASE_DOCUMENT_MAX_BYTES = env_int("CODEV_SHOWCASE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
# Meetings: whether approved members may organise a regional meeting (a draft until the CNCD team
# publishes it); the team always may. Off by default.
MEETINGS_MEMBERS_MAY_ORGANISE = env_bool("CODEV_MEETINGS_MEMBERS_MAY_ORGANISE", False)
# The "besoins particuliers" (sensitive) are erased this many days after a meeting ends (meetings.registration).
MEETINGS_NEEDS_KEPT_DAYS = env_int("CODEV_MEETINGS_NEEDS_KEPT_DAYS", 1)
# A member's calendar feed lists the meetings of the last days too (meetings.calendar).
MEETINGS_FEED_PAST_DAYS = env_int("CODEV_MEETINGS_FEED_PAST_DAYS", 90)
# Surveys: the one reminder to members who have not sent their answers goes this many days before the close
# (surveys.campaigns, command surveys_send_reminders).
SURVEYS_REMINDER_DAYS_BEFORE_CLOSE = env_int("CODEV_SURVEYS_REMINDER_DAYS", 7)
# Entraide: what new accounts (approved less than EXCHANGE_NEW_ACCOUNT_DAYS days ago) may post in 24 hours, and
# how many posts anyone but the CNCD team may make in a minute (exchange.ratelimits).
EXCHANGE_NEW_ACCOUNT_DAYS = env_int("CODEV_EXCHANGE_NEW_ACCOUNT_DAYS", 7)
EXCHANGE_NEW_ACCOUNT_QUESTIONS_PER_DAY = env_int("CODEV_EXCHANGE_NEW_ACCOUNT_QUESTIONS_PER_DAY", 3)
EXCHANGE_NEW_ACCOUNT_ANSWERS_PER_DAY = env_int("CODEV_EXCHANGE_NEW_ACCOUNT_ANSWERS_PER_DAY", 10)
EXCHANGE_NEW_ACCOUNT_CONVERSATIONS_PER_DAY = env_int("CODEV_EXCHANGE_NEW_ACCOUNT_CONVERSATIONS_PER_DAY", 5)
EXCHANGE_NEW_ACCOUNT_MESSAGES_PER_DAY = env_int("CODEV_EXCHANGE_NEW_ACCOUNT_MESSAGES_PER_DAY", 50)
EXCHANGE_POSTS_PER_MINUTE = env_int("CODEV_EXCHANGE_POSTS_PER_MINUTE", 5)

# Retention applied by scheduled commands, as the privacy policy and the register of processing state
# it (the personal data declarations quote these settings). Audit entries: a year, the period the
# CNIL recommends for traceability logs (`prune_audit_entries`), except the actions in
# AUDIT_KEPT_ACTIONS: an account erasure must stay provable, and be redone after restoring a backup
# older than it (docs/deployment.md), and its entry names nobody once the account is erased.
# Notifications: read ones go after 180 days (`prune_notifications`); unread ones wait to be read.
AUDIT_RETENTION_DAYS = env_int("CODEV_AUDIT_RETENTION_DAYS", 365)
AUDIT_KEPT_ACTIONS = ["members.user.erased"]
NOTIFICATION_RETENTION_DAYS = env_int("CODEV_NOTIFICATION_RETENTION_DAYS", 180)

# The data controller, as the legal notice names it: printed by the register of processing.
DATA_CONTROLLER_NAME = "Coordination nationale des conseils de développement (CNCD)"
DATA_CONTROLLER_LEGAL_FORM = "association régie par la loi du 1er juillet 1901"

# Request size: the whole body (files included) at most REQUEST_MAX_BYTES, a little above the largest
# file a form accepts (a 5 MB photo; imports take 2 MB), or the French 413 page
# (RequestSizeLimitMiddleware). Django's own limits cover the rest: form fields (files excluded) in
# memory, number of fields and of files; over them, handler400 gives the same page.
REQUEST_MAX_BYTES = 6 * 1024 * 1024
# Larger bodies under these path prefixes only: a toolbox resource's file (TOOLBOX_FILE_MAX_BYTES) and the form
# around it.
REQUEST_MAX_BYTES_BY_PREFIX = {
    "/boite-a-outils/": TOOLBOX_FILE_MAX_BYTES + 1024 * 1024,
    # A meeting's documents (meetings:materials) are checked as the toolbox's files are.
    "/rencontres/": TOOLBOX_FILE_MAX_BYTES + 1024 * 1024,
    # A council's work document (showcase.documents).
    "/vitrine/travaux/": SHOWCASE_DOCUMENT_MAX_BYTES + 1024 * 1024,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: the console in development; production.py configures SMTP from the environment.
DEFAULT_FROM_EMAIL = env_str(
    "DJANGO_DEFAULT_FROM_EMAIL", "Réseau des technicien·nes CoDev <ne-pas-repondre@codev-reseau.fr>"
)
SERVER_EMAIL = env_str("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded photos and stored PDFs go through Django's storage API: the local disk by default, an
# S3-compatible object store shared by every app server when S3_BUCKET is set (django-storages).
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            # Private objects: photos and PDFs are served by the app's views, which check who asks.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Background tasks (Django's tasks API): emails and PDF rendering. The queue lives in the database
# and `manage.py db_worker` runs it (django-tasks-db); TASKS_BACKEND=immediate runs tasks inline.
TASKS_BACKEND = env_str("CODEV_TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"La variable d'environnement TASKS_BACKEND doit valoir database ou immediate (reçu : {TASKS_BACKEND!r})."
    )

# Content-Security-Policy: only our own origin; inline scripts need the per-response nonce and
# inline styles are never allowed (htmx's indicator style is switched off in the layout).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Permissions-Policy (PermissionsPolicyMiddleware): powerful browser features the site never uses are
# off for its pages and for anything they would embed. Only names Chromium recognises (it reports an
# unknown one as an error in the browser's console, which the browser tests catch).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Where ApprovalRequiredMiddleware (core) sends an account the CNCD team has not approved yet.
APPROVAL_PENDING_URL = "members:pending"

# Benchmark instrumentation (Server-Timing, query counts, the floor page): development only, where
# settings.development installs the devtools app; never in production.
BENCHMARK_INSTRUMENTATION = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own loggers print through the root handler only (its default config would print each
    # line a second time in development).
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

CSRF_FAILURE_VIEW = "core.views.csrf_failure"
