#!/usr/bin/env bash
# Fetches the pinned front-end packages from the npm registry and copies the
# files the pages use, with their licences, into web/ui/static/vendor/.
# The files are committed: building and running sceval never needs npm or
# the internet. Run this only to change a version (edit PACKAGES), then
# commit the result; VERSIONS records what is vendored and its integrity.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=web/ui/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name@version  file-in-package  destination  licence-file-in-package
PACKAGES=(
  "htmx.org@2.0.11 dist/htmx.min.js htmx.min.js LICENSE"
  "echarts@6.1.0 dist/echarts.min.js echarts.min.js LICENSE"
  # ECharts removed its maps after 4.9; this is the last package that ships
  # the China provinces GeoJSON (Apache-2.0, with 南海诸岛 drawn by ECharts
  # for the map named "china"). A deployment that must use an approved
  # standard map replaces it by configuration (see docs/ui-results.md).
  "echarts@4.9.0 map/json/china.json china.json LICENSE"
)

mkdir -p "$dest"
: >"$dest/VERSIONS.new"
for entry in "${PACKAGES[@]}"; do
  read -r pkg file out licence <<<"$entry"
  dir="$work/${pkg//[@\/]/_}"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    tgz=$(cd "$dir" && npm pack --silent "$pkg")
    tar xzf "$dir/$tgz" -C "$dir"
    integrity=$(npm view "$pkg" dist.integrity)
  fi
  cp "$dir/package/$file" "$dest/$out"
  cp "$dir/package/$licence" "$dest/LICENSE.${pkg%@*}"
  printf '%s\t%s\t%s\t%s\n' "$out" "$pkg" "$file" "$integrity" >>"$dest/VERSIONS.new"
done
{
  echo "# file	npm package@version	path in the package	integrity of the package (npm dist.integrity)"
  cat "$dest/VERSIONS.new"
} >"$dest/VERSIONS"
rm "$dest/VERSIONS.new"
echo "vendored into $dest:"
cat "$dest/VERSIONS"
