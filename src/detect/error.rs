//! The errors of project detection.
//!
//! Every variant names the object it is about (a directory, a file, a pack, a project). The
//! messages follow the crate style: lowercase, no trailing period, values in backticks. They
//! carry no hints: the command layer knows the flags and adds those.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

/// Why [`super::detect`] could not settle on one pack and one project.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// The directory to detect is missing or is not a directory.
    #[error("`{}` is not a directory", path.display())]
    NotADirectory {
        /// The path given.
        path: PathBuf,
    },
    /// A file the detectors needed could not be read, or leads outside the project.
    #[error("failed to read `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: crate::files::FileError,
    },
    /// The project tree itself could not be walked.
    #[error("failed to walk `{}`", path.display())]
    Walk {
        /// The directory being walked.
        path: PathBuf,
        /// The underlying walker error.
        #[source]
        source: ignore::Error,
    },
    /// No pack matches the project.
    #[error("no pack matches the project in `{}`", root.display())]
    NothingFound {
        /// The project directory.
        root: PathBuf,
        /// What each pack's detector looked for, one line per pack.
        looked_for: Vec<String>,
        /// Files one folder down that look like the start of a project (`frontend/package.json`):
        /// the site may be there.
        nearby: Vec<String>,
    },
    /// Several projects or several packs fit equally well.
    #[error("{}", ambiguous_message(root, *what, scope.as_deref(), candidates))]
    Ambiguous {
        /// The project directory.
        root: PathBuf,
        /// Whether projects or packs are in competition.
        what: AmbiguityKind,
        /// Where the competing projects were found: the solution file (`Shop.sln`) when
        /// they all come from one, `None` for the project directory itself.
        scope: Option<String>,
        /// The candidates, sorted.
        candidates: Vec<Candidate>,
    },
    /// The pack asked for is not in the pack list.
    #[error("unknown pack `{name}` (available: {})", backticked(available))]
    UnknownPack {
        /// The name asked for.
        name: String,
        /// The names of the packs available, sorted.
        available: Vec<String>,
    },
    /// The project asked for is not among the projects found.
    #[error("{}", project_not_found_message(project, candidates))]
    ProjectNotFound {
        /// The project asked for, as given.
        project: String,
        /// The projects that could have been chosen.
        candidates: Vec<Candidate>,
    },
    /// The project asked for exists but cannot be deployed (a test project, a class library…).
    #[error("project `{project}` cannot be deployed: {reason}")]
    ProjectNotEligible {
        /// The project's relative path.
        project: String,
        /// Why it was set aside.
        reason: String,
    },
    /// The pack found what it deploys, but not in a state it can deploy (the sources of a
    /// generated site without what its build needs).
    #[error("pack `{pack}` cannot deploy {summary}: {reason}")]
    Refused {
        /// The pack.
        pack: String,
        /// What was found: `the sources of a Jekyll site`.
        summary: String,
        /// The files that show it.
        evidence: Vec<super::Evidence>,
        /// Why it cannot be deployed.
        reason: String,
        /// What the user must add, with the command to run: the command layer's hint.
        fix: String,
    },
    /// The pack asked for does not find what it needs in the project.
    #[error("pack `{pack}` does not match the project: {reason}")]
    PackDoesNotMatch {
        /// The pack asked for.
        pack: String,
        /// What its detector looked for and did not find.
        reason: String,
    },
}

/// What an [`DetectError::Ambiguous`] error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AmbiguityKind {
    /// Several deployable projects (for example two web projects in one solution).
    Project,
    /// Several packs matched with the same priority.
    Pack,
}

/// One of the choices offered by an ambiguity or a missing project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The pack that would be used.
    pub pack: String,
    /// What to pass to `--project` to choose this candidate, when it is a project.
    pub project: Option<String>,
    /// One line describing the candidate.
    pub summary: String,
}

fn backticked(items: &[String]) -> String {
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "`{item}`");
    }
    out
}

fn candidate_keys(candidates: &[Candidate]) -> Vec<String> {
    candidates
        .iter()
        .map(|candidate| {
            candidate
                .project
                .clone()
                .unwrap_or_else(|| candidate.pack.clone())
        })
        .collect()
}

fn ambiguous_message(
    root: &std::path::Path,
    what: AmbiguityKind,
    scope: Option<&str>,
    candidates: &[Candidate],
) -> String {
    let place = scope.map_or_else(|| root.display().to_string(), str::to_owned);
    let list = backticked(&candidate_keys(candidates));
    match what {
        AmbiguityKind::Project => format!("several web projects in `{place}`: {list}"),
        AmbiguityKind::Pack => {
            format!("several packs match the project in `{place}` with the same priority: {list}")
        }
    }
}

fn project_not_found_message(project: &str, candidates: &[Candidate]) -> String {
    if candidates.is_empty() {
        format!("no project `{project}` found")
    } else {
        format!(
            "no project `{project}` found among {}",
            backticked(&candidate_keys(candidates))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(project: &str) -> Candidate {
        Candidate {
            pack: "dotnet".to_owned(),
            project: Some(project.to_owned()),
            summary: String::new(),
        }
    }

    #[test]
    fn messages_follow_the_style() {
        let error = DetectError::Ambiguous {
            root: PathBuf::from("/src/shop"),
            what: AmbiguityKind::Project,
            scope: Some("Shop.sln".to_owned()),
            candidates: vec![
                candidate("src/Web/Web.csproj"),
                candidate("src/Admin/Admin.csproj"),
            ],
        };
        assert_eq!(
            error.to_string(),
            "several web projects in `Shop.sln`: `src/Web/Web.csproj`, `src/Admin/Admin.csproj`"
        );
        let error = DetectError::Ambiguous {
            root: PathBuf::from("/src/shop"),
            what: AmbiguityKind::Pack,
            scope: None,
            candidates: vec![
                Candidate {
                    pack: "a".to_owned(),
                    project: None,
                    summary: String::new(),
                },
                Candidate {
                    pack: "b".to_owned(),
                    project: None,
                    summary: String::new(),
                },
            ],
        };
        assert_eq!(
            error.to_string(),
            "several packs match the project in `/src/shop` with the same priority: `a`, `b`"
        );
        let error = DetectError::UnknownPack {
            name: "java".to_owned(),
            available: vec!["dotnet".to_owned(), "nginx".to_owned()],
        };
        assert_eq!(
            error.to_string(),
            "unknown pack `java` (available: `dotnet`, `nginx`)"
        );
        let error = DetectError::ProjectNotFound {
            project: "Api".to_owned(),
            candidates: vec![candidate("src/Web/Web.csproj")],
        };
        assert_eq!(
            error.to_string(),
            "no project `Api` found among `src/Web/Web.csproj`"
        );
        let error = DetectError::NothingFound {
            root: PathBuf::from("/tmp/x"),
            looked_for: vec![],
            nearby: vec![],
        };
        assert_eq!(error.to_string(), "no pack matches the project in `/tmp/x`");
    }
}
