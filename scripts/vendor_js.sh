#!/usr/bin/env bash
# Refresh the browser libraries vendored in src/unmask/report/vendor/ from the npm registry.
#
#   scripts/vendor_js.sh            reinstall the versions pinned in package-lock.json and copy their builds
#   scripts/vendor_js.sh --update   first re-resolve package.json (edit the versions there) and rewrite the lock
#
# The report inlines these files and the local UI serves them, so nothing is fetched from a CDN at run time.
# Each library's licence is copied beside its build, with the licences of what sigma's bundle includes.
set -euo pipefail

VENDOR="$(cd "$(dirname "$0")/.." && pwd)/src/unmask/report/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cp "$VENDOR/package.json" "$VENDOR/package-lock.json" "$WORK/"
cd "$WORK"
if [ "${1:-}" = "--update" ]; then
  npm install --ignore-scripts --no-audit --no-fund --save-exact
  cp package-lock.json "$VENDOR/package-lock.json"
else
  npm ci --ignore-scripts --no-audit --no-fund
fi

licence() {  # licence PACKAGE: copy its licence file as vendor/PACKAGE.LICENSE.txt
  cp "$(ls node_modules/$1/LICEN[CS]E* | head -1)" "$VENDOR/$1.LICENSE.txt"
}
copy() {  # copy PACKAGE BUILD_PATH TARGET_NAME
  cp "node_modules/$1/$2" "$VENDOR/$3"
  licence "$1"
  echo "$1 $(node -p "require('./node_modules/$1/package.json').version") -> $3"
}
copy sigma dist/sigma.min.js sigma.min.js
copy graphology dist/graphology.umd.min.js graphology.umd.min.js
licence events            # bundled inside sigma.min.js
licence graphology-utils  # bundled inside sigma.min.js
