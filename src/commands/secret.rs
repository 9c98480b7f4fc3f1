//! `paas secret set|unset|list`: the app's own Secret. The value is read here (a hidden
//! prompt, stdin, or `KEY=VALUE` with a warning); the work is [`crate::deploy::secrets`].

use std::io::Read as _;

use k8s_openapi::jiff::Timestamp;

use crate::cli::{SecretListArgs, SecretSetArgs, SecretUnsetArgs};
use crate::commands::history::ago;
use crate::commands::up::{Failure, Reporter, print_failure, up_error};
use crate::commands::{connect, output};
use crate::deploy::release::DEFAULT_HISTORY;
use crate::deploy::rollback::RollbackError;
use crate::deploy::secrets::{self, Change, SecretListing, SecretPlan, SecretValue, SecretsError};
use crate::error::{CliError, ExitStatus};
use crate::settings::{AppSettings, GlobalSettings, SecretSettings};
use crate::ui::Printer;
use crate::ui::table::Table;

/// Runs `paas secret set`.
pub(crate) fn set(
    args: &SecretSetArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = SecretSettings::resolve(&args.app, &args.key, &args.rollout, true, global)?;
    let key = settings.key.clone();
    confirm(&settings, printer)?;
    let value = match settings.inline_value.clone() {
        Some(value) => {
            printer.warn(format_args!(
                "the value of `{key}` given as `KEY=VALUE` stays in your shell's history (and, while paas runs, in the process list); give it at the prompt or on stdin instead"
            ));
            value
        }
        None if printer.interactive() => SecretValue::new(
            printer
                .ask_secret(&format!("Value of `{key}`"))?
                .into_bytes(),
        ),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|err| {
                CliError::failed(
                    anyhow::Error::new(err)
                        .context(format!("failed to read the value of `{key}` from stdin")),
                )
            })?;
            SecretValue::from_input(bytes)
        }
    };
    if value.is_empty() {
        return Err(CliError::usage(anyhow::anyhow!(
            "the value of `{key}` is empty; nothing was changed"
        ))
        .hinted(format!(
            "give the value at the prompt or on stdin (`printf %s \"$VALUE\" | paas secret set {key}`); `paas secret unset {key}` removes a key"
        )));
    }
    change(&settings, Change::Set { key, value }, printer)
}

/// Runs `paas secret unset`.
pub(crate) fn unset(
    args: &SecretUnsetArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = SecretSettings::resolve(&args.app, &args.key, &args.rollout, false, global)?;
    confirm(&settings, printer)?;
    let key = settings.key.clone();
    change(&settings, Change::Unset { key }, printer)
}

/// Asks before changing a protected environment.
fn confirm(settings: &SecretSettings, printer: &Printer) -> Result<(), CliError> {
    if settings.app.protected {
        printer.confirm_protected(
            settings.app.yes,
            settings.app.environment.as_deref(),
            "Change its secrets?",
            "changed",
        )?;
    }
    Ok(())
}

fn change(
    settings: &SecretSettings,
    change: Change,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let runtime = crate::commands::runtime()?;
    let result = runtime.block_on(async {
        let (cluster, namespace) = connect(&settings.app).await?;
        let plan = SecretPlan {
            app: settings.app.app.clone(),
            namespace: namespace.clone(),
            change,
            rollout: settings.rollout,
            timeout: settings.timeout,
            grace: crate::kube::rollout::DEFAULT_GRACE,
            user: format!("{} pid {}", settings.app.user, std::process::id()),
            history: DEFAULT_HISTORY,
        };
        let reporter = Reporter {
            printer: printer.clone(),
        };
        let interrupt = crate::deploy::interrupt::Interrupt::on_ctrl_c();
        secrets::change(&cluster.client, &plan, &reporter, &interrupt)
            .await
            .map_err(|err| failure(err, printer, &namespace))
    });
    printer.progress_message("");
    match result {
        Ok(result) => {
            if printer.json() {
                output(printer.data_json(&result))?;
            }
            Ok(ExitStatus::Success)
        }
        Err(Failure { error, diagnosis }) => {
            print_failure(printer, &error, diagnosis.as_ref())?;
            Err(error)
        }
    }
}

