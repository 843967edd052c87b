#!/usr/bin/env bash
# One command: set up everything, load the demo data and serve the site at http://127.0.0.1:8000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh" requirements.txt
PY="$ROOT/.venv/bin/python"
# The development settings: debug pages, dev-only key, the demo staff accounts' shared 2FA code (DEBUG only).
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-codev_network.settings.development}"
export CODEV_DEMO_TOTP_CODE="${CODEV_DEMO_TOTP_CODE:-123456}"
# Links in emails (and CASE export identifiers) follow the address the site is served on: the port
# chosen below, unless CODEV_SITE_URL names another address (a tunnel, a proxy).
PORT="${PORT:-8000}"
export CODEV_SITE_URL="${CODEV_SITE_URL:-http://127.0.0.1:${PORT}}"

say "Base de données (${DATABASE_URL:-SQLite : var/codev_network.sqlite3})"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py createcachetable
say "Données de démonstration"
"$PY" manage.py seed_demo

# The worker runs the background tasks (emails, PDF) beside the site and stops with it. It gets its
# own process group: Ctrl-C stops the site at once, the worker finishes the task in hand and stops.
if [ "${CODEV_TASKS_BACKEND:-database}" = "database" ]; then
  say "Tâches en arrière-plan (e-mails, PDF) : manage.py db_worker"
  if command -v setsid >/dev/null 2>&1; then
    setsid "$PY" manage.py db_worker &
    WORKER_PID=$!
    WORKER_TARGET="-$WORKER_PID"  # the whole group: with --reload (DEBUG) the worker is two processes
  else
    "$PY" manage.py db_worker &
    WORKER_PID=$!
    WORKER_TARGET="$WORKER_PID"
  fi
  stop_worker() {
    kill -TERM -- "$WORKER_TARGET" 2>/dev/null || true
    wait "$WORKER_PID" 2>/dev/null || true
  }
  trap stop_worker EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
fi

say "Site disponible sur http://127.0.0.1:${PORT}/ (Ctrl-C pour arrêter) ; liens des e-mails : ${CODEV_SITE_URL}"
"$PY" manage.py runserver "127.0.0.1:${PORT}"
