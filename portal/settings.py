"""Settings of the Qatysu portal, read from the environment (see .env.example)."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# "development" gives safe defaults for the embedded run (SQLite, eager Celery, console
# e-mail); "production" demands every secret from the environment and turns on the
# security settings that `check --deploy` looks for.
ENVIRONMENT = env.str("DJANGO_ENV", default="development")
IS_PRODUCTION = ENVIRONMENT == "production"

# Production never runs in debug mode: its error pages would show what people typed.
DEBUG = False if IS_PRODUCTION else env.bool("DJANGO_DEBUG", default=True)
if IS_PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    # The key of the IIN's keyed hash: losing it makes every stored IIN unmatchable.
    IIN_HASH_KEY = env.str("IIN_HASH_KEY")
    for _name, _value in (
        ("DJANGO_SECRET_KEY", SECRET_KEY),
        ("IIN_HASH_KEY", IIN_HASH_KEY),
    ):
        if len(_value) < 32 or _value.startswith("change-me"):
            raise ImproperlyConfigured(
                f"{_name} must be a real secret of at least 32 characters in production."
            )
else:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="insecure-development-key-never-use-in-production"
    )
    IIN_HASH_KEY = env.str("IIN_HASH_KEY", default="development-iin-hash-key")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_htmx",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",
    "accounts",
    "community",
    "budgets",
    "maslikhat",
    "proposals",
    "votes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # No request larger than QATYSU_MAX_REQUEST_BYTES is read, and no control character
    # reaches a view (after the language and the user, for the page
    # that says why; before anything reads the request).
    "portal.middleware.RequestSizeGuard",
    "portal.middleware.ControlCharactersGuard",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # Last, as django-axes asks: answers a locked sign-in with the site's page.
    "axes.middleware.AxesMiddleware",
]

if IS_PRODUCTION:
    # Static files are served by the app itself behind gunicorn; runserver serves them in
    # development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.shell",
            ],
        },
    },
]
# The largest request the portal reads: three 5 MB photos and the form (the front, nginx,
# has the same limit: deploy/nginx/default.conf.template). Larger is refused unread.
QATYSU_MAX_REQUEST_BYTES = env.int("QATYSU_MAX_REQUEST_BYTES", default=16 * 1024 * 1024)
# A form sent with a stale or missing security token: the site's own page (portal.views).
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
# Content-Security-Policy on every response: scripts, styles, fonts and images from the
# portal itself, nothing inline, no frames, no plug-ins, forms sent only to the portal.
# (The JSON data blocks of json_script are not scripts; Swagger UI draws its icons as
# data: images.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# No page of the portal uses the camera, the microphone, the location or payments.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
# Every form field carries the design system's class (portal/rendering.py).
FORM_RENDERER = "portal.rendering.FormRenderer"

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
# In production each gunicorn worker keeps its connection for a minute, checked before
# each request reuses it: a new PostgreSQL connection per request halved the throughput
# of the lighter pages (bench/national.py). The development server's threads come and
# go with their requests, and would leave their connections open: none kept there.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DATABASE_CONN_MAX_AGE", default=60 if IS_PRODUCTION else 0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs a page's query more than it saves at these sizes (measured
    # by bench/proposals.py: 120 ms on a search sorted by support).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked pair of address and account before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One limiter for every sign-in door (accounts/signin.py): django-axes, per address and
# account together, so that guessing at an account never locks its owner out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_USERNAME_CALLABLE = "accounts.signin.attempted_account"
# The client's address as the API's limits read it (QATYSU_API_PROXIES): behind the front,
# the address it adds, not the front's own.
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_address"
AXES_RESET_ON_SUCCESS = True
# The attempts are in the database (the admin's "Access attempts"), not in the log.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.signin.locked_out"
# allauth's own limit on failed sign-ins counts per account alone (anyone could lock
# anyone); axes replaces it. Its other limits (sign-up, reset e-mails) stay.
ACCOUNT_RATE_LIMITS = {"login_failed": False}

# django-allauth: e-mail is the login; the address must be confirmed before sign-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# The sign-up form adds the person's full name (accounts.forms.SignupForm); every form is
# rendered with its labels above the fields, by the site's own templates (templates/account/).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "add_email": "accounts.forms.AddEmailForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
LOGIN_REDIRECT_URL = "accounts:profile"
LOGIN_URL = "account_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"

# Residency verification backend: one interface, the setting picks the implementation.
RESIDENCY_VERIFICATION_BACKEND = env.str(
    "RESIDENCY_VERIFICATION_BACKEND",
    default="accounts.residency.StaffQueueVerification",
)

# Citizen proposals: how many one person submits for one budget, and the statutory review
# deadline in Kazakhstan's working days.
QATYSU_PROPOSALS_PER_PERSON = env.int("QATYSU_PROPOSALS_PER_PERSON", default=5)
QATYSU_REVIEW_WORKING_DAYS = env.int("QATYSU_REVIEW_WORKING_DAYS", default=15)
# The dashboards show figures computed in advance, taken again this many minutes at most
# after an act in their units (portal.tasks.dashboards_refresh); the page says so.
QATYSU_DASHBOARD_REFRESH_MINUTES = env.int(
    "QATYSU_DASHBOARD_REFRESH_MINUTES", default=5
)
# The dashboards' participation figures never show a count of people below this (a
# cell of fewer people is written "fewer than N"), so that no one can be picked out.
QATYSU_DASHBOARD_SMALLEST_CELL = env.int("QATYSU_DASHBOARD_SMALLEST_CELL", default=5)

LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# The project's catalogue first; then the Kazakh catalogue of django-allauth's sign-up and
# sign-in pages, which allauth itself does not ship (see locale/allauth/README.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Almaty"
# One way of writing a date per language: '4 желтоқсан 2026', '4 декабря 2026',
# '4 December 2026'.
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The stylesheet compiled at set-up from assets/scss/ (`npm run build`), never committed.
    BASE_DIR / "assets" / "dist",
    # The US Web Design System's images (its check marks and icons) and Noto Sans's files.
    ("uswds/img", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist" / "img"),
    ("fonts", BASE_DIR / "node_modules" / "@fontsource" / "noto-sans" / "files"),
    ("vendor", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # Lucide's icons (status tags: portal/status.py).
    ("icons", BASE_DIR / "node_modules" / "lucide-static" / "icons"),
]
# The TrueType font of the PDF protocols (votes.protocol): Noto Sans from npm, with every
# letter of the Kazakh alphabet.
_NOTO_SANS = BASE_DIR / "node_modules" / "@expo-google-fonts" / "noto-sans"
QATYSU_PDF_FONTS = {
    "regular": _NOTO_SANS / "400Regular" / "NotoSans_400Regular.ttf",
    "bold": _NOTO_SANS / "700Bold" / "NotoSans_700Bold.ttf",
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Qatysu <noreply@qatysu.kz>"
)

# Celery: without REDIS_URL the tasks run eagerly in-process (the embedded run).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="qatysu")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

# Text messages (portal/sms.py, django-sms): the console in the demo and development; in
# production the operator's HTTP gateway (portal.sms.HttpSmsBackend) at QATYSU_SMS_URL with
# its key, never the console, which would print the codes into the logs: until the address
# is set, nothing is sent and the people asking are told the service does not answer. A text
# longer than QATYSU_SMS_MAX_PARTS parts is never sent.
SMS_BACKEND = env.str(
    "QATYSU_SMS_BACKEND",
    default="portal.sms.HttpSmsBackend"
    if IS_PRODUCTION
    else "sms.backends.console.SmsBackend",
)
DEFAULT_FROM_SMS = env.str("QATYSU_SMS_FROM", default="Qatysu")
QATYSU_SMS_URL = env.str("QATYSU_SMS_URL", default="")
QATYSU_SMS_KEY = env.str("QATYSU_SMS_KEY", default="")
QATYSU_SMS_TIMEOUT = env.float("QATYSU_SMS_TIMEOUT", default=5.0)
QATYSU_SMS_RETRIES = env.int("QATYSU_SMS_RETRIES", default=2)
QATYSU_SMS_MAX_PARTS = env.int("QATYSU_SMS_MAX_PARTS", default=3)
# One-time codes by SMS (accounts.textcodes): a residency claim confirmed by a code to the
# household register's number, a number for SMS notices confirmed by a code to it. A code
# lives QATYSU_SMS_CODE_MINUTES and takes QATYSU_SMS_CODE_ATTEMPTS tries; codes sent to one
# number are limited by the hour and the day, and codes asked from one address by the hour
# (counted in the cache: Redis in production, shared by every process).
QATYSU_SMS_CODE_MINUTES = env.int("QATYSU_SMS_CODE_MINUTES", default=10)
QATYSU_SMS_CODE_ATTEMPTS = env.int("QATYSU_SMS_CODE_ATTEMPTS", default=5)
# A code is sent while the person waits: each of its two tries at most this many seconds.
QATYSU_SMS_CODE_TIMEOUT = env.float("QATYSU_SMS_CODE_TIMEOUT", default=5.0)
QATYSU_SMS_CODES_PER_NUMBER_HOUR = env.int(
    "QATYSU_SMS_CODES_PER_NUMBER_HOUR", default=3
)
QATYSU_SMS_CODES_PER_NUMBER_DAY = env.int("QATYSU_SMS_CODES_PER_NUMBER_DAY", default=5)
QATYSU_SMS_CODES_PER_PERSON_DAY = env.int("QATYSU_SMS_CODES_PER_PERSON_DAY", default=8)
QATYSU_SMS_CODES_PER_ADDRESS_HOUR = env.int(
    "QATYSU_SMS_CODES_PER_ADDRESS_HOUR", default=10
)
# The site's address as a text message links to it (an SMS has no request to build it
# from): the scheme and host, without a slash at the end; in production by default the
# first of the allowed hosts, over https.
QATYSU_SITE_URL = env.str(
    "QATYSU_SITE_URL",
    default=f"https://{ALLOWED_HOSTS[0]}"
    if IS_PRODUCTION and ALLOWED_HOSTS
    else "http://127.0.0.1:8000",
).rstrip("/")

# The cache: Redis when there is one (the API's rate limits then hold across processes),
# otherwise this process's memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Sessions read from the cache, written through to the database, when the cache is Redis,
# which every process shares: a signed-in request then reads no session row. Without
# Redis, from the database alone: a process's own memory would keep a session that was
# signed out in another.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# Public pages drawn once per change of their unit's data and kept in the cache
# (portal.fragments). Their versions must be seen by every process that serves pages: on
# by default with Redis, or in development (one process); off for production workers
# without Redis, whose memories would each keep their own.
QATYSU_KEEP_PAGES = env.bool(
    "QATYSU_KEEP_PAGES", default=bool(REDIS_URL) or not IS_PRODUCTION
)

# The public read-only API under /api/v1/ (portal/api.py and each app's api.py).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "portal.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["portal.filtering.SingleValuedFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication"
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.throttling.AnonymousThrottle",
        "portal.throttling.UserThrottle",
    ],
    # The proxies in front of the site that add X-Forwarded-For: the client is the
    # address that many hops back; with none, the connection's own address, so that a
    # client cannot name itself anew with the header to escape its rate limit.
    "NUM_PROXIES": env.int("QATYSU_API_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("QATYSU_API_ANON_RATE", default="60/minute"),
        "user": env.str("QATYSU_API_USER_RATE", default="600/minute"),
    },
    "EXCEPTION_HANDLER": "portal.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qatysu API",
    "DESCRIPTION": (
        "Everything public about the local self-government budgets of Kazakhstan: units, "
        "budget cycles and their phases, draft budgets with their versions and lines, "
        "residents' proposals with their timeline and the akim's decisions, the "
        "maslikhat's votes with their roll calls, and the execution of adopted budgets. "
        "Read-only; anonymous clients are rate limited."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The documentation's assets come from the drf-spectacular-sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from the online validator.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "DraftStatusEnum": "budgets.api.PUBLIC_DRAFT_STATUSES",
        "MeetingDecisionEnum": "budgets.models.MeetingDecision",
        "ProposalStatusEnum": "proposals.api.PUBLIC_STATUSES",
        "AkimDecisionEnum": "proposals.models.Decision",
        "ResidentsVoteStatusEnum": "votes.lifecycle.VoteStatus",
    },
    "PATH_CONVERTER_OVERRIDES": {
        "kato": {"type": "string", "pattern": "^[0-9]{9}$"},
        "year": {"type": "integer", "minimum": 1000, "maximum": 9999},
        "number": {"type": "integer", "minimum": 0, "maximum": 999999999},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.str("DJANGO_LOG_LEVEL", default="INFO"),
    },
}

if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int(
        "DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
