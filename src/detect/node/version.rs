//! Which Node.js line builds the project: the release table, npm's range syntax, and the
//! choice between what the project asks for and what its package manager needs.
//!
//! Ranges follow node-semver (<https://github.com/npm/node-semver#ranges>): `||` unions,
//! hyphen ranges, x-ranges, `~`, `^` and the comparison operators. Each range becomes a union
//! of half-open intervals, so "does line 22 satisfy it" is an interval intersection and never
//! depends on knowing the latest patch release of each line. Prerelease tags are ignored.

/// A version as (major, minor, patch).
pub(crate) type Version = (u64, u64, u64);

/// One Node.js release line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NodeLine {
    pub(crate) major: u64,
    /// The LTS codename `.nvmrc` may give (`lts/jod`).
    pub(crate) codename: &'static str,
    /// The last day of support, `YYYY-MM-DD`.
    pub(crate) end_of_life: &'static str,
}

/// The Node.js LTS lines, newest first, from the Node.js release schedule
/// (<https://github.com/nodejs/Release#release-schedule>): even majors become LTS in October
/// and are supported until April thirty months after their release. Odd majors are never LTS.
pub(crate) const NODE_LINES: &[NodeLine] = &[
    NodeLine {
        major: 26,
        codename: "",
        end_of_life: "2029-04-30",
    },
    NodeLine {
        major: 24,
        codename: "krypton",
        end_of_life: "2028-04-30",
    },
    NodeLine {
        major: 22,
        codename: "jod",
        end_of_life: "2027-04-30",
    },
    NodeLine {
        major: 20,
        codename: "iron",
        end_of_life: "2026-04-30",
    },
    NodeLine {
        major: 18,
        codename: "hydrogen",
        end_of_life: "2025-04-30",
    },
    NodeLine {
        major: 16,
        codename: "gallium",
        end_of_life: "2023-09-11",
    },
    NodeLine {
        major: 14,
        codename: "fermium",
        end_of_life: "2023-04-30",
    },
    NodeLine {
        major: 12,
        codename: "erbium",
        end_of_life: "2022-04-30",
    },
    NodeLine {
        major: 10,
        codename: "dubnium",
        end_of_life: "2021-04-30",
    },
    NodeLine {
        major: 8,
        codename: "carbon",
        end_of_life: "2019-12-31",
    },
];

/// The day [`NODE_LINES`] was checked: a line whose end of life is before it is unsupported.
pub(crate) const CHECKED_ON: &str = "2026-12-02";

impl NodeLine {
    pub(crate) fn supported(&self) -> bool {
        self.end_of_life >= CHECKED_ON
    }
}

/// The default line: the newest supported LTS of the table.
pub(crate) fn current_lts() -> NodeLine {
    NODE_LINES
        .iter()
        .copied()
        .find(NodeLine::supported)
        .unwrap_or(NODE_LINES[0])
}

/// Returns the table entry of `major`, if it is an LTS line.
pub(crate) fn line(major: u64) -> Option<NodeLine> {
    NODE_LINES.iter().copied().find(|line| line.major == major)
}

/// A half-open interval of versions: `low <= v < high` (`high` `None`: no bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Interval {
    low: Version,
    high: Option<Version>,
}

impl Interval {
    const ALL: Self = Self {
        low: (0, 0, 0),
        high: None,
    };

    fn intersect(self, other: Self) -> Option<Self> {
        let low = self.low.max(other.low);
        let high = match (self.high, other.high) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        high.is_none_or(|high| low < high)
            .then_some(Self { low, high })
    }
}

/// A parsed npm range: a union of intervals (empty: nothing satisfies it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Range(Vec<Interval>);

impl Range {
    /// Parses an npm range (`>=18 <21`, `^20.11 || 22`, `18.x`, `v20.11.1`); `None` when a
    /// part is not a version.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let mut union = Vec::new();
        for set in text.split("||") {
            if let Some(interval) = comparator_set(set.trim()).ok()? {
                union.push(interval);
            }
        }
        Some(Self(union))
    }

    /// Tells whether some version of `major` at or above `minimum` satisfies the range.
    pub(crate) fn allows_line(&self, major: u64, minimum: Option<Version>) -> bool {
        let mut wanted = Interval {
            low: (major, 0, 0),
            high: Some((major + 1, 0, 0)),
        };
        if let Some(minimum) = minimum {
            match wanted.intersect(Interval {
                low: minimum,
                high: None,
            }) {
                Some(narrowed) => wanted = narrowed,
                None => return false,
            }
        }
        self.0
            .iter()
            .any(|interval| interval.intersect(wanted).is_some())
    }

    /// The lowest major the range allows, if any.
    pub(crate) fn lowest_major(&self) -> Option<u64> {
        self.0.iter().map(|interval| interval.low.0).min()
    }
}

/// A partial version: `None` parts are wildcards (`1.x`, `1`).
type Partial = (Option<u64>, Option<u64>, Option<u64>);

fn partial(text: &str) -> Option<Partial> {
    let text = text.trim().trim_start_matches(['v', 'V', '=']);
    let text = text.split(['-', '+']).next().unwrap_or_default();
    if text.is_empty() {
        return Some((None, None, None));
    }
    let mut parts = text.split('.');
    let mut next = || -> Option<Option<u64>> {
        match parts.next() {
            None | Some("x" | "X" | "*") => Some(None),
            Some(number) => number.parse().ok().map(Some),
        }
    };
    let major = next()?;
    let minor = next()?;
    let patch = next()?;
    if parts.next().is_some() {
        return None;
    }
    // `1.x.3` means `1.x`.
    Some(match (major, minor, patch) {
        (None, _, _) => (None, None, None),
        (major, None, _) => (major, None, None),
        full => full,
    })
}

