#!/usr/bin/env bash
# Runs the stream-edge demo: starts stream-sandbox with the demo page at /demo/, runs the Node
# quickstart (examples/quickstart.mjs) against it, prints the demo URL and keeps the sandbox
# up until Ctrl-C. `make demo` builds pkg/ and the sandbox binary first.
#
# Environment:
#   DEMO_PORT       sandbox port (default 8787; 0 picks a free port)
#   DEMO_DATA_DIR   folder for the sandbox database, its output and log, and the served page
#                   (default target/demo); the database persists between runs
#   DEMO_EXIT=1     stop once the quickstart has run instead of waiting for Ctrl-C
#   STREAM_SANDBOX_API_KEY, STREAM_SANDBOX_API_SECRET
#                   credentials of the sandbox (default sandbox-key and sandbox-secret)
#   STREAM_SANDBOX_BIN  sandbox binary (default target/debug/stream-sandbox)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly PORT="${DEMO_PORT:-8787}"
readonly DATA_DIR="${DEMO_DATA_DIR:-target/demo}"
readonly SANDBOX_BIN="${STREAM_SANDBOX_BIN:-target/debug/stream-sandbox}"
readonly API_KEY="${STREAM_SANDBOX_API_KEY:-sandbox-key}"
readonly API_SECRET="${STREAM_SANDBOX_API_SECRET:-sandbox-secret}"
readonly SITE_DIR="$DATA_DIR/site"
readonly SANDBOX_OUT="$DATA_DIR/sandbox.out"
readonly SANDBOX_LOG="$DATA_DIR/sandbox.log"
# Upper bound for the sandbox to bind its port, in tenths of a second.
readonly START_POLLS=300

fail() {
  echo "demo: $*" >&2
  exit 1
}

sandbox_pid=""

# Stops the sandbox if it still runs and waits until it has exited.
stop_sandbox() {
  if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
    kill -TERM "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
    echo "demo: sandbox stopped"
  fi
}

# Copies the page and the built package into one folder, which the sandbox serves at /demo/.
assemble_site() {
  rm -rf "$SITE_DIR"
  mkdir -p "$SITE_DIR"
  cp -R www-demo/. "$SITE_DIR/"
  cp -R pkg "$SITE_DIR/pkg"
}

# Prints the base URL from the sandbox's first stdout line once it is written.
wait_for_listening_url() {
  local polls=0 url
  while [ "$polls" -lt "$START_POLLS" ]; do
    # Read the line only once it ends with a newline, so a half-written port is never used.
    if [ "$(wc -l <"$SANDBOX_OUT")" -ge 1 ]; then
      url="$(head -n 1 "$SANDBOX_OUT" | grep -oE 'http://[^[:space:]]+' || true)"
      [ -n "$url" ] || fail "unexpected first sandbox line: $(head -n 1 "$SANDBOX_OUT")"
      echo "$url"
      return
    fi
    if ! kill -0 "$sandbox_pid" 2>/dev/null; then
      tail -n 20 "$SANDBOX_LOG" >&2 || true
      fail "the sandbox exited before listening (log above, full log in $SANDBOX_LOG);" \
        "if port $PORT is in use, set DEMO_PORT to another port"
    fi
    sleep 0.1
    polls=$((polls + 1))
  done
  fail "the sandbox did not listen within $((START_POLLS / 10)) s; see $SANDBOX_LOG"
}

main() {
  [ -f pkg/web.mjs ] || fail "pkg/ is not built; run 'make demo' or 'make pkg'"
  [ -x "$SANDBOX_BIN" ] || fail "$SANDBOX_BIN is missing; run 'make demo' or 'make sandbox'"

  mkdir -p "$DATA_DIR"
  assemble_site
  echo "demo: installing the examples' dependency on ./pkg"
  (cd examples && npm install --no-audit --no-fund --no-package-lock --loglevel=error)

  trap stop_sandbox EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  : >"$SANDBOX_OUT"
  # The sandbox runs in a session of its own, so a Ctrl-C in the terminal reaches only this
  # script, which then stops the sandbox and prints "demo: sandbox stopped".
  STREAM_SANDBOX_API_KEY="$API_KEY" STREAM_SANDBOX_API_SECRET="$API_SECRET" \
    setsid "$SANDBOX_BIN" --port "$PORT" --db "$DATA_DIR/sandbox.db" --demo-dir "$SITE_DIR" \
    >"$SANDBOX_OUT" 2>"$SANDBOX_LOG" &
  sandbox_pid=$!

  local url
  url="$(wait_for_listening_url)"
  cat "$SANDBOX_OUT"
  echo "demo: sandbox log in $SANDBOX_LOG"
  echo

  STREAM_BASE_URL="$url" STREAM_API_KEY="$API_KEY" STREAM_API_SECRET="$API_SECRET" \
    node examples/quickstart.mjs
  echo

  local page="$url/demo/"
  [ "$API_KEY" = "sandbox-key" ] || page="$page?apiKey=$API_KEY"
  echo "Demo page: $page"
  if [ "$API_SECRET" != "sandbox-secret" ]; then
    echo "The page starts with the secret sandbox-secret; type yours into its Connection form."
  fi
  if [ "${DEMO_EXIT:-0}" = "1" ]; then
    return
  fi

  echo "Press Ctrl-C to stop the sandbox."
  local status=0
  wait "$sandbox_pid" || status=$?
  sandbox_pid=""
  fail "the sandbox stopped on its own (exit status $status); see $SANDBOX_LOG"
}

main "$@"
