//! `paas down`: delete everything the app owns.

use crate::cli::DownArgs;
use crate::error::{CliError, ExitStatus};
use crate::settings::GlobalSettings;
use crate::ui::Printer;

/// Runs `paas down`.
pub(crate) fn run(
    args: &DownArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let _ = (args, global, printer);
    Err(CliError::failed(anyhow::anyhow!(
        "`paas down` is not built yet"
    )))
}
