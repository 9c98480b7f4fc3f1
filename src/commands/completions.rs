//! `paas completions SHELL`: shell completion scripts.

use clap::CommandFactory as _;

use crate::cli::{Cli, CompletionsArgs};
use crate::commands::output;
use crate::error::{CliError, ExitStatus};
use crate::ui::Printer;

/// Prints the completion script for one shell.
pub(crate) fn run(args: &CompletionsArgs, printer: &Printer) -> Result<ExitStatus, CliError> {
    output(printer.data(&script(args.shell)))?;
    Ok(ExitStatus::Success)
}

/// Returns the completion script for `shell`.
#[must_use]
pub(crate) fn script(shell: clap_complete::Shell) -> String {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "paas", &mut buffer);
    String::from_utf8_lossy(&buffer).into_owned()
}
