// Attributes the bytes of a wasm file to sections, crates and functions, to show what to cut
// when the package is over its size budget. Function names come from the wasm "name" section,
// which pkg/ strips, so point it at a build that keeps names (docs/benchmarks.md shows how).
//
//   node bench/wasm-sizes.mjs FILE.wasm [TOP_FUNCTIONS]
import { readFileSync } from "node:fs";

const SECTION_NAMES = [
  "custom", "type", "import", "function", "table", "memory", "global", "export", "start",
  "element", "code", "data", "data count", "tag",
];

/** A cursor over the module bytes that reads the LEB128 and name encodings wasm uses. */
class Reader {
  constructor(bytes, offset = 0) {
    this.bytes = bytes;
    this.offset = offset;
  }

  byte() {
    return this.bytes[this.offset++];
  }

  unsigned() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return result;
    }
  }

  name() {
    const length = this.unsigned();
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }

  limits() {
    const flags = this.byte();
    this.unsigned();
    if (flags & 1) this.unsigned();
  }
}

/** Counts imported functions, which come first in the function index space. */
function countImportedFunctions(reader, end) {
  let functions = 0;
  const count = reader.unsigned();
  for (let i = 0; i < count && reader.offset < end; i++) {
    reader.name();
    reader.name();
    const kind = reader.byte();
    if (kind === 0) {
      reader.unsigned();
      functions++;
    } else if (kind === 1) {
      reader.byte();
      reader.limits();
    } else if (kind === 2) {
      reader.limits();
    } else if (kind === 3) {
      reader.byte();
      reader.byte();
    } else if (kind === 4) {
      reader.byte();
      reader.unsigned();
    } else {
      throw new Error(`unknown import kind ${kind} at byte ${reader.offset}`);
    }
  }
  return functions;
}

function readFunctionNames(reader, end) {
  const names = new Map();
  while (reader.offset < end) {
    const id = reader.byte();
    const size = reader.unsigned();
    const next = reader.offset + size;
    if (id === 1) {
      const count = reader.unsigned();
      for (let i = 0; i < count; i++) names.set(reader.unsigned(), reader.name());
    }
    reader.offset = next;
  }
  return names;
}

/** Parses the module into section sizes and the body size of each defined function. */
function parseModule(bytes) {
  const reader = new Reader(bytes, 8);
  const sections = [];
  const bodySizes = [];
  let importedFunctions = 0;
  let names = new Map();
  while (reader.offset < bytes.length) {
    const id = reader.byte();
    const size = reader.unsigned();
    const start = reader.offset;
    const end = start + size;
    let label = SECTION_NAMES[id] ?? `unknown ${id}`;
    if (id === 0) {
      const customName = reader.name();
      label = `custom "${customName}"`;
      if (customName === "name") names = readFunctionNames(reader, end);
    } else if (id === 2) {
      importedFunctions = countImportedFunctions(reader, end);
    } else if (id === 10) {
      const count = reader.unsigned();
      for (let i = 0; i < count; i++) {
        const bodySize = reader.unsigned();
        bodySizes.push(bodySize);
        reader.offset += bodySize;
      }
    }
    sections.push({ label, size });
    reader.offset = end;
  }
  const functions = bodySizes.map((size, i) => {
    const index = importedFunctions + i;
    return { name: names.get(index) ?? `function ${index}`, size };
  });
  return { sections, functions };
}

// A crate path segment as rustc's demangler writes it, with an optional `[hash]` suffix.
const SEGMENT = /([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/;
const LEADING_SEGMENT = new RegExp(`^${SEGMENT.source}`);
const TRAIT_SEGMENT = new RegExp(` as ${SEGMENT.source}`);
const PRIMITIVE = /^(bool|char|str|u8|u16|u32|u64|u128|usize|i8|i16|i32|i64|i128|isize|f32|f64)\b/;

/**
 * Returns the crate a demangled Rust symbol belongs to: its first path segment, or for
 * `<T as Trait>` impls on a primitive or generic type, the crate of the trait.
 */
function crateOf(name) {
  if (name.startsWith("__wbg") || name.startsWith("__wbindgen") || name.includes(" shim")) {
    return "(wasm-bindgen shims)";
  }
  const path = name.replace(/^[<&*\s]+(mut\s+|dyn\s+)?/, "");
  const leading = LEADING_SEGMENT.exec(path)?.[1];
  if (leading) return leading;
  const trait = TRAIT_SEGMENT.exec(path)?.[1];
  if (trait) return trait;
  if (PRIMITIVE.test(path)) return "core";
  return "(other)";
}

function printRows(title, rows, total) {
  console.log(`\n${title}`);
  for (const [label, size] of rows) {
    const share = ((size / total) * 100).toFixed(1).padStart(5);
    console.log(`${String(size).padStart(9)}  ${share} %  ${label}`);
  }
}

const [file, top = "40"] = process.argv.slice(2);
if (!file) {
  throw new Error("usage: node bench/wasm-sizes.mjs FILE.wasm [TOP_FUNCTIONS]");
}
const bytes = readFileSync(file);
const { sections, functions } = parseModule(bytes);

printRows(
  `${file}: ${bytes.length} bytes by section`,
  sections.map((section) => [section.label, section.size]),
  bytes.length,
);

const codeTotal = functions.reduce((sum, fn) => sum + fn.size, 0);
const byCrate = new Map();
for (const fn of functions) {
  const crate = crateOf(fn.name);
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + fn.size);
}
printRows(
  `Function bodies: ${codeTotal} bytes in ${functions.length} functions, by crate`,
  [...byCrate].sort((a, b) => b[1] - a[1]),
  codeTotal,
);
printRows(
  `Largest ${top} functions`,
  functions
    .sort((a, b) => b.size - a.size)
    .slice(0, Number(top))
    .map((fn) => [fn.name.slice(0, 150), fn.size]),
  codeTotal,
);
