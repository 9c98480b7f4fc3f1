//! paas: build, ship and run an app on Kubernetes.
//!
//! The binary is a thin wrapper over [`run`]. Modules come in two kinds: the domain
//! (`detect`, `pack`, `manifests`, `labels`, `scaffold`, `config`, `files`, `names`, `git`,
//! `process`, `redact`), which never prints and knows nothing of clap, and the command layer
//! (`commands`, `settings`, `ui`, `error`), where flags, settings, domain calls and output meet.

pub mod access;
pub mod build;
pub mod ci;
pub mod cli;
mod commands;
pub mod component;
pub mod config;
pub mod deploy;
pub mod detect;
pub mod domains;
pub mod duration;
pub mod env;
pub mod error;
pub mod failure;
pub mod files;
pub mod git;
pub mod kube;
pub mod labels;
pub mod local;
pub mod logline;
pub mod manifests;
pub mod monitoring;
pub mod names;
pub mod pack;
pub mod process;
pub mod redact;
pub mod registry;
pub mod scaffold;
pub mod settings;
pub mod ui;

pub use error::ExitStatus;

/// Runs what paas runs of itself inside the local target's front door (`paas __local-proxy …`,
/// see [`local::proxy`]): a protocol between paas and its container, not a command people type,
/// so it has no place in `--help` or the completions. `None` for every other command line.
#[must_use]
pub fn run_internal(args: &[std::ffi::OsString]) -> Option<ExitStatus> {
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if words.first().map(String::as_str) != Some(local::proxy::SUBCOMMAND) {
        return None;
    }
    Some(match commands::local::proxy_command(&words[1..]) {
        Ok(status) => status,
        Err(err) => {
            let printer = ui::Printer::new(
                cli::ColorChoice::Never,
                cli::OutputFormat::Text,
                false,
                false,
            );
            printer.error(&err);
            err.exit_status()
        }
    })
}

/// Runs one command line and returns the exit status; errors are printed here.
#[must_use]
#[expect(
    clippy::needless_pass_by_value,
    reason = "main hands over the parsed command line"
)]
pub fn run(cli: cli::Cli) -> ExitStatus {
    let printer = ui::Printer::new(
        cli.global.color,
        cli.global.output,
        cli.global.quiet,
        cli.global.verbose,
    );
    match commands::dispatch(&cli, &printer) {
        Ok(status) => status,
        Err(err) => {
            printer.error(&err);
            err.exit_status()
        }
    }
}
