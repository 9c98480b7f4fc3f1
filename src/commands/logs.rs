//! `paas logs`: the logs of every pod and container of the app.

use crate::cli::LogsArgs;
use crate::error::{CliError, ExitStatus};
use crate::settings::GlobalSettings;
use crate::ui::Printer;

/// Runs `paas logs`.
pub(crate) fn run(
    args: &LogsArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let _ = (args, global, printer);
    Err(CliError::failed(anyhow::anyhow!(
        "`paas logs` is not built yet"
    )))
}
