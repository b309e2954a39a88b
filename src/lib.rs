//! Stream's server-side Users & Tokens API for edge runtimes.
#![deny(missing_docs)]

pub mod jwt;
