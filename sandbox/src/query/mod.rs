//! User queries: the filter language, the field catalog and sorting.

pub mod fields;
pub mod filter;
pub mod sort;
