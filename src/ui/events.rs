//! The words of the progress events the domain reports: each event's cargo-style verb and
//! message, values in backticks.

use crate::build::context::human_bytes;
use crate::deploy::apply::{ChangeAction, ObjectChange};
use crate::deploy::events::UpEvent;
use crate::registry::copy::BlobOutcome;

/// How an event reads: a status line with its verb, or a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Worded {
    /// A cargo-style status line.
    Status(&'static str, String),
    /// A warning; the operation goes on.
    Warning(String),
}

/// Returns how a deploy or rollback event reads.
#[must_use]
pub(crate) fn up_event(event: &UpEvent<'_>) -> Worded {
    let status = |verb: &'static str, message: String| Worded::Status(verb, message);
    match *event {
        UpEvent::Access { note } => status("Access", note.to_string()),
        UpEvent::NamespaceCreated { namespace } => {
            status("Created", format!("namespace `{namespace}`"))
        }
        UpEvent::NamespaceRemoved { namespace } => status(
            "Removed",
            format!(
                "namespace `{namespace}`: it was created for this deploy, which left nothing in it"
            ),
        ),
        UpEvent::Fresh { image } => status(
            "Fresh",
            format!("`{image}` (the build context is unchanged)"),
        ),
        UpEvent::Building {
            image,
            files,
            bytes,
        } => status(
            "Building",
            format!("`{image}` ({files} files, {})", human_bytes(bytes)),
        ),
        UpEvent::Built { image } => status("Built", format!("`{image}`")),
        UpEvent::Pushed {
            image,
            uploaded,
            existing,
        } => status(
            "Pushed",
            format!("`{image}` ({uploaded} uploaded, {existing} already there)"),
        ),
        UpEvent::Promoting {
            app,
            environment,
            revision,
            image,
        } => status(
            "Promoting",
            format!("release {revision} of `{app}` from `{environment}` (`{image}`)"),
        ),
        UpEvent::BlobCopied {
            digest,
            size,
            outcome,
        } => {
            let (verb, how) = match outcome {
                BlobOutcome::Copied => ("Copied", "uploaded"),
                BlobOutcome::Mounted => ("Mounted", "from the source repository"),
                BlobOutcome::Existing => ("Skipped", "already there"),
            };
            status(
                verb,
                format!(
                    "blob {} ({}, {how})",
                    short_digest(digest),
                    human_bytes(size)
                ),
            )
        }
        UpEvent::Copied { image, copied } => status(
            "Copied",
            format!(
                "`{image}` ({} blobs uploaded, {} mounted, {} already there; {} sent)",
                copied.blobs_copied,
                copied.blobs_mounted,
                copied.blobs_existing,
                human_bytes(copied.bytes_copied)
            ),
        ),
        UpEvent::UpToDate { app, revision } => status(
            "Unchanged",
            format!("release {revision} of `{app}` is live; nothing to build, push or apply"),
        ),
        UpEvent::NetworkCreated { network } => status("Created", format!("network `{network}`")),
        UpEvent::ProxyStarted { container, url } => status(
            "Started",
            format!("`{container}`, which serves the app at {url}"),
        ),
        UpEvent::ContainerStarted { container } => {
            status("Started", format!("container `{container}`"))
        }
        UpEvent::ContainerReady { container, elapsed } => status(
            "Ready",
            format!("container `{container}` in {:.1}s", elapsed.as_secs_f64()),
        ),
        UpEvent::ContainerRemoved { container } => {
            status("Removed", format!("container `{container}`"))
        }
        UpEvent::LocalCredentialCreated { component } => status(
            "Created",
            format!(
                "a new password for component `{component}` (kept in the state directory from now on; never shown)"
            ),
        ),
        UpEvent::SecretCreated { component, secret } => status(
            "Created",
            format!(
                "Secret `{secret}` with a new password for component `{component}` (kept from now on; never shown)"
            ),
        ),
        UpEvent::ComponentReady { component, elapsed } => status(
            "Ready",
            format!("component `{component}` in {:.1}s", elapsed.as_secs_f64()),
        ),
        UpEvent::MajorBackedUp { upgrade } => status(
            "Backed up",
            format!(
                "component `{}` ({} {}) to `{}` ({}, sha256 {}), {} {}, for the upgrade to {}",
                upgrade.component,
                upgrade.kind,
                upgrade.from,
                upgrade.backup.file.display(),
                crate::build::context::human_bytes(upgrade.backup.bytes),
                upgrade.backup.sha256,
                upgrade.count,
                upgrade.unit,
                upgrade.to
            ),
        ),
        UpEvent::MajorReplaced { upgrade } => status(
            "Stopped",
            format!(
                "component `{}` {}; its volume claim {} is kept",
                upgrade.component,
                upgrade.from,
                upgrade.old_claim()
            ),
        ),
        UpEvent::MajorRestored { upgrade } => match (&upgrade.reattached, &upgrade.restored) {
            (Some(claim), _) => status(
                "Reattached",
                format!(
                    "component `{}` {} to its kept volume claim {claim}: nothing was restored (its data since then is in `{}`)",
                    upgrade.component,
                    upgrade.to,
                    upgrade.backup.file.display()
                ),
            ),
            (None, restored) => status(
                "Restored",
                format!(
                    "component `{}` {} from `{}`: {} {}, as before",
                    upgrade.component,
                    upgrade.to,
                    upgrade.backup.file.display(),
                    restored.as_ref().map_or(upgrade.count, |r| r.count),
                    upgrade.unit
                ),
            ),
        },
        UpEvent::Applied { changes } => status("Applied", applied(changes)),
        UpEvent::RolledOut {
            app,
            revision,
            elapsed,
        } => status(
            "Rolled out",
            format!(
                "`{app}` release {revision} in {:.1}s",
                elapsed.as_secs_f64()
            ),
        ),
        UpEvent::Restoring { revision } => {
            status("Restoring", format!("release {revision} (`--atomic`)"))
        }
        UpEvent::Restored { app, revision } => status(
            "Restored",
            format!("release {revision} of `{app}` is live again"),
        ),
        UpEvent::NothingToRestore => Worded::Warning(
            "`--atomic`: no release was live before; nothing to put back".to_owned(),
        ),
        UpEvent::AlreadyLive { app, revision } => status(
            "Unchanged",
            format!("the cluster already runs release {revision} of `{app}`; nothing to roll back"),
        ),
        UpEvent::RollingBack {
            app,
            revision,
            commit,
            digest,
        } => status(
            "Rolling back",
            format!(
                "`{app}` to release {revision} ({}, {})",
                commit.unwrap_or("no commit"),
                digest.map_or_else(|| "no digest".to_owned(), short_digest)
            ),
        ),
        UpEvent::RolledBack {
            app,
            target,
            revision,
            elapsed,
        } => status(
            "Rolled back",
            format!(
                "`{app}` to release {target} as release {revision} in {:.1}s",
                elapsed.as_secs_f64()
            ),
        ),
        UpEvent::SecretChanged {
            secret,
            key,
            unset,
            changed,
        } => match (unset, changed) {
            (false, true) => status("Set", format!("`{key}` in Secret `{secret}`")),
            (true, _) => status("Unset", format!("`{key}` in Secret `{secret}`")),
            (false, false) => status(
                "Unchanged",
                format!("`{key}` in Secret `{secret}` already has this value"),
            ),
        },
        UpEvent::SecretsNotDeployed { app, namespace } => status(
            "Note",
            format!(
                "`{app}` is not deployed in namespace `{namespace}`; `paas up` passes the Secret to its pods"
            ),
        ),
        UpEvent::SecretsNotRolledOut { app } => status(
            "Note",
            format!(
                "the pods of `{app}` keep the old values until the next rollout (`paas up`, or `paas secret` without `--no-rollout`)"
            ),
        ),
        UpEvent::RollingOutSecrets { app, revision } => status(
            "Rolling out",
            format!("`{app}` with the changed Secret (the manifests of release {revision})"),
        ),
        UpEvent::SecretsLive { app, revision } => status(
            "Unchanged",
            format!("the pods of `{app}` (release {revision}) already have these values"),
        ),
    }
}

