//! All terminal output goes through the [`Printer`].
//!
//! Data (manifests, JSON, listings a program reads) goes to stdout; status, warnings,
//! hints and errors go to stderr. Colors and prompts are decided here once, from
//! `--color`, `NO_COLOR`, `--quiet` and whether the streams are terminals.

pub(crate) mod events;
pub mod prompt;
mod style;
pub(crate) mod table;
pub(crate) mod transfer;

use std::fmt::Display;
use std::fmt::Write as _;
use std::io::{self, IsTerminal as _, Write as _};

use anstream::AutoStream;

use crate::cli::{ColorChoice, OutputFormat};
use crate::error::CliError;
use crate::{env, error::ExitStatus};

pub(crate) use style::{ERROR, HEADING, POD_COLORS, SUCCESS};

/// Writes everything the user sees.
#[derive(Debug, Clone)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches, each decided once from flags and terminals"
)]
pub struct Printer {
    color: anstream::ColorChoice,
    stderr_color: bool,
    quiet: bool,
    verbose: bool,
    format: OutputFormat,
    interactive: bool,
    progress: bool,
    /// The spinner of long work, shared by every clone of the printer.
    spinner: std::sync::Arc<std::sync::Mutex<Option<indicatif::ProgressBar>>>,
}

impl Printer {
    /// Makes the printer from the global flags and the environment.
    #[must_use]
    pub fn new(color: ColorChoice, format: OutputFormat, quiet: bool, verbose: bool) -> Self {
        let no_color = std::env::var_os(env::NO_COLOR).is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
            ColorChoice::Auto if no_color => anstream::ColorChoice::Never,
            ColorChoice::Auto => anstream::ColorChoice::Auto,
        };
        let stderr_tty = io::stderr().is_terminal();
        let stderr_color = match color {
            anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi => true,
            anstream::ColorChoice::Never => false,
            anstream::ColorChoice::Auto => stderr_tty,
        };
        let interactive = io::stdin().is_terminal() && stderr_tty;
        let progress = stderr_tty && !quiet && std::env::var_os(env::NO_PROGRESS).is_none();
        Self {
            color,
            stderr_color,
            quiet,
            verbose,
            format,
            interactive,
            progress,
            spinner: std::sync::Arc::default(),
        }
    }

    /// Returns whether results are printed as JSON.
    #[must_use]
    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Returns whether paas may ask questions (stdin and stderr are terminals).
    #[must_use]
    pub fn interactive(&self) -> bool {
        self.interactive
    }

    /// Returns whether progress bars and spinners may be drawn.
    #[must_use]
    pub fn progress(&self) -> bool {
        self.progress
    }

    /// Writes data to stdout. A closed pipe is not an error (`paas render | head`).
    pub fn data(&self, text: &str) -> io::Result<()> {
        let mut out = AutoStream::new(io::stdout().lock(), self.color);
        ignore_broken_pipe(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
    }

    /// Writes streamed data to stdout. Returns `false` once the reader is gone (a closed pipe),
    /// so that an endless stream can stop (`paas logs -f | head`).
    ///
    /// Without colors the text goes out in one write: the stripping adapter would write each
    /// span between escapes separately, and stdout flushes at every line end.
    pub fn data_stream(&self, text: &str) -> io::Result<bool> {
        let result = if self.data_color() {
            let mut out = AutoStream::new(io::stdout().lock(), self.color);
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        } else {
            let stripped;
            let text = if text.contains('\u{1b}') {
                stripped = anstream::adapter::strip_str(text).to_string();
                stripped.as_str()
            } else {
                text
            };
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        };
        match result {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// Returns whether stdout takes colors (a terminal, or `--color always`).
    #[must_use]
    pub fn data_color(&self) -> bool {
        let choice = match self.color {
            anstream::ColorChoice::Auto => AutoStream::choice(&io::stdout()),
            choice => choice,
        };
        choice != anstream::ColorChoice::Never
    }

    /// Writes a value as pretty JSON to stdout, followed by a newline.
    pub fn data_json(&self, value: &impl serde::Serialize) -> io::Result<()> {
        let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        text.push('\n');
        self.data(&text)
    }

    /// Writes a status line to stderr with a right-aligned verb, as cargo does.
    pub fn status(&self, verb: &str, message: impl Display) {
        if self.quiet {
            return;
        }
        let line = self.status_line(verb, message);
        self.stderr(&format!("{line}\n"));
    }

    fn status_line(&self, verb: &str, message: impl Display) -> String {
        let verb = paint(style::SUCCESS, &format!("{verb:>12}"), self.stderr_color);
        let message = self.literals(&message.to_string());
        format!("{verb} {message}")
    }

    /// Shows `message` on a spinner at the bottom of the terminal (only when progress may be
    /// drawn); status lines keep scrolling above it. An empty message removes the spinner.
    pub fn progress_message(&self, message: &str) {
        if !self.progress {
            return;
        }
        let Ok(mut slot) = self.spinner.lock() else {
            return;
        };
        if message.is_empty() {
            if let Some(spinner) = slot.take() {
                spinner.finish_and_clear();
            }
            return;
        }
        let spinner = slot.get_or_insert_with(|| {
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.enable_steady_tick(std::time::Duration::from_millis(100));
            spinner
        });
        spinner.set_message(self.literals(message));
    }

    /// Writes a line to stderr only with `--verbose`.
    pub fn verbose(&self, message: impl Display) {
        if self.verbose && !self.quiet {
            let message = self.literals(&message.to_string());
            self.stderr(&format!("{message}\n"));
        }
    }

    /// Writes a plain line to stderr (explanations that are not data).
    pub fn note(&self, message: impl Display) {
        if !self.quiet {
            let message = self.literals(&message.to_string());
            self.stderr(&format!("{message}\n"));
        }
    }

    /// Writes a warning to stderr.
    pub fn warn(&self, message: impl Display) {
        let prefix = paint(style::WARN, "warning:", self.stderr_color);
        let message = self.literals(&message.to_string());
        self.stderr(&format!("{prefix} {message}\n"));
    }

    /// Writes a hint (what to try next) to stderr.
    pub fn hint(&self, message: impl Display) {
        if !self.quiet {
            let prefix = paint(style::HINT, "hint:", self.stderr_color);
            let message = self.literals(&message.to_string());
            self.stderr(&format!("{prefix} {message}\n"));
        }
    }

    /// Shows the last lines a failed build step printed (`step` is `Step 2/3 : RUN make`),
    /// unless `--verbose` showed them as they came. Control characters are shown escaped.
    pub fn failed_step(&self, step: Option<&str>, lines: &[String]) {
        if self.verbose || self.quiet || lines.is_empty() {
            return;
        }
        let step = step.map_or("the step", |s| {
            s.split_once(" : ")
                .map_or(s, |(_, instruction)| instruction)
        });
        let last = if lines.len() < crate::build::FAILED_STEP_LINES {
            String::new()
        } else {
            format!(" (its last {} lines)", lines.len())
        };
        let mut text = self.literals(&format!("\n`{}` printed{last}:\n", step.trim()));
        for line in lines {
            let _ = writeln!(text, "    {}", crate::kube::logs::neutralize(line));
        }
        text.push('\n');
        self.stderr(&text);
    }

    /// Writes an error, its causes and its hints to stderr.
    pub fn error(&self, error: &CliError) {
        let mut text = String::new();
        let prefix = paint(style::ERROR, "error:", self.stderr_color);
        let mut lines = error_lines(&error.source).into_iter();
        if let Some(head) = lines.next() {
            let _ = writeln!(text, "{prefix} {}", self.literals(&head));
        }
        for cause in lines {
            let label = paint(style::DIM, "caused by:", self.stderr_color);
            let _ = writeln!(text, "  {label} {}", self.literals(&cause));
        }
        for hint in &error.hints {
            let prefix = paint(style::HINT, "hint:", self.stderr_color);
            let _ = write!(text, "\n{prefix} {}\n", self.literals(hint));
        }
        self.stderr(&text);
    }

    /// Styles text for stdout with `style` when stdout takes colors.
    #[must_use]
    pub fn paint_data(&self, style: anstyle::Style, text: &str) -> String {
        // AutoStream strips the escapes when stdout does not take colors.
        format!("{style}{text}{style:#}")
    }

    /// Colors the `name` spans of a message; the backticks stay, so it reads without color.
    fn literals(&self, message: &str) -> String {
        if !self.stderr_color {
            return message.to_owned();
        }
        let mut out = String::with_capacity(message.len() + 16);
        let mut inside = false;
        for (i, part) in message.split('`').enumerate() {
            if i > 0 {
                if inside {
                    let _ = write!(out, "{:#}`", style::LITERAL);
                } else {
                    let _ = write!(out, "`{}", style::LITERAL);
                }
                inside = !inside;
            }
            out.push_str(part);
        }
        if inside {
            let _ = write!(out, "{:#}", style::LITERAL);
        }
        out
    }

    fn stderr(&self, text: &str) {
        let write = || {
            let mut err = io::stderr().lock();
            // Nothing sensible is left to do when stderr itself fails.
            let _ = err.write_all(text.as_bytes());
        };
        // Lines go above the spinner, which stays at the bottom.
        match self.spinner.lock().ok().and_then(|s| s.clone()) {
            Some(spinner) => spinner.suspend(write),
            None => write(),
        }
    }
}

/// Returns the lines an error is shown as: the error, then each cause that says something
/// new. A cause whose text the line before already contains is left out: libraries often
/// end their message with their source's (`tcp connect error: Connection refused` over
/// `Connection refused`), and paas's own errors name the file that `fs_err` names again.
#[must_use]
pub fn error_lines(error: &anyhow::Error) -> Vec<String> {
    let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
    let mut lines: Vec<String> = Vec::with_capacity(chain.len());
    for (index, line) in chain.iter().enumerate() {
        // kube-client's `ApiError: msg (Status { … })` repeats its source, the next cause,
        // with a Debug dump; the next line says it plainly.
        if index > 0 && line.starts_with("ApiError: ") && index + 1 < chain.len() {
            continue;
        }
        let text = line.trim().to_lowercase();
        let said = lines
            .last()
            .is_some_and(|last| text.is_empty() || last.to_lowercase().contains(&text));
        if !said {
            lines.push(line.clone());
        }
    }
    lines
}

fn paint(style: anstyle::Style, text: &str, color: bool) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

fn ignore_broken_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Returns the exit status of a run that failed to write its own output.
#[must_use]
pub fn output_failed(printer: &Printer, err: &io::Error) -> ExitStatus {
    printer.error(&CliError::failed(anyhow::anyhow!(
        "failed to write to stdout: {err}"
    )));
    ExitStatus::Failure
}

#[cfg(test)]
mod tests {
    use super::error_lines;

    #[test]
    fn each_cause_is_said_once() {
        let os = std::io::Error::from_raw_os_error(111);
        let error = anyhow::Error::new(os)
            .context("tcp connect error: Connection refused (os error 111)")
            .context("client error (Connect)")
            .context("failed to reach the API server at `https://127.0.0.1:1`");
        assert_eq!(
            error_lines(&error),
            [
                "failed to reach the API server at `https://127.0.0.1:1`",
                "client error (Connect)",
                "tcp connect error: Connection refused (os error 111)",
            ]
        );
    }

    #[test]
    fn different_causes_and_a_repeated_head_stay() {
        let error = anyhow::anyhow!("no such host")
            .context("failed to push `127.0.0.1:5000/web`")
            .context("failed to push `127.0.0.1:5000/web`: denied");
        assert_eq!(
            error_lines(&error),
            [
                "failed to push `127.0.0.1:5000/web`: denied",
                "no such host",
            ]
        );
        let error = anyhow::anyhow!("").context("failed to read `paas.toml`");
        assert_eq!(error_lines(&error), ["failed to read `paas.toml`"]);
        let error = anyhow::anyhow!("ApiError: gone (Status {{ .. }})");
        assert_eq!(error_lines(&error), ["ApiError: gone (Status { .. })"]);
    }
}
