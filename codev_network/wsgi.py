from django.core.wsgi import get_wsgi_application

from codev_network.env import require_settings_module

# No default settings: a server started without DJANGO_SETTINGS_MODULE stops here instead of running in debug.
require_settings_module()

application = get_wsgi_application()
