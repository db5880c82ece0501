#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian machine that has only python3 and git:
# the project with its test extras in the virtual environment .venv/ (see scripts/setup.sh;
# run the tests with `.venv/bin/python -m pytest`), Debian's Node.js and npm, the npm test tools
# pinned in package-lock.json (scorm-again, axe-core, vnu-jar: browser bundles and a jar, nothing
# that runs under Node), Debian's Chromium and a Java runtime for the Nu HTML Checker. Steps that
# are already done are skipped. Never runs `playwright install`: the tests drive /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-tests: installing Debian's chromium"
  apt_install chromium
fi
if ! command -v java >/dev/null 2>&1; then
  echo "setup-tests: installing a Java runtime for the Nu HTML Checker"
  apt_install default-jre-headless
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup-tests: installing Debian's nodejs and npm"
  apt_install nodejs npm
fi

setup_venv "[test]"

# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime of its own;
# the system Java above is used instead. A copy of the lock file marks a finished install.
stamp=node_modules/.srm-package-lock.json
if ! cmp -s package-lock.json "$stamp"; then
  npm ci --ignore-scripts --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

for tool in node_modules/scorm-again/dist/scorm12.js node_modules/scorm-again/dist/scorm2004.js \
  node_modules/axe-core/axe.min.js node_modules/vnu-jar/build/dist/vnu.jar; do
  if [ ! -f "$tool" ]; then
    echo "setup-tests: $tool is missing after npm ci" >&2
    exit 1
  fi
done
echo "setup-tests: ready: run .venv/bin/python -m pytest ($(/usr/bin/chromium --version 2>/dev/null || echo chromium))"
