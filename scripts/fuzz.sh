#!/usr/bin/env bash
# Runs every fuzz target of the module, one after another, each for the
# given time. Targets are found, not listed: every `func FuzzXxx(f *testing.F)`
# in a _test.go file of any package is run, so a new target needs no edit
# here. Seed corpora live in each package's testdata/fuzz/FuzzXxx/; a
# failing input is written there by `go test` (commit it as a regression).
#
#   scripts/fuzz.sh [-t DURATION] [DIR...]
#
#   -t DURATION  fuzzing time per target, as go test -fuzztime (default 10s)
#   DIR...       only targets in these package directories (default: all)
#
# Exits non-zero if any target fails; every target runs regardless.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=10s
if [ "${1:-}" = "-t" ]; then
  fuzztime=${2:?-t needs a duration}
  shift 2
fi
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then dirs=(.); fi

# "dir name" for every fuzz target, sorted for a stable order.
targets=$(grep -rHoE --include='*_test.go' --exclude-dir=testdata --exclude-dir=.git '^func Fuzz[A-Za-z0-9_]*\(' "${dirs[@]}" \
  | sed -E 's#^(\./)?(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\2 \3#; s#^[^/ ]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#. \1#' \
  | sort -u)
if [ -z "$targets" ]; then
  echo "fuzz: no fuzz targets found in ${dirs[*]}" >&2
  exit 1
fi

failed=()
count=0
while read -r dir name; do
  count=$((count + 1))
  printf '\n== fuzz %s %s (%s)\n' "$dir" "$name" "$fuzztime"
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "./${dir#./}"; then
    failed+=("$dir $name")
  fi
done <<<"$targets"

printf '\n== fuzz summary: %d targets, %d failed\n' "$count" "${#failed[@]}"
for f in "${failed[@]}"; do echo "FAIL $f"; done
[ ${#failed[@]} -eq 0 ]
