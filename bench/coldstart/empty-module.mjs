// Imported by the "empty module" cold-start sample, which measures Node's own cost of a first
// dynamic import so that it can be subtracted from the libraries' figures.
export const EMPTY = true;
