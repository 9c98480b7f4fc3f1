//! The one integration-test binary: each module drives `paas` as a user would.

mod support;

mod completions;
mod detect;
mod help;
mod init;
mod packs;
mod render;
