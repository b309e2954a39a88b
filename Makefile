# Build, test and demo entry points. `make test` and `make demo` install what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

WASM_BINDGEN_VERSION := 0.2.130
SANDBOX_BIN := target/debug/stream-sandbox
TEST_OUTPUT := test-output
# Where the Node, runtime and conformance suites record their output for the secret check
# (tests/node/support/output-record.mjs reads this variable).
export SECRET_SCAN_DIR := $(abspath $(TEST_OUTPUT))/secret-scan

.PHONY: tools node-deps sandbox pkg pkg-panic-probe test test-rust test-node test-runtimes test-demo test-conformance demo clean

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

## pkg-panic-probe: a test-only package in pkg-panic-probe/ with the `panic-probe` feature,
## used by tests/node/panics.test.mjs to make methods panic on request
pkg-panic-probe: tools node-deps
	cargo fetch --locked
	scripts/build-pkg.sh --panic-probe

test-rust:
	cargo test --workspace

## test-node: installs pkg/ into the test folders as `npm install` would, then runs the suites.
## The preload records every client, error, logger call and sandbox log line into
## $(SECRET_SCAN_DIR), and the last step fails if any of them shows a secret of the suites.
test-node: pkg pkg-panic-probe sandbox
	node tests/node/support/install-package.mjs
	rm -rf $(SECRET_SCAN_DIR)
	node --import ./tests/node/support/record-output.mjs --test --test-reporter=spec tests/node/
	node tests/node/support/scan-recorded-output.mjs $(SECRET_SCAN_DIR)

## test-demo: clicks through the demo page in Chromium (screenshots in test-output/demo/)
## and runs scripts/demo.sh with DEMO_EXIT=1
test-demo: pkg sandbox
	node --test --test-reporter=spec tests/demo/

## test-conformance: the official @stream-io/node-sdk and the cURL requests of Stream's docs
## against the sandbox, every response body validated against spec/openapi-users.json
test-conformance: node-deps sandbox
	node --test --test-reporter=spec tests/conformance/
	tests/conformance/curl-docs.sh $(SANDBOX_BIN)

## demo: the sandbox with the demo page on port 8787 (DEMO_PORT) and the Node quickstart;
## stays up until Ctrl-C, or stops after the quickstart with DEMO_EXIT=1
demo: pkg sandbox
	scripts/demo.sh

## test-runtimes: the conformance scenario in Node (import and require), Deno, Bun,
## edge-runtime, workerd (bundled by wrangler), Chromium, and esbuild and Vite builds,
## against one sandbox; screenshots in test-output/runtimes/
test-runtimes: pkg sandbox
	STREAM_SANDBOX_BIN=$(SANDBOX_BIN) node tests/runtimes/run.mjs --output $(TEST_OUTPUT)

## test: every test suite; the one command CI runs. Its last step repeats the secret check of
## test-node over what the Node suites, the runtime matrix and the conformance suites recorded.
test: tools node-deps
	mkdir -p $(TEST_OUTPUT)
	$(MAKE) test-rust
	$(MAKE) test-node
	$(MAKE) test-runtimes
	$(MAKE) test-conformance
	$(MAKE) test-demo
	$(MAKE) test-fuzz
	$(MAKE) test-reliability
	node tests/node/support/scan-recorded-output.mjs $(SECRET_SCAN_DIR)

clean:
	rm -rf pkg pkg-panic-probe $(TEST_OUTPUT)
	cargo clean

## bench: stream-edge against its peers on this machine (token signing, sizes, cold start,
## SDK overhead, bulk upsert, sandbox load); prints the tables, writes bench/results/latest.json
.PHONY: bench
bench: pkg node-deps
	cargo build --release -p stream-sandbox
	bench/install-wrk.sh
	node bench/run.mjs

## Reliability and fuzzing. The suite's Python tools are pinned in
## tests/reliability/requirements.txt and installed into tests/reliability/.venv.
## cargo-fuzz passes -Z flags (sanitizer, coverage) that stable rustc accepts only with
## RUSTC_BOOTSTRAP=1; the fuzz crate is its own workspace, built into fuzz/target.
RELIABILITY_VENV := tests/reliability/.venv
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_TARGETS := jwt query_filter response
FUZZ_SECONDS ?= 20
FUZZ_LONG_SECONDS ?= 600
.PHONY: reliability-deps fuzz-tools test-reliability test-fuzz fuzz

reliability-deps: $(RELIABILITY_VENV)/.installed
$(RELIABILITY_VENV)/.installed: tests/reliability/requirements.txt
	python3 -m venv $(RELIABILITY_VENV)
	$(RELIABILITY_VENV)/bin/pip install --quiet --disable-pip-version-check -r $<
	@touch $@

fuzz-tools:
	@if ! cargo fuzz --version 2>/dev/null | grep -q " $(CARGO_FUZZ_VERSION)$$"; then \
		echo "installing cargo-fuzz $(CARGO_FUZZ_VERSION)"; \
		cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked; \
	fi

## test-reliability: kill -9 during a write burst, 16 concurrent writers, hostile input and
## schemathesis, all against the real sandbox binary
test-reliability: reliability-deps sandbox
	cd tests/reliability && .venv/bin/python -m pytest -q -p no:cacheprovider

## test-fuzz: replays the seed corpus and saved crash inputs, then fuzzes each target for
## FUZZ_SECONDS; new inputs go to fuzz/work/, crashes to fuzz/artifacts/
test-fuzz: fuzz-tools
	cd fuzz && cargo test --locked
	for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/work/$$target; \
		RUSTC_BOOTSTRAP=1 cargo fuzz run $$target fuzz/work/$$target fuzz/corpus/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=10; \
	done

## fuzz: the long runs: each fuzz target for FUZZ_LONG_SECONDS, the concurrency test at
## 16 x 5000 updates, 3000 generated filters per query law and schemathesis for 10 minutes
fuzz: reliability-deps sandbox
	$(MAKE) test-fuzz FUZZ_SECONDS=$(FUZZ_LONG_SECONDS)
	cd tests/reliability && RELIABILITY_UPDATES_PER_CLIENT=5000 SCHEMATHESIS_MAX_TIME=600 \
		RELIABILITY_QUERY_EXAMPLES=3000 .venv/bin/python -m pytest -q -p no:cacheprovider \
		test_concurrency.py test_query_properties.py test_schemathesis.py
