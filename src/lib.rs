//! The `lotse` application: command line ([`cli`]), the HTTP server ([`server`]) and the choice
//! of atlas ([`atlas_source`]). The binary (`main.rs`) only parses arguments and calls [`cli::run`];
//! the library form lets integration tests drive the server in-process.

pub mod atlas_source;
pub mod batch;
pub mod cli;
pub mod server;
