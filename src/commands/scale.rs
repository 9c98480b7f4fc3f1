//! `paas scale`: replicas and autoscaling bounds.

use crate::cli::ScaleArgs;
use crate::error::{CliError, ExitStatus};
use crate::settings::GlobalSettings;
use crate::ui::Printer;

/// Runs `paas scale`.
pub(crate) fn run(
    args: &ScaleArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let _ = (args, global, printer);
    Err(CliError::failed(anyhow::anyhow!(
        "`paas scale` is not built yet"
    )))
}
