#!/usr/bin/env bash
# Install srm-package into a virtual environment, .venv/ in the clone (git ignores it), on a fresh
# Debian or Ubuntu machine that has only python3 and git: Debian's Python refuses `pip install`
# outside a virtual environment (externally-managed-environment), and `python` is not on its PATH.
# Then `.venv/bin/srm-package` is the tool. Safe to run again: what is done is skipped.
#
# `bash scripts/setup.sh` installs the tool; scripts/setup-tests.sh sources this file for its
# helpers and installs the test extras. PYTHON names the interpreter the environment is made
# from (default python3, 3.11 or later).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup: '$*' needs root: run it as root, or install sudo" >&2
    return 1
  fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# Creates .venv from $PYTHON (Debian ships the venv module's pip bootstrap in python3-venv)
# and installs the project into it, editable, with the extras in $1 (e.g. "[test]").
setup_venv() {
  local extras="${1:-}" base="${PYTHON:-python3}"
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$base" -c 'import ensurepip, venv' >/dev/null 2>&1; then
      echo "setup: installing Debian's python3-venv (the venv module's pip)"
      apt_install python3-venv
    fi
    "$base" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".$extras"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  setup_venv
  echo "setup: ready: $VENV/bin/srm-package ($("$VENV/bin/srm-package" --version))"
fi
