#!/usr/bin/env python
import sys


def main():
    from django.core.exceptions import ImproperlyConfigured

    from codev_network.env import require_settings_module

    try:
        # No default settings: development, test and production are chosen explicitly (docs/deployment.md).
        require_settings_module()
    except ImproperlyConfigured as error:
        sys.exit(str(error))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
