#!/bin/sh
# Run the smoke under Xvfb with Electron 41 (the installed one) and Electron 30.
# Needs: xvfb-run (Debian: apt-get install xvfb), and Electron's binary downloaded by its
# postinstall (allowed in package.json "allowScripts").
set -e
cd "$(dirname "$0")/.."
run() {
  echo "== Electron $("$1" --version)"
  xvfb-run -a "$1" dist/smoke-main.cjs
}
run ./node_modules/.bin/electron
if [ ! -x .electron30/node_modules/.bin/electron ]; then
  mkdir -p .electron30
  (cd .electron30 && echo '{"private":true,"allowScripts":{"electron@30.5.1":true}}' > package.json && npm install --no-audit --no-fund electron@30.5.1)
fi
run .electron30/node_modules/.bin/electron