/// The objects that changed, as `kind/name (created)`, or that none did.
fn applied(objects: &[ObjectChange]) -> String {
    let changed: Vec<String> = objects
        .iter()
        .filter(|c| c.action != ChangeAction::Unchanged)
        .map(|c| format!("{} ({})", c.id, action_word(c.action)))
        .collect();
    if changed.is_empty() {
        "no object changed".to_owned()
    } else {
        changed.join(", ")
    }
}

fn action_word(action: ChangeAction) -> &'static str {
    match action {
        ChangeAction::Created => "created",
        ChangeAction::Configured => "configured",
        ChangeAction::Unchanged => "unchanged",
        ChangeAction::Pruned => "pruned",
    }
}

/// `sha256:` and the first 12 hex digits.
fn short_digest(digest: &str) -> String {
    let hex = digest.trim_start_matches("sha256:");
    format!("sha256:{}", &hex[..hex.len().min(12)])
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn every_event_in_words() {
        let image = "127.0.0.1:5000/team/web:3f2a1c9";
        let pinned = format!("127.0.0.1:5000/team/web:3f2a1c9@{DIGEST}");
        let change = |id: &str, action| ObjectChange {
            id: id.to_owned(),
            action,
        };
        let changes = [
            change("configmap/web-env", ChangeAction::Unchanged),
            change("deployment/web", ChangeAction::Configured),
            change("service/web", ChangeAction::Created),
            change("ingress/web", ChangeAction::Pruned),
        ];
        let unchanged = [change("service/web", ChangeAction::Unchanged)];
        let elapsed = Duration::from_millis(4_250);
        let copied = crate::registry::copy::Copied {
            digest: DIGEST.to_owned(),
            manifests: 1,
            blobs_copied: 1,
            blobs_mounted: 1,
            blobs_existing: 1,
            bytes_copied: 3_500_000,
        };
        let events = [
            UpEvent::NamespaceCreated { namespace: "shop" },
            UpEvent::NamespaceRemoved { namespace: "shop" },
            UpEvent::NetworkCreated {
                network: "paas-web",
            },
            UpEvent::ProxyStarted {
                container: "paas-web-proxy",
                url: "http://127.0.0.1:49153",
            },
            UpEvent::ContainerStarted {
                container: "paas-web-2-1",
            },
            UpEvent::ContainerReady {
                container: "paas-web-2-1",
                elapsed,
            },
            UpEvent::ContainerRemoved {
                container: "paas-web-1-1",
            },
            UpEvent::LocalCredentialCreated { component: "cache" },
            UpEvent::Fresh { image },
            UpEvent::Building {
                image,
                files: 12,
                bytes: 3_500,
            },
            UpEvent::Built { image },
            UpEvent::Pushed {
                image: &pinned,
                uploaded: 2,
                existing: 5,
            },
            UpEvent::UpToDate {
                app: "web",
                revision: 3,
            },
            UpEvent::Applied { changes: &changes },
            UpEvent::Applied {
                changes: &unchanged,
            },
            UpEvent::RolledOut {
                app: "web",
                revision: 4,
                elapsed,
            },
            UpEvent::Restoring { revision: 3 },
            UpEvent::Restored {
                app: "web",
                revision: 3,
            },
            UpEvent::NothingToRestore,
            UpEvent::AlreadyLive {
                app: "web",
                revision: 2,
            },
            UpEvent::RollingBack {
                app: "web",
                revision: 1,
                commit: Some("3f2a1c9"),
                digest: Some(DIGEST),
            },
            UpEvent::RollingBack {
                app: "web",
                revision: 1,
                commit: None,
                digest: None,
            },
            UpEvent::RolledBack {
                app: "web",
                target: 1,
                revision: 5,
                elapsed,
            },
            UpEvent::SecretChanged {
                secret: "web-secrets",
                key: "API_TOKEN",
                unset: false,
                changed: true,
            },
            UpEvent::SecretChanged {
                secret: "web-secrets",
                key: "API_TOKEN",
                unset: false,
                changed: false,
            },
            UpEvent::SecretChanged {
                secret: "web-secrets",
                key: "API_TOKEN",
                unset: true,
                changed: true,
            },
            UpEvent::SecretsNotDeployed {
                app: "web",
                namespace: "shop",
            },
            UpEvent::SecretsNotRolledOut { app: "web" },
            UpEvent::RollingOutSecrets {
                app: "web",
                revision: 5,
            },
            UpEvent::SecretsLive {
                app: "web",
                revision: 6,
            },
            UpEvent::Promoting {
                app: "web",
                environment: "staging",
                revision: 3,
                image: &pinned,
            },
            UpEvent::BlobCopied {
                digest: DIGEST,
                size: 3_500_000,
                outcome: BlobOutcome::Copied,
            },
            UpEvent::BlobCopied {
                digest: DIGEST,
                size: 1_200,
                outcome: BlobOutcome::Mounted,
            },
            UpEvent::BlobCopied {
                digest: DIGEST,
                size: 1_200,
                outcome: BlobOutcome::Existing,
            },
            UpEvent::Copied {
                image: &pinned,
                copied: &copied,
            },
        ];
        let lines: Vec<String> = events
            .iter()
            .map(|event| match up_event(event) {
                Worded::Status(verb, message) => format!("{verb:>12} {message}"),
                Worded::Warning(message) => format!("warning: {message}"),
            })
            .collect();
        insta::assert_snapshot!(lines.join("\n"), @r"
             Created namespace `shop`
             Removed namespace `shop`: it was created for this deploy, which left nothing in it
             Created network `paas-web`
             Started `paas-web-proxy`, which serves the app at http://127.0.0.1:49153
             Started container `paas-web-2-1`
               Ready container `paas-web-2-1` in 4.2s
             Removed container `paas-web-1-1`
             Created a new password for component `cache` (kept in the state directory from now on; never shown)
               Fresh `127.0.0.1:5000/team/web:3f2a1c9` (the build context is unchanged)
            Building `127.0.0.1:5000/team/web:3f2a1c9` (12 files, 3.5 kB)
               Built `127.0.0.1:5000/team/web:3f2a1c9`
              Pushed `127.0.0.1:5000/team/web:3f2a1c9@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef` (2 uploaded, 5 already there)
           Unchanged release 3 of `web` is live; nothing to build, push or apply
             Applied deployment/web (configured), service/web (created), ingress/web (pruned)
             Applied no object changed
          Rolled out `web` release 4 in 4.2s
           Restoring release 3 (`--atomic`)
            Restored release 3 of `web` is live again
        warning: `--atomic`: no release was live before; nothing to put back
           Unchanged the cluster already runs release 2 of `web`; nothing to roll back
        Rolling back `web` to release 1 (3f2a1c9, sha256:0123456789ab)
        Rolling back `web` to release 1 (no commit, no digest)
         Rolled back `web` to release 1 as release 5 in 4.2s
                 Set `API_TOKEN` in Secret `web-secrets`
           Unchanged `API_TOKEN` in Secret `web-secrets` already has this value
               Unset `API_TOKEN` in Secret `web-secrets`
                Note `web` is not deployed in namespace `shop`; `paas up` passes the Secret to its pods
                Note the pods of `web` keep the old values until the next rollout (`paas up`, or `paas secret` without `--no-rollout`)
         Rolling out `web` with the changed Secret (the manifests of release 5)
           Unchanged the pods of `web` (release 6) already have these values
           Promoting release 3 of `web` from `staging` (`127.0.0.1:5000/team/web:3f2a1c9@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`)
              Copied blob sha256:0123456789ab (3.5 MB, uploaded)
             Mounted blob sha256:0123456789ab (1.2 kB, from the source repository)
             Skipped blob sha256:0123456789ab (1.2 kB, already there)
              Copied `127.0.0.1:5000/team/web:3f2a1c9@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef` (1 blobs uploaded, 1 mounted, 1 already there; 3.5 MB sent)
        ");
    }
}
