# Build, test and demo entry points. `make test` and `make demo` install what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

WASM_BINDGEN_VERSION := 0.2.130
SANDBOX_BIN := target/debug/stream-sandbox
TEST_OUTPUT := test-output

.PHONY: tools node-deps sandbox pkg test test-rust test-node demo clean

## tools: the wasm32 target and the wasm-bindgen CLI matching the wasm-bindgen crate
tools:
	rustup target add wasm32-unknown-unknown
	@if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)"; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

## node-deps: the test and build dependencies pinned in package-lock.json
node-deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-fund --no-audit
	@touch $@

## sandbox: the stream-sandbox binary used by the tests and the demo
sandbox:
	cargo build -p stream-sandbox

## pkg: the npm package in pkg/ (wasm32 build, wasm-bindgen, wasm-opt, template)
## The build itself runs offline, so crates are fetched first.
pkg: tools node-deps
	cargo fetch --locked
	scripts/build-pkg.sh

test-rust:
	cargo test --workspace

## test-node: installs pkg/ into the test folders as `npm install` would, then runs the suites
test-node: pkg sandbox
	node tests/node/support/install-package.mjs
	node --test --test-reporter=spec tests/node/

## test: every test suite; the one command CI runs
test: tools node-deps
	mkdir -p $(TEST_OUTPUT)
	$(MAKE) test-rust
	$(MAKE) test-node

clean:
	rm -rf pkg $(TEST_OUTPUT)
	cargo clean

## bench: stream-edge against its peers on this machine (token signing, sizes, cold start,
## SDK overhead, bulk upsert, sandbox load); prints the tables, writes bench/results/latest.json
.PHONY: bench
bench: pkg node-deps
	cargo build --release -p stream-sandbox
	bench/install-wrk.sh
	node bench/run.mjs
