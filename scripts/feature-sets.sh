#!/usr/bin/env bash
# Whether the test build (`cargo nextest run --workspace`) and the server
# build (`make build`: the porthole binary with `embedded-site`) ask for the
# same features of every crate they share. Where they differ, a fresh
# machine compiles that crate and everything above it twice: one
# difference in bitflags or serde costs minutes of CI.
#
# Fails, naming them, when the server build needs a crate with features the
# test build did not build it with; the fix is to ask for those features in
# the server's own dependencies (see server/Cargo.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
resolve() {
  # Every crate once per features it is built with (host and target
  # copies alike), without the tree's drawing.
  cargo tree --target "$host" --prefix none -f '{p}|{f}' "$@" 2>/dev/null |
    sed 's/ (\*)$//; s/ (proc-macro)//' | grep -v '^$' | sort -u
}
tests=$(resolve --workspace --exclude porthole-widget -e normal,build,dev)
server=$(resolve -p porthole --no-default-features --features embedded-site -e normal,build)

# What the server build asks for that the test build did not build: each
# such crate (and all above it) a fresh machine compiles a second time.
# porthole itself differs by design (its `embedded-site`).
extra=$(comm -13 <(printf '%s\n' "$tests") <(printf '%s\n' "$server") | grep -v '^porthole v' || true)
if [[ -n "$extra" ]]; then
  echo "The server build asks for these crates with features the test build did not build;"
  echo "a fresh machine compiles them, and every crate above them, twice:"
  sed 's/^/  /' <<<"$extra"
  echo "Ask for the same features in the server's dependencies (server/Cargo.toml)."
  exit 1
fi
echo "Every crate the server build needs was built alike by the test build ($(wc -l <<<"$server") crates and feature sets)."