fn floor((major, minor, patch): Partial) -> Version {
    (major.unwrap_or(0), minor.unwrap_or(0), patch.unwrap_or(0))
}

/// The first version above every version the partial names: `1` → `2.0.0`, `1.2` → `1.3.0`,
/// `1.2.3` → `1.2.4`; `None` for `*`.
fn above((major, minor, patch): Partial) -> Option<Version> {
    match (major, minor, patch) {
        (None, _, _) => None,
        (Some(major), None, _) => Some((major + 1, 0, 0)),
        (Some(major), Some(minor), None) => Some((major, minor + 1, 0)),
        (Some(major), Some(minor), Some(patch)) => Some((major, minor, patch + 1)),
    }
}

fn comparator(op: &str, version: Partial) -> Interval {
    let bounded = |low: Version, high: Option<Version>| Interval { low, high };
    match op {
        ">=" => bounded(floor(version), None),
        ">" => match above(version) {
            Some(low) => bounded(low, None),
            None => bounded((u64::MAX, 0, 0), Some((u64::MAX, 0, 0))),
        },
        "<" => match version.0 {
            Some(_) => bounded((0, 0, 0), Some(floor(version))),
            None => bounded((0, 0, 0), Some((0, 0, 0))),
        },
        "<=" => bounded((0, 0, 0), above(version)),
        "~" => {
            let high = match version {
                (Some(major), Some(minor), _) => Some((major, minor + 1, 0)),
                other => above(other),
            };
            bounded(floor(version), high)
        }
        "^" => {
            let high = match version {
                (None, _, _) => None,
                (Some(0), Some(0), Some(patch)) => Some((0, 0, patch + 1)),
                (Some(0), Some(minor), _) => Some((0, minor + 1, 0)),
                (Some(major), _, _) => Some((major + 1, 0, 0)),
            };
            bounded(floor(version), high)
        }
        _ => bounded(floor(version), above(version)),
    }
}

/// Parses one comparator set (space-separated comparators, or a hyphen range); `Err` when
/// it cannot be read, `Ok(None)` when nothing satisfies it.
fn comparator_set(text: &str) -> Result<Option<Interval>, ()> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    if let [from, "-", to] = tokens.as_slice() {
        let from = partial(from).ok_or(())?;
        let to = partial(to).ok_or(())?;
        return Ok(Interval {
            low: floor(from),
            high: above(to),
        }
        .intersect(Interval::ALL));
    }
    let mut interval = Interval::ALL;
    let mut pending_op: Option<&str> = None;
    for token in tokens {
        let split = token
            .find(|c: char| !matches!(c, '<' | '>' | '=' | '~' | '^'))
            .unwrap_or(token.len());
        let (op, rest) = token.split_at(split);
        let op = if op.is_empty() {
            pending_op.take().unwrap_or("")
        } else {
            op
        };
        if rest.is_empty() {
            pending_op = Some(op);
            continue;
        }
        let op = match op {
            "~>" => "~",
            "=" => "",
            other => other,
        };
        if !matches!(op, "" | ">=" | ">" | "<" | "<=" | "~" | "^") {
            return Err(());
        }
        let Some(narrowed) = interval.intersect(comparator(op, partial(rest).ok_or(())?)) else {
            return Ok(None);
        };
        interval = narrowed;
    }
    if pending_op.is_some() {
        return Err(());
    }
    Ok(Some(interval))
}

/// Parses `22.13.0` / `22.13` into a version (missing parts are 0).
pub(crate) fn version(text: &str) -> Option<Version> {
    let parsed = partial(text)?;
    parsed.0.map(|_| floor(parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(range: &str, major: u64) -> bool {
        Range::parse(range).expect(range).allows_line(major, None)
    }

    #[test]
    fn reads_npm_ranges() {
        assert!(allows(">=18", 26));
        assert!(allows(">=18 <21", 20) && !allows(">=18 <21", 22));
        assert!(allows("^20.11 || ^22", 22) && !allows("^20.11 || ^22", 24));
        assert!(allows("18.x", 18) && !allows("18.x", 20));
        assert!(allows("v20.11.1", 20) && !allows("v20.11.1", 22));
        assert!(allows("~22.12.0", 22) && !allows("~22.12.0", 24));
        assert!(allows("18 - 22", 22) && !allows("18 - 22", 24));
        assert!(
            allows(">= 20", 24),
            "an operator may stand apart from its version"
        );
        assert!(allows("*", 26) && allows("", 26));
        assert!(!allows(">22 <22", 22));
        assert!(
            !allows(">22", 22) && allows(">22", 24),
            "`>22` is `>=23.0.0`"
        );
        assert!(!allows(">22.x", 22));
        assert!(allows(">22.1", 22), "`>22.1` is `>=22.2.0`");
        assert!(allows("<=22", 22) && !allows("<22", 22));
        assert!(allows("^0.10", 0) && !allows("^0.10", 1));
        assert_eq!(Range::parse("lts/iron"), None);
        assert_eq!(Range::parse(">=abc"), None);
    }

    #[test]
    fn a_minimum_narrows_the_line() {
        let range = Range::parse("~22.12.0").expect("range");
        assert!(range.allows_line(22, None));
        assert!(!range.allows_line(22, Some((22, 13, 0))));
        let range = Range::parse(">=20").expect("range");
        assert!(range.allows_line(22, Some((22, 13, 0))));
        assert!(!range.allows_line(20, Some((22, 13, 0))));
    }

    #[test]
    fn the_default_is_the_newest_supported_lts() {
        assert_eq!(current_lts().major, 26);
        assert!(!line(20).expect("20").supported());
        assert!(line(22).expect("22").supported());
    }
}
