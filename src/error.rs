//! Errors as the user sees them, and exit codes.
//!
//! Domain modules return their own `thiserror` enums that name the object that failed.
//! The command layer wraps them in a [`CliError`] that adds what paas was doing, how the
//! failure counts (its [`ErrorKind`], which picks the exit code) and hints that name flags
//! and commands. [`crate::ui::Printer::error`] renders it.
//!
//! [`CliError::new`] (and `?` on any error) lets the error's causes decide its kind through
//! [`crate::failure::classify`], the one place that says what is worth retrying; an API server
//! that refused the credentials or the request gets a hint naming who was refused what.

use std::fmt;
use std::process::ExitCode;

use crate::failure::{Class, Forbidden};

/// The process exit status, one per documented exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: it worked.
    Success,
    /// 1: the operation failed (nothing detected, a file exists, a write failed…).
    Failure,
    /// 2: the command line or the configuration is wrong.
    Usage,
    /// 75: a service (Docker Engine, registry, API server) was unreachable or busy; retry later.
    Retryable,
    /// 130: interrupted by Ctrl-C.
    Interrupted,
}

impl ExitStatus {
    /// Returns the numeric exit code.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Failure => 1,
            Self::Usage => 2,
            Self::Retryable => 75,
            Self::Interrupted => 130,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status.code())
    }
}

/// How an error counts, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The operation failed.
    Failed,
    /// The input (flags, `paas.toml`, names) is wrong.
    Usage,
    /// Infrastructure was unreachable or busy; the same command may work later.
    Retryable,
    /// The user stopped it.
    Interrupted,
}

/// An error on its way to the user: a chain of causes plus hints.
pub struct CliError {
    /// How the error counts.
    pub kind: ErrorKind,
    /// The error and its causes.
    pub source: anyhow::Error,
    /// What to try next, each naming a flag or command.
    pub hints: Vec<String>,
}

impl CliError {
    /// Makes an error whose causes decide how it counts: retry later when a service was
    /// unreachable or busy, a failed operation otherwise; a 401 or 403 from the API server
    /// gets a hint saying whose credentials or which request were refused.
    pub fn new(source: impl Into<anyhow::Error>) -> Self {
        let source = source.into();
        let class = crate::failure::classify_chain(&source);
        let kind = if class.is_retryable() {
            ErrorKind::Retryable
        } else {
            ErrorKind::Failed
        };
        let error = Self {
            kind,
            source,
            hints: Vec::new(),
        };
        match class {
            Class::Unauthenticated => error.hinted(unauthenticated_hint(None, None)),
            Class::Forbidden(forbidden) => error.hinted(forbidden_hint(&forbidden)),
            Class::Unavailable | Class::Failed => error,
        }
    }

    /// Adds a hint when the error is worth retrying later (it names the service to check).
    #[must_use]
    pub fn hinted_if_retryable(self, hint: impl fmt::Display) -> Self {
        if self.kind == ErrorKind::Retryable {
            self.hinted(hint)
        } else {
            self
        }
    }

    /// Makes an error that counts as a failed operation, whatever its causes.
    pub fn failed(source: impl Into<anyhow::Error>) -> Self {
        Self {
            kind: ErrorKind::Failed,
            source: source.into(),
            hints: Vec::new(),
        }
    }

    /// Makes an error that counts as bad input.
    pub fn usage(source: impl Into<anyhow::Error>) -> Self {
        Self {
            kind: ErrorKind::Usage,
            source: source.into(),
            hints: Vec::new(),
        }
    }

    /// Adds a hint, shown after the error.
    #[must_use]
    pub fn hinted(mut self, hint: impl fmt::Display) -> Self {
        self.hints.push(hint.to_string());
        self
    }

    /// Adds what paas was doing when the error happened.
    #[must_use]
    pub fn context(mut self, context: impl fmt::Display + Send + Sync + 'static) -> Self {
        self.source = self.source.context(context);
        self
    }

    /// Returns the exit status for this error.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        match self.kind {
            ErrorKind::Failed => ExitStatus::Failure,
            ErrorKind::Usage => ExitStatus::Usage,
            ErrorKind::Retryable => ExitStatus::Retryable,
            ErrorKind::Interrupted => ExitStatus::Interrupted,
        }
    }
}

impl fmt::Debug for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {:#}", self.kind, self.source)
    }
}

impl<E: Into<anyhow::Error>> From<E> for CliError {
    fn from(error: E) -> Self {
        Self::new(error)
    }
}

/// Says whose credentials the API server did not accept: those of kube context `context`
/// (`None`: the one in use).
#[must_use]
pub fn unauthenticated_hint(context: Option<&str>, user: Option<&str>) -> String {
    let context = context.map_or_else(
        || "the kube context".to_owned(),
        |context| format!("kube context `{context}`"),
    );
    let user = user.map_or_else(
        || format!("the user of {context}"),
        |user| format!("kube user `{user}` in {context}"),
    );
    format!(
        "the API server did not accept the credentials of {user} (an expired token or certificate?); check them with `kubectl config view --minify`, or choose another context with `--context`"
    )
}

/// Names the user and what was refused, as far as the API server's message says.
fn forbidden_hint(forbidden: &Forbidden) -> String {
    let who = forbidden.user.as_ref().map_or_else(
        || "the kube user".to_owned(),
        |user| format!("kube user `{user}`"),
    );
    let what = match (&forbidden.verb, &forbidden.resource) {
        (Some(verb), Some(resource)) => format!("may not `{verb}` `{resource}`"),
        (Some(verb), None) => format!("may not `{verb}` this"),
        _ => "was refused this request".to_owned(),
    };
    format!(
        "{who} {what}: ask a cluster admin for a Role that allows it, or choose another context with `--context`"
    )
}
