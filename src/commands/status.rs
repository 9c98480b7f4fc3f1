//! `paas status`: whether the app is healthy.

use crate::cli::StatusArgs;
use crate::error::{CliError, ExitStatus};
use crate::settings::GlobalSettings;
use crate::ui::Printer;

/// Runs `paas status`.
pub(crate) fn run(
    args: &StatusArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let _ = (args, global, printer);
    Err(CliError::failed(anyhow::anyhow!(
        "`paas status` is not built yet"
    )))
}
