#!/usr/bin/env bash
# Builds the npm package `stream-edge` into pkg/.
#
# Cargo builds the crate for wasm32-unknown-unknown. wasm-bindgen then writes two glues for
# the same wasm file: ES module glue in pkg/esm (`--target web`) and CommonJS glue in pkg/cjs
# (`--target nodejs`). wasm-opt from the npm `binaryen` package shrinks the wasm file once,
# and both glues load that one file from pkg/esm. Last, the files of pkg-template/ are
# copied next to them.
#
# `--panic-probe` builds a test-only package into pkg-panic-probe/ instead: the same steps
# with the `panic-probe` cargo feature, whose hidden export `armPanicProbe` makes a method
# panic on request. pkg/ is left as it is.
#
# Nothing is downloaded: crates must already be fetched (`cargo fetch`) and the npm dev
# dependencies installed (`npm ci`). Any failure stops the build and leaves the previous pkg/
# untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly WASM_BINDGEN_VERSION="0.2.130"
readonly CRATE="stream-edge"
readonly WASM_NAME="stream_edge"
readonly WASM_TARGET="wasm32-unknown-unknown"
readonly TEMPLATE_DIR="pkg-template"
readonly WASM_OPT="node_modules/.bin/wasm-opt"

# WebAssembly features that Rust 1.95 enables by default for wasm32-unknown-unknown (LLVM's
# "generic" CPU). wasm-opt rejects a module that uses a feature these flags do not enable.
readonly WASM_FEATURES=(
  --enable-bulk-memory
  --enable-bulk-memory-opt
  --enable-call-indirect-overlong
  --enable-multivalue
  --enable-mutable-globals
  --enable-nontrapping-float-to-int
  --enable-reference-types
  --enable-sign-ext
)

fail() {
  echo "build-pkg: $*" >&2
  exit 1
}

step() {
  echo "build-pkg: $*" >&2
}

# Checks that the tools exist in the versions this script was written for.
check_tools() {
  local found
  found="$(wasm-bindgen --version 2>/dev/null || true)"
  if [ "$found" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    fail "wasm-bindgen $WASM_BINDGEN_VERSION is required, found '${found:-nothing}'; run 'make tools'"
  fi
  [ -x "$WASM_OPT" ] || fail "$WASM_OPT is missing; run 'npm ci' to install the binaryen package"
  command -v node >/dev/null || fail "node is required to generate package.json"
}

# Prints the value of one field of the stream-edge package from `cargo metadata`.
cargo_metadata_field() {
  cargo metadata --format-version 1 --no-deps --offline |
    node -e '
      const field = process.argv[1];
      let text = "";
      process.stdin.on("data", (chunk) => (text += chunk));
      process.stdin.on("end", () => {
        const metadata = JSON.parse(text);
        const crate = metadata.packages.find((p) => p.name === "stream-edge");
        if (!crate) throw new Error("cargo metadata lists no package named stream-edge");
        const value = field === "target_directory" ? metadata.target_directory : crate[field];
        process.stdout.write(String(value));
      });
    ' "$1"
}

# Replaces the one occurrence of $2 in file $1 with $3, and fails when there is not exactly one.
replace_once() {
  local file="$1" search="$2" replacement="$3" count
  count="$(grep -cF -- "$search" "$file" || true)"
  if [ "$count" != "1" ]; then
    fail "expected '$search' once in $file, found it $count times; check the wasm-bindgen output format"
  fi
  SEARCH="$search" REPLACEMENT="$replacement" node -e '
    const fs = require("node:fs");
    const file = process.argv[1];
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.replace(process.env.SEARCH, () => process.env.REPLACEMENT));
  ' "$file"
}

# Writes pkg/package.json: the template with the crate version inserted after the name.
write_package_json() {
  local version="$1" stage="$2"
  VERSION="$version" node -e '
    const fs = require("node:fs");
    const [templatePath, outPath] = process.argv.slice(1);
    const template = JSON.parse(fs.readFileSync(templatePath, "utf8"));
    const { name, ...rest } = template;
    const manifest = { name, version: process.env.VERSION, ...rest };
    fs.writeFileSync(outPath, JSON.stringify(manifest, null, 2) + "\n");
  ' "$TEMPLATE_DIR/package.json" "$stage/package.json"
}

