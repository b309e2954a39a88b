//! Integration tests: each test starts the real `stream-sandbox` binary on a free port and
//! talks to it over HTTP.

mod auth;
mod control;
mod limits;
mod persistence;
mod query;
mod support;
mod tasks;
mod users;
