#!/usr/bin/env bash
# Fails when a French interface string has no English translation, or when the committed
# compiled catalogues (.mo) are not those of the current .po files.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-codev_network.settings.development}"
command -v msgfmt >/dev/null || { echo "msgfmt (paquet gettext) est nécessaire." >&2; exit 1; }

# Refresh the catalogues from the sources in a scratch copy, so the check changes nothing.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -r locale "$scratch/locale"
"$PY" manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=.venv-bench --ignore=static/vendor --ignore=var --ignore=bench-results --ignore=staticfiles -v 0
status=0
for po in locale/*/LC_MESSAGES/*.po; do
  # The refreshed catalogue must have every string translated...
  stats="$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)"
  if echo "$stats" | grep -qE 'fuzzy|untranslated'; then
    echo "$po : chaînes non traduites ou approximatives : $stats" >&2
    msgattrib --untranslated "$po" 2>/dev/null | grep -A1 '^msgid' | head -60 >&2 || true
    status=1
  fi
  # ...and the committed .mo must be the compiled committed .po.
  committed="$scratch/$po"
  mo="${po%.po}.mo"
  msgfmt -o "$scratch/check.mo" "$committed"
  if [ ! -f "$mo" ] || ! cmp -s "$scratch/check.mo" "$mo"; then
    echo "$mo n'est pas à jour : lancez 'make messages' puis validez le .mo." >&2
    status=1
  fi
done
# Put the committed catalogues back: this script only checks.
rm -rf locale && cp -r "$scratch/locale" locale
exit "$status"
