# Porthole's single entry point. `make run` and `make test` install whatever
# this machine lacks (apt packages, the wasm32 target, pinned cargo tools,
# npm packages), so a fresh clone needs nothing else.
#
# Everything builds with one cargo profile (release): the tests, the browser
# tests and `make run` share compiled dependencies instead of building them
# twice, and the browser tests exercise the optimized WASM users get.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.129
TRUNK_VERSION := 0.21.14
CARGO_FUZZ_VERSION := 0.13.1
CARGO_NEXTEST_VERSION := 0.9.143
TEST_APT_PACKAGES := chromium victoria-metrics prometheus prometheus-alertmanager nginx dnsmasq-base iproute2 systemd curl
BENCH_APT_PACKAGES := brotli wrk procps curl victoria-metrics prometheus chromium

TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
PORTHOLE_BIN := $(TARGET_DIR)/release/porthole
# npm's binaryen (wasm-opt) must come before any wasm-opt on the system:
# Debian's binaryen 108 emits bundles that fail to hydrate.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export PORTHOLE_BIN
# cargo-leptos sets this for its builds and Leptos reads it at compile time;
# setting it for every cargo command keeps `cargo test` and `cargo leptos
# build` from rebuilding each other's Leptos crates.
export LEPTOS_OUTPUT_NAME := porthole

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: icons help build-tools test-packages bench-tools wasm-target cargo-tools node-packages build run test \
        fmt-check feature-sets clippy test-rust end2end fuzz fuzz-tools fuzz-short bench bench-islands-router clean \
        dist dist-test

help:
	@echo "make run    install what is missing, build, serve the embedded default on http://127.0.0.1:3000"
	@echo "make test   install what is missing, run every check and test (Rust and browser)"
	@echo "make build  build target/release/porthole and the site under target/site"
	@echo "make fuzz   run each fuzz target for FUZZ_SECONDS (default 60), growing fuzz/corpus"
	@echo "make bench  measure bundle size, SSR time and idle memory"

## Tools ----------------------------------------------------------------------

build-tools: wasm-target cargo-tools node-packages
test-packages:
	@$(call apt_install,$(TEST_APT_PACKAGES))
bench-tools: build-tools
	@$(call apt_install,$(BENCH_APT_PACKAGES))

