//! `paas rollback`: put an earlier release back.

use crate::cli::RollbackArgs;
use crate::error::{CliError, ExitStatus};
use crate::settings::GlobalSettings;
use crate::ui::Printer;

/// Runs `paas rollback`.
pub(crate) fn run(
    args: &RollbackArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let _ = (args, global, printer);
    Err(CliError::failed(anyhow::anyhow!(
        "`paas rollback` is not built yet"
    )))
}
