//! The progress of a transfer (`paas backup`, `paas restore`): a bar with bytes, rate and time
//! left when the size is known, a byte counter with the rate when it is not. Drawn only where the
//! printer draws progress (a terminal, not `--quiet`, not JSON).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::deploy::backup::TransferReporter;
use crate::ui::Printer;

/// A transfer's progress bar; a no-op where progress is not drawn.
#[derive(Debug)]
pub struct TransferBar {
    bar: Option<ProgressBar>,
}

impl Printer {
    /// A progress bar for one transfer.
    #[must_use]
    pub fn transfer_bar(&self) -> TransferBar {
        TransferBar {
            bar: self.progress().then(ProgressBar::hidden),
        }
    }
}

impl TransferReporter for TransferBar {
    fn on_start(&self, what: &str, total: Option<u64>) {
        let Some(bar) = &self.bar else { return };
        let template = if total.is_some() {
            "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ({eta} left)"
        } else {
            "{spinner} {msg} {bytes} {binary_bytes_per_sec} ({elapsed})"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        if let Some(total) = total {
            bar.set_length(total);
        }
        bar.set_message(what.to_owned());
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(200));
    }

    fn on_bytes(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    fn on_end(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