# Installs the Debian packages among $(1) that are not installed yet.
define apt_install
missing=(); for p in $(1); do dpkg -s "$$p" >/dev/null 2>&1 || missing+=("$$p"); done; \
if (( $${#missing[@]} )); then \
  echo "installing apt packages: $${missing[*]}"; \
  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$${missing[@]}"; \
fi
endef

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# The build tools are compiled, not used, for most of their time on a fresh
# machine, so they are built for that: without the fat LTO and single
# codegen unit their own release profiles ask for, at opt-level 0, except
# the crates that do their work on the site (compression, WASM rewriting),
# which stay at 3. OpenSSL is linked from Debian's libssl-dev instead of
# compiled (cargo-generate, in cargo-leptos, asks for a vendored one), and
# Trunk leaves out TLS and its update check: Trunk.toml keeps it offline.
# (A fresh machine's three installs: 30 minutes instead of 46.8, 2026-12-08;
# the site's bindgen step 47.8 s against 44.)
# They build in a target directory of their own, so an install does not
# wait on cargo's lock of Porthole's (`make test` runs them side by side).
TOOL_INSTALL := CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 OPENSSL_NO_VENDOR=1 \
  cargo install --locked --target-dir $(abspath $(TARGET_DIR))/tools
# `--config` settings that keep the named crates at opt-level 3.
optimized = $(foreach crate,$(1),--config 'profile.release.package.$(crate).opt-level=3')
CARGO_LEPTOS_HOT := brotli libflate libflate_lz77 miniz_oxide zlib-rs wasm_split_cli_support wasmparser wasm-encoder
WASM_BINDGEN_HOT := walrus wasmparser wasm-encoder wasm-bindgen-cli-support
TOOL_APT_PACKAGES := libssl-dev pkg-config

cargo-tools:
	@$(call apt_install,$(TOOL_APT_PACKAGES))
	@cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)$$" || \
	  $(TOOL_INSTALL) $(call optimized,$(CARGO_LEPTOS_HOT)) cargo-leptos --version $(CARGO_LEPTOS_VERSION)
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" || \
	  $(TOOL_INSTALL) $(call optimized,$(WASM_BINDGEN_HOT)) wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@trunk --version 2>/dev/null | grep -q " $(TRUNK_VERSION)$$" || \
	  $(TOOL_INSTALL) --no-default-features trunk --version $(TRUNK_VERSION)

node-packages: node_modules/.installed

# `npm install --no-save` installs what package-lock.json pins; `npm ci`
# refuses this lock because npm leaves rollup's builds for other platforms
# (a dependency of workbox-build) out of it.
node_modules/.installed: package.json package-lock.json
	npm install --no-save --no-audit --no-fund
	touch $@

## Build and run --------------------------------------------------------------

# The site first (the app's bundle, the script widget, the service worker
# that precaches both), then the server, which carries the whole site
# inside it (feature `embedded-site`, with the bundle's hash.txt): the one
# file serves the whole product.
build: build-tools target/site/hash.txt
	cargo leptos build --release --precompress --split --server-only --bin-features embedded-site
	@echo "built $(PORTHOLE_BIN), which carries target/site (the script widget under target/site/widget)"

# What the site is built from: the crates the browser runs and theirs, the
# styles, the static files and the tools' settings; not the server's own
# sources. Built only when one of them is newer than the site, because
# each build of the bundle names its split modules anew, and a site that
# changed makes cargo recompile the server that embeds it (about three
# minutes for a build that changed nothing).
SITE_INPUTS := $(shell find app charts model i18n widget style public -type f 2>/dev/null) \
  Cargo.toml Cargo.lock rust-toolchain.toml .cargo/config.toml Trunk.toml Makefile \
  package-lock.json scripts/service-worker.mjs scripts/compact-site.mjs

# hash.txt is written last, so it is older than an input only when the
# site is out of date or was never built whole.
target/site/hash.txt: $(SITE_INPUTS)
	# --split: what `#[lazy]` marks (chart drawing) goes to WASM modules of its
	# own, fetched on first use, so the first load stays small.
	cargo leptos build --release --precompress --split --frontend-only
	trunk build --config Trunk.toml
	node scripts/compact-site.mjs target/site
	node scripts/service-worker.mjs target/site
	cp $(TARGET_DIR)/release/hash.txt $@

run: build
	$(PORTHOLE_BIN) serve

## Release bundle ---------------------------------------------------------------

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
HOST_TRIPLE := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
DIST_NAME := porthole-$(VERSION)-$(HOST_TRIPLE)

# dist/porthole-<version>-<target>.tar.gz: the binary (which carries the
# site), its licence, the example configuration, a hardened systemd unit
# and a Containerfile; README, "Install on a server".
dist: build
	rm -rf dist/$(DIST_NAME) dist/$(DIST_NAME).tar.gz
	mkdir -p dist/$(DIST_NAME)
	cp $(PORTHOLE_BIN) LICENSE porthole.example.toml deploy/porthole.service deploy/Containerfile dist/$(DIST_NAME)/
	tar -C dist -czf dist/$(DIST_NAME).tar.gz $(DIST_NAME)
	rm -rf dist/$(DIST_NAME)
	@echo "wrote dist/$(DIST_NAME).tar.gz"

# The bundle as a user gets it (scripts/dist-test.sh).
dist-test: dist
	bash scripts/dist-test.sh dist/$(DIST_NAME).tar.gz

## Tests ----------------------------------------------------------------------

# Two chains side by side, then the browser tests: the Rust checks (clippy,
# which compiles DuckDB's C++, then the test build and run) beside the build
# tools' installs, the site's build and the fuzzers, which need none of the
# server's build. On a fresh machine each chain leaves a core idle at times
# (a crate that others wait for, a link, a fuzzer's one process), and the
# other fills it. The site builds for WASM with a profile of its own, so
# cargo's lock on the server's profile does not hold it up. The side
# chain's output is shown when both have ended.
SIDE_LOG := $(abspath $(TARGET_DIR))/test-side-chain.log

test: test-packages wasm-target node-packages
	@mkdir -p $(dir $(SIDE_LOG))
	@echo "== beside the Rust checks: the build tools' installs, the site and the fuzzers (log: $(SIDE_LOG))"
	@$(MAKE) --no-print-directory cargo-tools target/site/hash.txt fuzz-short > $(SIDE_LOG) 2>&1 & side=$$!; \
	  rust_status=0; $(MAKE) --no-print-directory fmt-check feature-sets clippy test-rust || rust_status=$$?; \
	  side_status=0; wait $$side || side_status=$$?; \
	  echo "== the build tools' installs, the site and the fuzzers (exit status $$side_status):"; cat $(SIDE_LOG); \
	  (( rust_status == 0 && side_status == 0 ))
	$(MAKE) --no-print-directory end2end dist-test

# The test build and the server build share every compiled crate
# (scripts/feature-sets.sh), so a fresh machine compiles each once.
feature-sets:
	bash scripts/feature-sets.sh

fmt-check:
	cargo fmt --all -- --check
	cargo fmt --manifest-path fuzz/Cargo.toml -- --check

# Both feature sets of `app`: ssr (through the server, which enables it) and
# hydrate (for the browser target it is built for).
clippy:
	cargo clippy --release --workspace --all-targets -- -D warnings
	cargo clippy --release -p app --lib --no-default-features --features hydrate \
	  --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --release -p porthole-widget --target wasm32-unknown-unknown -- -D warnings

# nextest runs each test in its own process (no state shared between
# tests' runtimes) and ends any test that hangs (.config/nextest.toml), so a
# stuck test fails in minutes instead of holding CI to its limit.
# The examples (the benches and `icons`) are left out: each would link the
# whole server with DuckDB only to prove it links, and clippy has already
# compiled them (`--all-targets`); `make bench` builds the ones it runs.
# The script widget is left out too: it is browser code (clippy checks it
# for wasm32), and built for this machine its web-sys features would make
# the Leptos crates the server build shares differ.
test-rust:
	@cargo nextest --version 2>/dev/null | grep -q "^cargo-nextest $(CARGO_NEXTEST_VERSION) " || \
	  $(TOOL_INSTALL) cargo-nextest --version $(CARGO_NEXTEST_VERSION)
	cargo nextest run --release --workspace --exclude porthole-widget --lib --bins --tests

end2end: build
	npx playwright test --config end2end/playwright.config.ts

## Fuzzing ------------------------------------------------------------------

FUZZ_TARGETS := time_params query_string promql_allowlist config_file route
FUZZ_SECONDS ?= 60

fuzz-tools:
	@cargo fuzz --version 2>/dev/null | grep -q " $(CARGO_FUZZ_VERSION)$$" || \
	  $(TOOL_INSTALL) cargo-fuzz --version $(CARGO_FUZZ_VERSION)

# libFuzzer with AddressSanitizer on each target of fuzz/ (the parsers of
# porthole-config) for FUZZ_SECONDS each. It starts from fuzz/seeds and
# fuzz/corpus and adds what reaches new code to fuzz/corpus (commit it after
# `cargo fuzz cmin`); a crash stops it and is kept in fuzz/artifacts.
# RUSTC_BOOTSTRAP: the sanitizer flags cargo-fuzz passes are unstable
# options, and the pinned toolchain is stable. The sanitized build shares
# nothing with Porthole's, and has a target directory of its own so the two
# can build at once.
fuzz: fuzz-tools
	cd fuzz && for target in $(FUZZ_TARGETS); do \
	  mkdir -p corpus/$$target; \
	  RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(abspath $(TARGET_DIR))/fuzz cargo fuzz run $$target corpus/$$target seeds/$$target -- \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
	    | { grep -v -e '^#[0-9]' -e '^"' -e 'dictionary' || true; }; \
	done

# What `make test` runs: every target briefly, from the committed corpus.
fuzz-short:
	$(MAKE) fuzz FUZZ_SECONDS=15

## Benchmarks -----------------------------------------------------------------

# The app icons, drawn from public/icon.svg (committed; rerun after editing it).
icons:
	cargo run --release -p porthole --example icons

bench: bench-tools build
	bash scripts/bench.sh

# A range change under Leptos' islands router, beside the plain navigation
# Porthole uses (`make bench` measures that one): builds the app with the
# router, measures the same click on the demo overview, then builds
# Porthole as it ships again. See ARCHITECTURE.md, "Changing the view".
bench-islands-router: bench-tools build
	bash scripts/bench-navigation.sh "plain navigation" > $(TARGET_DIR)/navigation.txt
	cargo leptos build --release --precompress --split \
	  --bin-features islands-router --lib-features hydrate,islands-router
	bash scripts/bench-navigation.sh "islands router" >> $(TARGET_DIR)/navigation.txt
	$(MAKE) build
	cat $(TARGET_DIR)/navigation.txt

clean:
	cargo clean
	rm -rf node_modules end2end/test-results
