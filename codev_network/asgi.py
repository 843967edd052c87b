from django.core.asgi import get_asgi_application

from codev_network.env import require_settings_module

# No default settings: a server started without DJANGO_SETTINGS_MODULE stops here instead of running in debug.
require_settings_module()

application = get_asgi_application()
