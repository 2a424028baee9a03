#!/bin/sh
# Vendor the pinned charting library into the gateway package, from the lockfile (npm ci):
# the /insights page serves it from the package itself, never from a CDN.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../../mesh/gateway/insights_assets/vendor
mkdir -p "$out"
cp node_modules/chart.js/dist/chart.umd.min.js "$out/chart.umd.min.js"
cp node_modules/chart.js/LICENSE.md "$out/chart.js-LICENSE.md"
version=$(node -p "require('./node_modules/chart.js/package.json').version")
printf '{"chart.js": "%s"}\n' "$version" > "$out/versions.json"
echo "vendored chart.js $version into mesh/gateway/insights_assets/vendor"
