//! `paas history`: the app's releases, oldest first, as `helm history` lists them.

use k8s_openapi::jiff::Timestamp;

use crate::cli::HistoryArgs;
use crate::commands::{connect, output};
use crate::deploy::history::{self, History};
use crate::deploy::release::{ReleaseError, ReleaseStore};
use crate::error::{CliError, ErrorKind, ExitStatus};
use crate::settings::{AppSettings, GlobalSettings};
use crate::ui::Printer;
use crate::ui::table::{Table, age};

/// Runs `paas history`.
pub(crate) fn run(
    args: &HistoryArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = AppSettings::resolve(&args.app, global)?;
    let runtime = crate::commands::runtime()?;
    let history = if settings.target.is_docker() {
        crate::commands::local::say_target(&settings.target, printer);
        let releases = crate::local::deploy::history(&settings.app).map_err(CliError::new)?;
        History {
            app: settings.app.clone(),
            namespace: "local Docker engine".to_owned(),
            releases: releases
                .into_iter()
                .map(history::HistoryEntry::from)
                .collect(),
        }
    } else {
        runtime.block_on(async {
            let (cluster, namespace) = connect(&settings).await?;
            let store = ReleaseStore::new(cluster.client.clone(), &namespace, &settings.app);
            history::history(&store, &settings.app, &namespace)
                .await
                .map_err(release_error)
        })?
    };
    if printer.json() {
        output(printer.data_json(&history))?;
    } else if !history.releases.is_empty() {
        output(printer.data(&render(&history, Timestamp::now())))?;
    }
    if history.releases.is_empty() {
        printer.note(format_args!(
            "no releases of `{}` in namespace `{}`",
            history.app, history.namespace
        ));
        printer.hint(format_args!(
            "`paas up` deploys it and records release 1; check `--namespace`, `--env` and `--context` if it runs elsewhere"
        ));
    }
    Ok(ExitStatus::Success)
}

/// Turns an unreadable release record into an error with a hint.
pub(super) fn release_error(err: ReleaseError) -> CliError {
    match err {
        ReleaseError::Api { .. } => {
            let error = CliError::new(err);
            if error.kind == ErrorKind::Retryable {
                error.hinted("check that the cluster is up and reachable")
            } else {
                error.hinted("release records are Secrets: check that you may list and read Secrets in the namespace")
            }
        }
        ReleaseError::Damaged { .. } => CliError::failed(err).hinted(
            "the record was changed by hand; delete the damaged Secret to drop it from the history",
        ),
        other => CliError::failed(other),
    }
}

/// The history table: REVISION, UPDATED, STATUS, WHO, COMMIT, IMAGE DIGEST, DESCRIPTION; the
/// live release says `live` after its revision.
fn render(history: &History, now: Timestamp) -> String {
    let mut table = Table::new(&[
        "REVISION",
        "UPDATED",
        "STATUS",
        "WHO",
        "COMMIT",
        "IMAGE DIGEST",
        "DESCRIPTION",
    ]);
    for release in &history.releases {
        let revision = if release.live {
            format!("{} (live)", release.revision)
        } else {
            release.revision.to_string()
        };
        table.row(vec![
            revision,
            ago(&release.updated, now),
            release.status.as_str().to_owned(),
            who(&release.user).to_owned(),
            commit(release.git_commit.as_deref(), release.git_dirty),
            release
                .digest
                .as_deref()
                .map_or_else(|| "-".to_owned(), short_digest),
            release.description.clone(),
        ]);
    }
    table.render("")
}

/// `5m ago` from an RFC 3339 time, or the text itself when it does not parse.
pub(super) fn ago(time: &str, now: Timestamp) -> String {
    match time.parse::<Timestamp>() {
        Ok(then) => format!("{} ago", age(now.as_second() - then.as_second())),
        Err(_) => time.to_owned(),
    }
}

/// Who deployed, without the process id the deploy lock needs: `dev@host`.
pub(super) fn who(user: &str) -> &str {
    match user.rsplit_once(" pid ") {
        Some((who, pid)) if pid.bytes().all(|b| b.is_ascii_digit()) => who,
        _ => user,
    }
}

/// The commit, `-dirty` when the work tree had changes, `-` when unknown.
pub(super) fn commit(commit: Option<&str>, dirty: bool) -> String {
    match (commit, dirty) {
        (Some(commit), true) => format!("{commit}-dirty"),
        (Some(commit), false) => commit.to_owned(),
        (None, _) => "-".to_owned(),
    }
}

/// `sha256:` and the first 12 hex digits.
pub(super) fn short_digest(digest: &str) -> String {
    match digest.split_once(':') {
        Some((algorithm, hex)) => format!("{algorithm}:{}", &hex[..hex.len().min(12)]),
        None => digest.chars().take(12).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::history::HistoryEntry;
    use crate::deploy::release::ReleaseStatus;

    fn entry(revision: u32, status: ReleaseStatus, dirty: bool) -> HistoryEntry {
        HistoryEntry {
            revision,
            live: status == ReleaseStatus::Deployed,
            status,
            updated: "2026-11-27T10:00:00Z".into(),
            created: "2026-11-27T09:59:50Z".into(),
            user: "dev@host pid 42".into(),
            git_commit: Some("3f2a1c9".into()),
            git_dirty: dirty,
            image: "r/web@sha256:0123456789abcdef0123".into(),
            digest: Some("sha256:0123456789abcdef0123".into()),
            description: "up".into(),
            environment: None,
            promoted_from: None,
        }
    }

    #[test]
    fn the_table_marks_the_live_release() {
        let history = History {
            app: "web".into(),
            namespace: "shop".into(),
            releases: vec![
                entry(1, ReleaseStatus::Superseded, false),
                entry(2, ReleaseStatus::Deployed, true),
            ],
        };
        let now: Timestamp = "2026-11-27T10:05:00Z".parse().expect("time");
        assert_eq!(
            render(&history, now),
            "\
REVISION  UPDATED  STATUS      WHO       COMMIT         IMAGE DIGEST         DESCRIPTION
1         5m ago   superseded  dev@host  3f2a1c9        sha256:0123456789ab  up
2 (live)  5m ago   deployed    dev@host  3f2a1c9-dirty  sha256:0123456789ab  up
"
        );
    }

    #[test]
    fn who_drops_only_a_trailing_pid() {
        assert_eq!(who("dev@host pid 42"), "dev@host");
        assert_eq!(who("dev@host"), "dev@host");
        assert_eq!(who("a pid b"), "a pid b");
    }
}
