// Plain-text and Markdown tables for the benchmark report.

/**
 * Formats `rows` (arrays of strings) under `headers`, as aligned text or as a Markdown table.
 * Column `i` is right-aligned when `alignRight[i]` is true.
 */
export function formatTable(headers, rows, { markdown = false, alignRight = [] } = {}) {
  if (markdown) {
    const separator = headers.map((_, i) => (alignRight[i] ? "---:" : "---"));
    return [headers, separator, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
  }
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => String(row[i]).length)),
  );
  const pad = (cell, i) =>
    alignRight[i] ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]);
  const lines = [headers.map(pad).join("  "), widths.map((width) => "-".repeat(width)).join("  ")];
  for (const row of rows) lines.push(row.map(pad).join("  ").trimEnd());
  return lines.join("\n");
}

/** Formats an integer-ish count with thousands separators. */
export function formatCount(value) {
  return value == null ? "n/a" : Math.round(value).toLocaleString("en-US");
}

/** Formats `value` with `digits` decimals, or "n/a" when it is missing. */
export function formatFixed(value, digits = 2) {
  return value == null || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
}

/** Formats a ratio as "12.3x", with fewer decimals for large ratios. */
export function formatRatio(value) {
  if (value == null || !Number.isFinite(value)) return "n/a";
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}x`;
}

/** Formats a byte count as "123,456 B (120.6 KiB)". */
export function formatBytes(bytes) {
  return `${formatCount(bytes)} B (${(bytes / 1024).toFixed(1)} KiB)`;
}
