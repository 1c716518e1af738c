//! `archive serve`: build, serve the site on 127.0.0.1, rebuild what changed, reload open pages.

pub mod http;
pub mod watch;