# Replaces each import of a shared template module in the entry points with the module's
# text, so that loading an entry point reads one module fewer per shared file. Each
# runtime loads one entry point, which then contains the only StreamError class that the
# runtime loads. An ES module entry imports `{ name } from "./module.mjs"`, and node.cjs
# requires "./module.cjs". Both get pkg-template/module.mjs with its `export` keywords
# removed.
inline_shared_modules() {
  local stage="$1"
  node -e '
    const fs = require("node:fs");
    const path = require("node:path");
    const stage = process.argv[1];
    const entries = ["node.mjs", "node.cjs", "workerd.mjs", "web.mjs"];
    const importLine =
      /^(?:import \{ ([\w, ]+) \} from "\.\/([\w-]+)\.mjs";|const \{ ([\w, ]+) \} = require\("\.\/([\w-]+)\.cjs"\);)$/gm;
    const inlined = new Set();
    for (const entry of entries) {
      const file = path.join(stage, entry);
      const text = fs.readFileSync(file, "utf8").replace(importLine, (line, a, b, c, d) => {
        const names = (a ?? c).split(", ");
        const module = b ?? d;
        const source = fs.readFileSync(path.join(stage, `${module}.mjs`), "utf8");
        if (/^import /m.test(source)) {
          throw new Error(`${module}.mjs imports other modules, so it cannot be inlined`);
        }
        const exported = [...source.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
        const others = (source.match(/^export /gm) ?? []).length - exported.length;
        if (others !== 0 || names.some((name) => !exported.includes(name))) {
          throw new Error(`${entry} imports ${names.join(", ")} from ${module}.mjs, which exports only ${exported.join(", ")} as classes or functions`);
        }
        inlined.add(`${module}.mjs`);
        const body = source.replace(/^export (?=class |function )/gm, "").trimEnd();
        return `// ${module}.mjs, copied here by scripts/build-pkg.sh.\n${body}\n// End of ${module}.mjs.`;
      });
      fs.writeFileSync(file, text);
    }
    for (const module of inlined) fs.rmSync(path.join(stage, module));
  ' "$stage"
}

# Writes a .d.cts twin of every .d.ts file. TypeScript reads a .d.ts file in this
# "type": "module" package as ES module types, which `require` consumers compiled with
# `--module node16` reject, so they get CommonJS declarations of the same content.
write_cjs_types() {
  local stage="$1" file
  for file in "$stage"/index.d.ts "$stage"/types/*.d.ts; do
    sed -E 's#(from "\./[^"]+)\.js";$#\1.cjs";#' "$file" >"${file%.d.ts}.d.cts"
  done
  if grep -lE 'from "\./[^"]+\.js"' "$stage"/index.d.cts "$stage"/types/*.d.cts; then
    fail "the files above still import .js declarations; keep each import specifier on one line"
  fi
}

# Loads both entry points of the staged package and checks that they export the classes.
smoke_test() {
  local stage="$1"
  node --input-type=module -e '
    const dir = process.argv[1];
    const esm = await import(`${dir}/node.mjs`);
    const cjs = (await import("node:module")).createRequire(`${dir}/`)("./node.cjs");
    for (const [entry, exports] of [["node.mjs", esm], ["node.cjs", cjs]]) {
      for (const name of ["StreamClient", "StreamError"]) {
        if (typeof exports[name] !== "function") {
          throw new Error(`${entry} does not export the class ${name}`);
        }
      }
    }
  ' "$(cd "$stage" && pwd)"
}

# The staging folder of this run; global so that the EXIT trap can remove it.
stage=""

main() {
  # The cargo profile (also the name of its folder under target/), extra cargo arguments and
  # the output folder.
  local profile="release" out_dir="pkg"
  local -a feature_args=()
  case "${1:-}" in
    "") ;;
    --panic-probe)
      profile="panic-probe"
      out_dir="pkg-panic-probe"
      feature_args=(--features panic-probe)
      ;;
    *) fail "unknown option '$1'; the only option is --panic-probe" ;;
  esac

  check_tools

  local version target_dir
  version="$(cargo_metadata_field version)"
  target_dir="$(cargo_metadata_field target_directory)"
  [ -n "$version" ] || fail "cargo metadata reported no version for $CRATE"

  step "cargo build $CRATE $version for $WASM_TARGET"
  cargo build --profile "$profile" --locked --offline --target "$WASM_TARGET" -p "$CRATE" --lib \
    "${feature_args[@]}"
  local wasm="$target_dir/$WASM_TARGET/$profile/$WASM_NAME.wasm"
  [ -f "$wasm" ] || fail "cargo did not produce $wasm"

  # A staging folder per run, so that concurrent builds cannot delete each other's files.
  stage="$(mktemp -d "$target_dir/stream-edge-pkg.XXXXXX")"
  trap 'rm -rf "$stage"' EXIT
  chmod 755 "$stage"

  step "wasm-bindgen --target web and --target nodejs"
  wasm-bindgen --target web --no-typescript --out-name "$WASM_NAME" --out-dir "$stage/esm" "$wasm"
  wasm-bindgen --target nodejs --no-typescript --out-name "$WASM_NAME" --out-dir "$stage/cjs" "$wasm"
  local esm_wasm="$stage/esm/${WASM_NAME}_bg.wasm" cjs_wasm="$stage/cjs/${WASM_NAME}_bg.wasm"
  cmp -s "$esm_wasm" "$cjs_wasm" ||
    fail "wasm-bindgen wrote different wasm files for the web and nodejs targets, so one file cannot serve both"
  rm "$cjs_wasm"

  # The nodejs glue reads the wasm file from its own folder; point it at the shared copy.
  replace_once "$stage/cjs/$WASM_NAME.js" \
    "\`\${__dirname}/${WASM_NAME}_bg.wasm\`" \
    "\`\${__dirname}/../esm/${WASM_NAME}_bg.wasm\`"
  # The package is "type": "module", so the CommonJS glue needs its own scope.
  echo '{ "type": "commonjs" }' >"$stage/cjs/package.json"

  step "wasm-opt -Oz"
  local before after
  before="$(wc -c <"$esm_wasm")"
  "$WASM_OPT" -Oz --strip-debug --strip-producers "${WASM_FEATURES[@]}" "$esm_wasm" -o "$esm_wasm.opt"
  mv "$esm_wasm.opt" "$esm_wasm"
  after="$(wc -c <"$esm_wasm")"
  step "wasm size $before -> $after bytes"

  step "copy $TEMPLATE_DIR"
  cp -R "$TEMPLATE_DIR/." "$stage/"
  write_package_json "$version" "$stage"
  inline_shared_modules "$stage"
  write_cjs_types "$stage"

  step "load node.mjs and node.cjs"
  smoke_test "$stage"

  # Swap the folders by renaming. `mv -T` fails, instead of nesting, if another build
  # recreated pkg/ in the meantime.
  local previous="$target_dir/stream-edge-pkg.previous.$$"
  if [ -e "$out_dir" ]; then
    mv -T "$out_dir" "$previous"
  fi
  mv -T "$stage" "$out_dir"
  rm -rf "$previous"
  step "wrote $out_dir/ (stream-edge $version)"
}

main "$@"
