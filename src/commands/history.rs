//! `paas history`: the app's releases.

use crate::cli::HistoryArgs;
use crate::error::{CliError, ExitStatus};
use crate::settings::GlobalSettings;
use crate::ui::Printer;

/// Runs `paas history`.
pub(crate) fn run(
    args: &HistoryArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let _ = (args, global, printer);
    Err(CliError::failed(anyhow::anyhow!(
        "`paas history` is not built yet"
    )))
}
