#!/usr/bin/env bash
# Prepares the project on a fresh Debian/Ubuntu machine: Python >= 3.12 virtual environment,
# Python packages, system libraries, database. Sourced by run.sh and test.sh; safe to run twice.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
REQUIREMENTS="${1:-requirements.txt}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3 \
    "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
    /usr/local/bin/python3.13 /usr/local/bin/python3.12; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

apt_install() {
  # Installs the Debian packages that are missing; stops with a clear message if it cannot.
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "Installation des paquets système : ${missing[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Paquets système manquants (${missing[*]}) et apt-get est absent : installez-les puis relancez." >&2
    exit 1
  fi
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; }; then
    echo "Impossible d'installer ${missing[*]} (droits administrateur requis) : sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
}

PYTHON_BIN="$(find_python)" || {
  cat >&2 <<'MSG'
Python 3.12 ou plus récent est nécessaire (Django 6.1 ne fonctionne pas avec une version antérieure).
Installez-le, par exemple :
  - Debian 13 / Ubuntu 24.04 : sudo apt-get install python3 python3-venv
  - avec pyenv : pyenv install 3.12 (le fichier .python-version du projet le sélectionne)
ou indiquez l'interpréteur à utiliser : PYTHON=/chemin/vers/python3.12 ./scripts/run.sh
MSG
  exit 1
}

# Pango is needed by WeasyPrint (PDF exports).
apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  say "L'environnement .venv utilise un Python trop ancien : il est recréé"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "Création de l'environnement virtuel avec $("$PYTHON_BIN" --version)"
  "$PYTHON_BIN" -m venv "$VENV" 2>/dev/null || {
    apt_install python3-venv
    "$PYTHON_BIN" -m venv "$VENV"
  }
fi

STAMP="$VENV/.installed-$(cat requirements.txt requirements-dev.txt "$REQUIREMENTS" | sha256sum | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
  say "Installation des dépendances Python ($REQUIREMENTS)"
  # This machine's pip configuration names local mirrors that may be absent: hide only that notice.
  quiet_pip() { "$VENV/bin/python" -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
  quiet_pip install --quiet --disable-pip-version-check --upgrade pip
  quiet_pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  rm -f "$VENV"/.installed-*
  touch "$STAMP"
fi

mkdir -p "$ROOT/var"
