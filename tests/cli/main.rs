//! The one integration-test binary: each module drives `paas` as a user would.

#![allow(
    unreachable_pub,
    reason = "a test binary: `pub` only shares items between its modules"
)]

mod support;

mod access;
mod apply;
mod architecture;
mod build;
mod ci;
mod classic;
mod completions;
mod components;
mod components_edit;
mod context;
mod detect;
mod docker;
mod domains;
mod down;
mod errors;
mod exit_codes;
mod files;
mod help;
mod history;
mod init;
mod interactive;
mod lint;
mod local;
mod lock;
mod logs;
mod node;
mod operator;
mod packs;
mod platform;
mod promote;
mod real_access;
mod real_components;
mod real_faults;
mod real_monitoring;
mod real_node;
mod real_packs;
mod real_site;
mod registry;
mod releases;
mod render;
mod rollback;
mod rollout;
mod scale;
mod secret;
mod sentinel;
mod source_of_truth;
mod status;
mod up;
mod values;
