#!/usr/bin/env bash
# Re-vendor the front-end libraries from npm into web/static/vendor (run by `make vendor`).
# The pinned versions are in package.json and package-lock.json beside this script; the
# built files and their licences are committed, so serving never needs npm or the internet.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
if [ -f "$here/package-lock.json" ]; then cp "$here/package-lock.json" "$work/"; fi
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
cp "$work/package-lock.json" "$here/package-lock.json"

pkg="$work/node_modules/@zazuko/yasgui"
target="$here/vendor/yasgui"
rm -rf "$target"
mkdir -p "$target"
cp "$pkg/build/yasgui.min.js" "$pkg/build/yasgui.min.css" "$target/"
cp "$pkg/package.json" "$target/package.json"
# The npm package declares "MIT" in its package.json but ships no licence text: write the
# MIT text with the holders the package.json names (author, contributors), and say so.
node - "$pkg/package.json" > "$target/LICENSE" <<'JS'
const p = require(process.argv[2]);
if (p.license !== "MIT") { console.error(`vendor.sh: expected an MIT package, found ${p.license}`); process.exit(1); }
const holders = [p.author, ...(p.contributors || []).map(c => c.name || c)].join(", ");
console.log(`${p.name} ${p.version} (${p.homepage})
The npm package declares the MIT licence in its package.json (copied beside this file) and
ships no licence text; this is the MIT licence text, with the holders that package.json names.

MIT License

Copyright (c) ${holders}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`);
JS
echo "vendored @zazuko/yasgui $(node -p "require('$pkg/package.json').version") into $target"