/// Maps a failed change to the exit code and hints, keeping a rollout's diagnosis.
fn failure(err: SecretsError, printer: &Printer, namespace: &str) -> Failure {
    let error = match err {
        SecretsError::Read(_) | SecretsError::Write { .. } => CliError::new(err).hinted(format!(
            "check that the cluster is reachable, and that you may read and write Secrets in namespace `{namespace}`"
        )),
        SecretsError::UnknownKey { .. } => {
            CliError::usage(err).hinted("`paas secret list` shows the keys there are")
        }
        SecretsError::NotOurs { .. } => CliError::usage(err).hinted(
            "change it where it comes from (your external secret store); paas passes it to the pods as it is, and `paas up` rolls them out when it changes",
        ),
        SecretsError::NotReferenced { .. } => CliError::usage(err).hinted(
            "the Deployment's `envFrom` must name `{{ deploy.secrets_name }}`: `paas init --force` writes the current templates, then `paas up`",
        ),
        SecretsError::Conflict { .. } => CliError::failed(err).hinted("run the command again"),
        SecretsError::Deploy(err) => {
            let diagnosis = match err.as_ref() {
                crate::deploy::pipeline::UpError::Rollout { error, .. } => {
                    error.diagnosis().cloned()
                }
                _ => None,
            };
            return Failure {
                error: up_error(*err, printer, namespace),
                diagnosis,
            };
        }
        SecretsError::Rollout { secret, source } => {
            let (inner, diagnosis) = match *source {
                RollbackError::Deploy(err) => {
                    let diagnosis = match &err {
                        crate::deploy::pipeline::UpError::Rollout { error, .. } => {
                            error.diagnosis().cloned()
                        }
                        _ => None,
                    };
                    (up_error(err, printer, namespace), diagnosis)
                }
                other => (CliError::failed(other), None),
            };
            let error = CliError {
                kind: inner.kind,
                source: inner.source.context(format!(
                    "Secret `{secret}` has the new value, but rolling the pods out with it failed"
                )),
                hints: vec![
                    "fix the cause and run `paas up`, which rolls the pods out with the Secret as it is; `paas secret set` puts an old value back".to_owned(),
                ],
            };
            return Failure { error, diagnosis };
        }
    };
    Failure {
        error,
        diagnosis: None,
    }
}

/// Runs `paas secret list`.
pub(crate) fn list(
    args: &SecretListArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = AppSettings::resolve(&args.app, global)?;
    let runtime = crate::commands::runtime()?;
    let listing = runtime.block_on(async {
        let (cluster, namespace) = connect(&settings).await?;
        secrets::list(&cluster.client, &namespace, &settings.app)
            .await
            .map_err(|err| {
                CliError::new(err).hinted(format!(
                    "check that the cluster is reachable, and that you may read Secrets in namespace `{namespace}`"
                ))
            })
    })?;
    if printer.json() {
        output(printer.data_json(&listing))?;
    } else if !listing.keys.is_empty() {
        output(printer.data(&render(&listing, Timestamp::now())))?;
    }
    if !listing.exists {
        printer.note(format_args!(
            "`{}` has no secrets in namespace `{}` (no Secret `{}`)",
            listing.app, listing.namespace, listing.secret
        ));
        printer.hint("`paas secret set KEY` sets one");
    } else if listing.keys.is_empty() {
        printer.note(format_args!(
            "Secret `{}` in namespace `{}` has no keys",
            listing.secret, listing.namespace
        ));
    }
    if listing.exists && !listing.managed {
        printer.note(format_args!(
            "Secret `{}` was written by another tool; paas passes it to the pods but does not change it",
            listing.secret
        ));
    }
    Ok(ExitStatus::Success)
}

/// The table: KEY, DIGEST, CHANGED.
fn render(listing: &SecretListing, now: Timestamp) -> String {
    let mut table = Table::new(&["KEY", "DIGEST", "CHANGED"]);
    for entry in &listing.keys {
        table.row(vec![
            entry.key.clone(),
            entry.digest.clone(),
            entry
                .changed
                .as_deref()
                .map_or_else(|| "-".to_owned(), |time| ago(time, now)),
        ]);
    }
    table.render("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::secrets::SecretEntry;

    #[test]
    fn the_table_shows_keys_digests_and_ages() {
        let listing = SecretListing {
            app: "web".into(),
            namespace: "shop".into(),
            secret: "web-secrets".into(),
            exists: true,
            managed: true,
            checksum: Some("0123456789abcdef".into()),
            keys: vec![
                SecretEntry {
                    key: "API_TOKEN".into(),
                    digest: "a1b2c3d4e5f6".into(),
                    changed: Some("2026-12-01T10:00:00Z".into()),
                },
                SecretEntry {
                    key: "FROM_ELSEWHERE".into(),
                    digest: "0f0f0f0f0f0f".into(),
                    changed: None,
                },
            ],
        };
        let now: Timestamp = "2026-12-01T10:05:00Z".parse().expect("a time");
        insta::assert_snapshot!(render(&listing, now), @r"
        KEY             DIGEST        CHANGED
        API_TOKEN       a1b2c3d4e5f6  5m ago
        FROM_ELSEWHERE  0f0f0f0f0f0f  -
        ");
    }
}
