#!/usr/bin/env bash
# Copy front-end assets installed by npm into navigator/static/vendor (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=navigator/static/vendor
rm -rf "$dest"
mkdir -p "$dest/uswds" "$dest/htmx"
cp -R node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/fonts \
      node_modules/@uswds/uswds/dist/img "$dest/uswds/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
echo "vendor assets copied to $dest"
