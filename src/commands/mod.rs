//! The verbs: each command wires settings, domain calls and output together, and nothing
//! else.

mod completions;
mod detect;
mod diff;
mod init;
mod packs;
mod render;
mod up;

use crate::cli::{Cli, Command, PacksCommand};
use crate::error::{CliError, ExitStatus};
use crate::settings::GlobalSettings;
use crate::ui::Printer;

/// Runs the command of a parsed command line.
pub(crate) fn dispatch(cli: &Cli, printer: &Printer) -> Result<ExitStatus, CliError> {
    if let Command::Completions(args) = &cli.command {
        return completions::run(args, printer);
    }
    let global = GlobalSettings::resolve(&cli.global)?;
    match &cli.command {
        Command::Init(args) => init::run(args, &global, printer),
        Command::Detect(args) => detect::run(args, &global, printer),
        Command::Render(args) => render::run(args, &global, printer),
        Command::Up(args) => up::run(args, &global, printer),
        Command::Diff(args) => diff::run(args, &global, printer),
        Command::Packs(PacksCommand::List) => packs::list(&global, printer),
        Command::Packs(PacksCommand::Show(args)) => packs::show(args, &global, printer),
        Command::Completions(_) => unreachable!("handled above"),
    }
}

/// Turns a failed write to stdout into an error.
pub(crate) fn output(result: std::io::Result<()>) -> Result<(), CliError> {
    result.map_err(|err| {
        CliError::failed(anyhow::Error::new(err).context("failed to write to stdout"))
    })
}
