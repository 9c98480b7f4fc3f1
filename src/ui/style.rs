//! The handful of styles paas uses. Color never carries meaning alone: every styled word
//! also reads plainly (`error:`, `warning:`, backticks around names).

use anstyle::{AnsiColor, Effects, Style};

/// Status verbs of successful steps (`Detected`, `Wrote`).
pub(crate) const SUCCESS: Style = AnsiColor::Green.on_default().effects(Effects::BOLD);
/// The `error:` prefix.
pub(crate) const ERROR: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);
/// The `warning:` prefix.
pub(crate) const WARN: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
/// The `hint:` prefix.
pub(crate) const HINT: Style = AnsiColor::Cyan.on_default().effects(Effects::BOLD);
/// Names, paths and commands inside backticks.
pub(crate) const LITERAL: Style = AnsiColor::Cyan.on_default();
/// Secondary text (`caused by:`, evidence markers).
pub(crate) const DIM: Style = Style::new().effects(Effects::DIMMED);
/// Headings in listings.
pub(crate) const HEADING: Style = Style::new().effects(Effects::BOLD);
/// The prefixes of `paas logs`, one color per pod in turn (no red: it reads as an error).
pub(crate) const POD_COLORS: [Style; 6] = [
    AnsiColor::Cyan.on_default(),
    AnsiColor::Green.on_default(),
    AnsiColor::Magenta.on_default(),
    AnsiColor::Yellow.on_default(),
    AnsiColor::Blue.on_default(),
    AnsiColor::BrightCyan.on_default(),
];
