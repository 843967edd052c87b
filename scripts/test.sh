#!/usr/bin/env bash
# One command: set up everything and run the whole test suite (unit, HTTP and browser tests).
# The database comes from DATABASE_URL (SQLite by default); extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh" requirements-dev.txt
# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
[ -x /usr/bin/chromium ] || apt_install chromium
say "Tests (${DATABASE_URL:-SQLite})"
set +e
"$ROOT/.venv/bin/python" -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "Aucun test n'a été collecté : c'est un échec." >&2
  exit 1
fi
exit "$status"
