#!/usr/bin/env bash
# Copy the dashboard's third-party files from node_modules into the Python package (src/detente/web/static/vendor/).
# The result is committed, so `pip install detente` needs neither npm nor a network. Run after changing package.json:
#   cd web && npm ci && npm run build
# npm scripts are off (.npmrc ignore-scripts=true): swagger-ui-dist pulls in @scarf/scarf, whose install script
# would phone home; none of the packages needs an install step.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
nm="$here/node_modules"
out="$here/../src/detente/web/static/vendor"
[ -d "$nm/leaflet" ] || { echo "node_modules missing: run 'npm ci' in $here first" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/leaflet/images" "$out/topojson-client" "$out/world-atlas" "$out/swagger-ui"

cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/LICENSE" "$out/leaflet/"
cp "$nm/leaflet/dist/images/"*.png "$out/leaflet/images/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$nm/topojson-client/LICENSE" "$out/topojson-client/"
cp "$nm/world-atlas/countries-50m.json" "$nm/world-atlas/LICENSE" "$out/world-atlas/"
cp "$nm/swagger-ui-dist/swagger-ui-bundle.js" "$nm/swagger-ui-dist/swagger-ui.css" \
   "$nm/swagger-ui-dist/LICENSE" "$nm/swagger-ui-dist/NOTICE" "$out/swagger-ui/"
# Source maps are left out; strip the trailing sourceMappingURL comments so browsers do not request them.
sed -i -e '/^\/\/# sourceMappingURL=/d' "$out/leaflet/leaflet.js" "$out/swagger-ui/swagger-ui-bundle.js"
sed -i -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$out/leaflet/leaflet.css" "$out/swagger-ui/swagger-ui.css"

node -e '
const fs = require("fs"), path = require("path");
const nm = process.argv[1], out = process.argv[2];
const pkgs = ["leaflet", "topojson-client", "world-atlas", "swagger-ui-dist"];
const m = {};
for (const p of pkgs) { const j = JSON.parse(fs.readFileSync(path.join(nm, p, "package.json"))); m[p] = {version: j.version, license: j.license}; }
fs.writeFileSync(path.join(out, "manifest.json"), JSON.stringify(m, null, 2) + "\n");
' "$nm" "$out"
echo "vendor files written to $out:"
(cd "$out" && find . -type f | sort)
