#!/usr/bin/env bash
# The release bundle as a user gets it: unpack it into an empty directory,
# check its files, its systemd unit (`systemd-analyze verify`, with no
# warning, and `security`: hardened to an exposure of 2.0 or less), and
# start its binary alone there, with no site beside it: /health names the
# version and commit, and the page links a bundle the binary serves.
set -euo pipefail
tarball="$(realpath "$1")"
work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'echo "dist: failed at line $LINENO"' ERR
tar -C "$work" -xzf "$tarball"
bundle="$work/$(basename "$tarball" .tar.gz)"
for file in porthole LICENSE porthole.example.toml porthole.service Containerfile; do
  [[ -f "$bundle/$file" ]] || { echo "dist: $file is missing from $(basename "$tarball")"; exit 1; }
done
[[ -x "$bundle/porthole" ]] || { echo "dist: porthole is not executable"; exit 1; }

# The unit names /usr/local/bin/porthole, where the README installs it;
# here it is checked against the unpacked binary.
sed "s|/usr/local/bin/porthole|$bundle/porthole|" "$bundle/porthole.service" >"$work/porthole.service"
warnings="$(systemd-analyze verify "$work/porthole.service" 2>&1)" || {
  echo "dist: systemd-analyze verify failed: $warnings"; exit 1; }
[[ -z "$warnings" ]] || { echo "dist: the unit has warnings: $warnings"; exit 1; }
systemd-analyze security --offline=true --threshold=20 "$work/porthole.service" >"$work/security.txt" 2>&1 || {
  tail -1 "$work/security.txt"; echo "dist: the unit is less hardened than 2.0"; exit 1; }
grep -q "Overall exposure level" "$work/security.txt"

# The binary alone serves the whole site.
port="${PORTHOLE_DIST_PORT:-3941}"
# Started as someone who copied the file would start it: from an empty
# directory, with the default (relative) data directory, as its own process
# (so the trap stops it, not a subshell around it).
mkdir "$work/run"
cd "$work/run"
"$bundle/porthole" serve --addr "127.0.0.1:$port" --no-demo >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
health="$(curl -fsS "http://127.0.0.1:$port/health")"
version="$("$bundle/porthole" --version)"
commit="$(sed -E 's/.*\(commit (.*)\)$/\1/' <<<"$version")"
grep -q "\"commit\":\"$commit\"" <<<"$health" || { echo "dist: /health says $health, --version says $version"; exit 1; }
page="$(curl -fsS "http://127.0.0.1:$port/status")"
wasm="$(grep -oE '/pkg/porthole\.[A-Za-z0-9_-]+\.wasm' <<<"$page" | head -1)"
[[ -n "$wasm" ]] || { echo "dist: the page links no hashed bundle"; exit 1; }
curl -fsS -o /dev/null -H 'Accept-Encoding: br' "http://127.0.0.1:$port$wasm" ||
  { echo "dist: $wasm is not served"; cat "$work/server.log"; exit 1; }
curl -fsS -o /dev/null "http://127.0.0.1:$port/sw.js" || { echo "dist: no service worker"; exit 1; }
curl -fsS -o /dev/null "http://127.0.0.1:$port/widget.js" || { echo "dist: no script widget"; exit 1; }
echo "dist: $(basename "$tarball") unpacks, its unit verifies, and its binary alone serves the site ($version)"
