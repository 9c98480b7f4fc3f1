//! The one integration-test binary: each module drives `paas` as a user would.

mod support;

mod completions;
mod detect;
mod docker;
mod help;
mod init;
mod lint;
mod packs;
mod platform;
mod render;
