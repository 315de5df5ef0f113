#!/usr/bin/env bash
# Builds SeaweedFS's weed (an S3-compatible server, Apache-2.0) once into a
# cache directory and prints its path; the S3 store's integration tests
# (platform/blob/s3_seaweed_test.go) run against it. `make s3-test` calls
# this, then the tests.
#
#   scripts/weed.sh            print the path of weed, building it if absent
#
# The version is pinned here and nowhere else (the tests take the newest
# weed-*/weed in the cache). `go install …/weed@version` is refused because
# SeaweedFS's go.mod has replace directives, so the module is downloaded
# with `go mod download`, copied out of the read-only module cache and built
# as the main module. From an empty module and build cache this takes many
# minutes (RELIABILITY.md); afterwards the script only prints the path.
# Progress goes to stderr, the path alone to stdout.
set -euo pipefail

SEAWEEDFS_MODULE=github.com/seaweedfs/seaweedfs
SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6

cache="${XDG_CACHE_HOME:-$HOME/.cache}/sceval/weed-$SEAWEEDFS_VERSION"
bin="$cache/weed"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
mkdir -p "$cache"

# One build at a time: a second caller waits, then finds the binary.
exec 9>"$cache/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

log() { printf 'weed.sh: %s\n' "$*" >&2; }
started=$(date +%s)
log "building weed $SEAWEEDFS_VERSION into $cache (load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown))"

# Outside any module, so that sceval's go.mod plays no part.
cd "$cache"
export GOFLAGS=-buildvcs=false
src=$(go mod download -json "$SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
if [ -z "$src" ] || [ ! -f "$src/go.mod" ]; then
  log "go mod download $SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION gave no module directory"
  exit 1
fi
# The copy always lives at the same path, because the build cache keys the
# main module's packages by their directory: a build cut short and run
# again resumes instead of starting over.
log "module source in $src; copying it out of the module cache"
work="$cache/src"
if [ -d "$work" ]; then chmod -R u+w "$work" && rm -rf "$work"; fi
cp -R "$src" "$work"
chmod -R u+w "$work"

cd "$work"
log "go build ./weed (downloads its dependencies on first use)"
go build -o "$cache/weed.partial" ./weed
mv "$cache/weed.partial" "$bin"
cd "$cache" && rm -rf "$work"
log "built $bin in $(($(date +%s) - started)) s (load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown))"
echo "$bin"
