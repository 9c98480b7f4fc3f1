//! Questions to the user. Every prompt paas shows goes through here, and so do the rules
//! around them: a question is asked only when stdin and stderr are terminals
//! ([`Printer::interactive`]); off a terminal a change that needs a confirmation is refused
//! unless `--yes` answers for the user (exit 2, the hint says how to confirm); a declined or
//! abandoned question stops the command as interrupted (exit 130).

use std::fmt::Display;

use crate::error::{CliError, ErrorKind};
use crate::ui::Printer;

/// The hint of a confirmation that could not be asked.
const CONFIRM_HINT: &str = "confirm on a terminal, or pass `--yes` (in CI)";

/// How a change is confirmed.
#[derive(Debug, Clone, Copy)]
pub enum Confirmation<'a> {
    /// A yes/no question, `no` by default.
    YesNo,
    /// The user types this word (the app's name) to go on.
    Typed(&'a str),
}

impl Printer {
    /// Asks before a change (a protected environment, a deletion). `yes` (`--yes`) answers for
    /// the user. `refused` says what did not happen; it is the error off a terminal
    /// (usage) and when the user declines (interrupted).
    pub fn confirm(
        &self,
        yes: bool,
        question: &str,
        how: Confirmation<'_>,
        refused: &str,
    ) -> Result<(), CliError> {
        if yes {
            return Ok(());
        }
        if !self.interactive() {
            return Err(CliError::usage(anyhow::anyhow!("{refused}")).hinted(CONFIRM_HINT));
        }
        let confirmed = match how {
            Confirmation::YesNo => self.ask_yes_no(question, false)? == Some(true),
            Confirmation::Typed(word) => {
                self.ask_text(question, None, true, |_| Ok(()))?.trim() == word
            }
        };
        if confirmed {
            Ok(())
        } else {
            Err(interrupted(refused))
        }
    }

    /// Asks before a change to a protected environment: "Environment `prod` is protected.
    /// `question`" (such as "Scale it?"); refused, "nothing was `undone`" (such as "scaled").
    pub fn confirm_protected(
        &self,
        yes: bool,
        environment: Option<&str>,
        question: &str,
        undone: &str,
    ) -> Result<(), CliError> {
        let environment = environment.unwrap_or_default();
        self.confirm(
            yes,
            &format!("Environment `{environment}` is protected. {question}"),
            Confirmation::YesNo,
            &format!("environment `{environment}` is protected; nothing was {undone}"),
        )
    }

    /// Asks a yes/no question on the terminal; `None` when the user leaves it (Esc).
    pub fn ask_yes_no(&self, question: &str, default: bool) -> Result<Option<bool>, CliError> {
        self.suspended(|| {
            dialoguer::Confirm::new()
                .with_prompt(question)
                .default(default)
                .interact_opt()
        })
        .map_err(read_error)
    }

    /// Asks for a line of text on the terminal until `check` accepts it. With `allow_empty`
    /// an empty answer is taken as is, unchecked.
    pub fn ask_text(
        &self,
        question: &str,
        default: Option<String>,
        allow_empty: bool,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<String, CliError> {
        self.suspended(|| {
            let mut input = dialoguer::Input::<String>::new()
                .with_prompt(question)
                .allow_empty(allow_empty)
                .validate_with(|value: &String| {
                    if allow_empty && value.is_empty() {
                        Ok(())
                    } else {
                        check(value)
                    }
                });
            if let Some(default) = default {
                input = input.default(default);
            }
            input.interact_text()
        })
        .map_err(read_error)
    }

    /// Asks for a secret on the terminal without echoing it. An empty answer is taken as is
    /// (the caller refuses it with its own words).
    pub fn ask_secret(&self, question: &str) -> Result<String, CliError> {
        self.suspended(|| {
            dialoguer::Password::new()
                .with_prompt(question)
                .allow_empty_password(true)
                .interact()
        })
        .map_err(read_error)
    }

    /// Asks the user to choose one of `items`; `None` when the user leaves it (Esc).
    pub fn ask_choice(
        &self,
        question: &str,
        items: &[String],
        default: usize,
    ) -> Result<Option<usize>, CliError> {
        self.suspended(|| {
            dialoguer::Select::new()
                .with_prompt(question)
                .items(items)
                .default(default)
                .interact_opt()
        })
        .map_err(read_error)
    }

    /// Runs a prompt with the spinner, if any, out of its way.
    fn suspended<T>(&self, prompt: impl FnOnce() -> T) -> T {
        match self.spinner.lock().ok().and_then(|s| s.clone()) {
            Some(spinner) => spinner.suspend(prompt),
            None => prompt(),
        }
    }
}

/// The error of a question left without a yes: the command stops, as on Ctrl-C.
#[must_use]
pub fn interrupted(what: impl Display) -> CliError {
    CliError {
        kind: ErrorKind::Interrupted,
        source: anyhow::anyhow!("{what}"),
        hints: Vec::new(),
    }
}

fn read_error(err: dialoguer::Error) -> CliError {
    CliError::failed(anyhow::Error::new(err).context("failed to read the answer"))
}
