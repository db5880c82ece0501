#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian machine that has Python 3.11, Node 20, npm
# and Java 17: the project with its test extras, the npm test tools pinned in package-lock.json
# (scorm-again, axe-core, vnu-jar) and Debian's Chromium. Safe to run again: steps that are
# already done are skipped. Never runs `playwright install`: the tests drive /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-tests: installing Debian's chromium"
  apt_install chromium
fi
if ! command -v java >/dev/null 2>&1; then
  echo "setup-tests: installing a Java runtime for the Nu HTML Checker"
  apt_install default-jre-headless
fi

"$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[test]'

# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime of its own;
# the system Java above is used instead. A copy of the lock file marks a finished install.
stamp=node_modules/.srm-package-lock.json
if [ -f package-lock.json ]; then
  if ! cmp -s package-lock.json "$stamp"; then
    npm ci --ignore-scripts --no-audit --no-fund
    cp package-lock.json "$stamp"
  fi
else
  npm install --ignore-scripts --no-audit --no-fund
fi

for tool in node_modules/scorm-again/dist/scorm12.js node_modules/scorm-again/dist/scorm2004.js \
  node_modules/axe-core/axe.min.js node_modules/vnu-jar/build/dist/vnu.jar; do
  if [ ! -f "$tool" ]; then
    echo "setup-tests: $tool is missing after npm install" >&2
    exit 1
  fi
done
echo "setup-tests: ready ($(/usr/bin/chromium --version 2>/dev/null || echo chromium))"
