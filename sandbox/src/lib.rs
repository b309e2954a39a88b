//! The library behind `stream-sandbox`: a local emulator of Stream's Users, Tasks and Guest
//! API, backed by SQLite, with fault injection and a control API for tests.
//!
//! The binary starts [`server::run`]. The query language ([`query`]), the stored user
//! ([`user_record`]) and the user table ([`db::users`]) are public as well, so that the fuzz
//! targets in `fuzz/` can call them directly.
#![forbid(unsafe_code)]

mod auth;
mod banner;
pub mod clock;
pub mod config;
pub mod db;
mod error;
mod faults;
mod input;
mod lenient_io;
mod pipeline;
pub mod query;
mod rate_limit;
mod reply;
mod request_log;
mod routes;
pub mod server;
mod state;
mod tasks;
mod user_input;
pub mod user_record;
mod validate;
