#!/usr/bin/env bash
# One command: set up everything, load the demo data and serve the site at http://127.0.0.1:8000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh" requirements.txt
PY="$ROOT/.venv/bin/python"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-codev_network.settings.base}"

say "Base de données (${DATABASE_URL:-SQLite : var/codev_network.sqlite3})"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py createcachetable
say "Données de démonstration"
"$PY" manage.py seed_demo
PORT="${PORT:-8000}"
say "Site disponible sur http://127.0.0.1:${PORT}/ (Ctrl-C pour arrêter)"
exec "$PY" manage.py runserver "127.0.0.1:${PORT}"
