// Summary statistics for benchmark samples. Runtime-neutral: Node, Deno, Bun and workerd load it.

/** Returns the median of a non-empty array of numbers. */
export function median(values) {
  return percentile(values, 50);
}

/**
 * Returns the `p`-th percentile (0 to 100) of `values` with linear interpolation between the
 * two nearest ranks.
 */
export function percentile(values, p) {
  if (values.length === 0) {
    throw new Error("percentile: no samples");
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}
