#!/usr/bin/env bash
# Extract the learner-facing messages into srm_package/i18n/locales/messages.pot and
# merge them into every language's messages.po (new messages come in untranslated;
# tests/test_i18n.py fails until each catalog translates them all).
#   bash scripts/update-catalogs.sh            update the template and every catalog
#   bash scripts/update-catalogs.sh xx_YY      also start a catalog for a new locale
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LOCALES=srm_package/i18n/locales
pybabel extract --mapping-file srm_package/i18n/babel.cfg --no-location --sort-output \
  --add-comments=Translators: --project=srm-package --copyright-holder="srm-package authors" \
  --msgid-bugs-address="" --output-file "$LOCALES/messages.pot" . >/dev/null
if [ $# -gt 0 ]; then
  pybabel init --input-file "$LOCALES/messages.pot" --output-dir "$LOCALES" --locale "$1"
fi
pybabel update --input-file "$LOCALES/messages.pot" --output-dir "$LOCALES" \
  --ignore-obsolete --no-fuzzy-matching
