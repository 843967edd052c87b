"""Production settings: every secret and host comes from the environment, or start-up stops."""

from codev_network.env import env_bool, env_int, env_list, env_str
from codev_network.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("dev-only"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "La variable d'environnement DJANGO_SECRET_KEY doit contenir au moins 50 caractères aléatoires."
    )
# Former keys, while a rotation is under way: sessions, reset links and the encrypted two-factor
# secrets made with them stay readable.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", required=True)
DATABASES = {"default": database_from_url(env_str("DATABASE_URL", required=True), conn_max_age=60)}  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
SITE_URL = env_str("CODEV_SITE_URL", required=True)
# The demo's shared second-factor code never applies here, whatever the environment says.
MFA_TOTP_INSECURE_BYPASS_CODE = None

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", required=True),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 20,
        },
    }
}

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405

# HTTPS everywhere; the load balancer's health check may come over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
if env_bool("DJANGO_BEHIND_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the load balancer every request comes from its address: allauth's limits per IP must count
# the visitor's address instead, the last one the load balancer appends to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 1 if env_bool("DJANGO_BEHIND_PROXY", True) else 0)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
