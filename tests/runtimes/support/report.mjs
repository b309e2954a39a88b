// Formats the results of all runtimes as a table plus the details of every failed step.

/** Returns the report text for `results`, a list of `{ runtime, steps }`. */
export function formatReport(results) {
  const rows = results.map(({ runtime, steps }) => {
    const passed = steps.filter((step) => step.ok).length;
    const verdict = passed === steps.length ? "PASS" : "FAIL";
    return [runtime, verdict, `${passed}/${steps.length} steps`];
  });
  const header = ["runtime", "result", "passed"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join("  ");

  const lines = ["", line(header), line(widths.map((width) => "-".repeat(width)))];
  lines.push(...rows.map(line));

  const failures = results.flatMap(({ runtime, steps }) =>
    steps.filter((step) => !step.ok).map((step) => ({ runtime, step })),
  );
  if (failures.length > 0) {
    lines.push("", "failed steps:");
    for (const { runtime, step } of failures) {
      lines.push(`- ${runtime} / ${step.name}:`, indent(step.detail));
    }
  }
  return lines.join("\n");
}

function indent(text) {
  return String(text)
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
