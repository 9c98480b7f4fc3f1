//! Durations as people write them: `90s`, `5m`, `1h30m`, `2.5h`, `1 hour 30 minutes`, or a
//! bare number of seconds (`300`). Every duration flag and config value goes through
//! [`parse`].
//!
//! jiff's friendly parser does the work: jiff is already linked (through `k8s-openapi`) and
//! its grammar is documented, so the units and spellings accepted are jiff's, not a
//! hand-written subset. Negative and zero durations are refused: every duration paas takes
//! is a time limit or a look-back, where zero means a mistake.

use std::time::Duration;

use k8s_openapi::jiff::fmt::friendly::SpanParser;

/// The parser; it holds only options.
static PARSER: SpanParser = SpanParser::new();

/// Why a text is not a duration paas accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Not a duration at all.
    #[error("`{text}` is not a duration such as `90s`, `5m` or `1h30m`")]
    Invalid {
        /// The text given.
        text: String,
    },
    /// Zero.
    #[error("`{text}` is too short: use at least 1s")]
    Zero {
        /// The text given.
        text: String,
    },
}

/// Parses a duration: jiff's friendly format (`90s`, `5m`, `1h30m`, `1.5h`) or a whole
/// number of seconds.
///
/// # Errors
///
/// [`DurationError::Invalid`] for anything else (a negative duration, a unit paas does not
/// know, an empty text), [`DurationError::Zero`] for a zero duration.
pub fn parse(text: &str) -> Result<Duration, DurationError> {
    let trimmed = text.trim();
    let invalid = || DurationError::Invalid {
        text: text.to_owned(),
    };
    let duration = if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        Duration::from_secs(trimmed.parse().map_err(|_| invalid())?)
    } else {
        PARSER
            .parse_unsigned_duration(trimmed)
            .map_err(|_| invalid())?
    };
    if duration.is_zero() {
        return Err(DurationError::Zero {
            text: text.to_owned(),
        });
    }
    Ok(duration)
}

/// Reads an optional number of seconds from a config file: an integer (`300`) or a duration
/// text (`"5m"`), for `#[serde(deserialize_with = …)]`. Whole seconds only: the value goes
/// into a Kubernetes field counted in seconds.
pub fn seconds<'de, D>(deserializer: D) -> Result<Option<u32>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(i64),
        Text(String),
    }
    use serde::de::Error as _;
    let raw: Option<Raw> = serde::Deserialize::deserialize(deserializer)?;
    let seconds = match raw {
        None => return Ok(None),
        Some(Raw::Number(number)) => u64::try_from(number).map_err(|_| {
            D::Error::custom(format!(
                "`{number}` is not a duration such as `300`, `5m` or `1h30m`"
            ))
        })?,
        Some(Raw::Text(text)) => {
            let duration = parse(&text).map_err(D::Error::custom)?;
            if duration.subsec_nanos() != 0 {
                return Err(D::Error::custom(format!(
                    "`{text}` is not a whole number of seconds"
                )));
            }
            duration.as_secs()
        }
    };
    u32::try_from(seconds)
        .map(Some)
        .map_err(|_| D::Error::custom(format!("`{seconds}` seconds is too long")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn friendly_durations_and_bare_seconds_parse() {
        for (text, seconds) in [
            ("90s", 90),
            ("5m", 300),
            ("1h30m", 5400),
            ("1h 30m", 5400),
            ("1.5h", 5400),
            ("2 hours 5 minutes", 7500),
            ("300", 300),
            (" 60s ", 60),
        ] {
            assert_eq!(parse(text), Ok(Duration::from_secs(seconds)), "{text}");
        }
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
    }

    #[test]
    fn bad_durations_say_what_was_given() {
        for text in ["", "5x", "-5m", "m", "1h30", "5 m s", "ten seconds"] {
            assert_eq!(
                parse(text).unwrap_err().to_string(),
                format!("`{text}` is not a duration such as `90s`, `5m` or `1h30m`"),
                "{text}"
            );
        }
        assert_eq!(
            parse("0s").unwrap_err().to_string(),
            "`0s` is too short: use at least 1s"
        );
        assert_eq!(
            parse("0").unwrap_err(),
            DurationError::Zero { text: "0".into() }
        );
    }

    #[derive(Debug, serde::Deserialize)]
    struct Section {
        #[serde(default, deserialize_with = "seconds")]
        deadline: Option<u32>,
    }

    #[test]
    fn config_seconds_take_numbers_and_durations() {
        let read = |text: &str| toml::from_str::<Section>(text).map(|s| s.deadline);
        assert_eq!(read("").unwrap(), None);
        assert_eq!(read("deadline = 300").unwrap(), Some(300));
        assert_eq!(read("deadline = \"10m\"").unwrap(), Some(600));
        assert_eq!(read("deadline = \"1h30m\"").unwrap(), Some(5400));
        for (text, message) in [
            ("deadline = \"soon\"", "`soon` is not a duration"),
            (
                "deadline = \"1.5s\"",
                "`1.5s` is not a whole number of seconds",
            ),
            ("deadline = -1", "`-1` is not a duration"),
        ] {
            let err = read(text).unwrap_err().to_string();
            assert!(err.contains(message), "{text}: {err}");
        }
    }
}
