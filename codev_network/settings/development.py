"""Development settings: a developer's machine and the demo of scripts/run.sh, never a server others reach.

Debug pages, a published secret key, hosts of this machine only, and the demo's shared second-factor
code. scripts/run.sh and the Makefile select this module; a server started without
DJANGO_SETTINGS_MODULE refuses to start (codev_network/env.py, require_settings_module).
"""

from codev_network.env import env_bool, env_list, env_str
from codev_network.settings.base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# The legal pages of a development machine: example values, each replaced by its CODEV_* variable when set.
LEGAL_NOTICE = {
    **{
        "publisher_address": "Adresse du siège (exemple) — 1 rue de l'Exemple, 75000 Paris",
        "publication_director": "La présidence de la CNCD (exemple)",
        "contact_email": "contact@codev.example.org",
        "host_name": "Hébergeur de démonstration (exemple)",
        "host_address": "2 avenue de l'Exemple, 69000 Lyon",
        "host_phone": "01 23 45 67 89",
    },
    **{key: value for key, value in LEGAL_NOTICE.items() if value},  # noqa: F405
}
# Demo only: a code accepted at the second-factor step for every account (docs/members.md). Only with
# DEBUG: allauth refuses the setting otherwise (DJANGO_DEBUG=false, as scripts/bench.py runs).
MFA_TOTP_INSECURE_BYPASS_CODE = env_str("CODEV_DEMO_TOTP_CODE", "123456") if DEBUG else None

# Demo and benchmark tools (seed_demo, seed_scale, the timing middleware, the floor page): installed here
# and in the test settings, never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405
BENCHMARK_INSTRUMENTATION = env_bool("CODEV_BENCHMARK", False)
if BENCHMARK_INSTRUMENTATION:
    MIDDLEWARE = ["devtools.middleware.ServerTimingMiddleware", *MIDDLEWARE]  # noqa: F405
