//! `paas scale`: the replica count or the autoscaling bounds; the rules of who owns them are
//! in [`crate::deploy::scale`].

use std::time::Duration;

use serde::Serialize;

use crate::cli::ScaleArgs;
use crate::commands::output;
use crate::deploy::lock::{DeployLock, LEASE_SECONDS, LockError};
use crate::deploy::scale::{self, MAX_REPLICAS, Scale, ScaleError};
use crate::error::{CliError, ExitStatus};
use crate::kube::rollout::{RolloutReporter, RolloutWait};
use crate::settings::{AppSettings, GlobalSettings};
use crate::ui::Printer;

/// What `--output json` prints.
#[derive(Debug, Serialize)]
struct ScaleResult {
    app: String,
    namespace: String,
    deployment: String,
    /// The replica count before and after (a plain count).
    replicas: Option<Change>,
    /// The autoscaler's bounds before and after (`--min`, `--max`, `--cpu`).
    autoscaler: Option<BoundsChange>,
    /// Whether the autoscaler decides the count (a plain count is then temporary).
    autoscaled: bool,
}

#[derive(Debug, Serialize)]
struct Change {
    from: i32,
    to: i32,
}

#[derive(Debug, Serialize)]
struct BoundsChange {
    name: String,
    from: Scale,
    to: Scale,
}

/// What was asked, checked.
enum Request {
    Replicas(i32),
    Bounds(Scale),
}

/// Runs `paas scale`.
pub(crate) fn run(
    args: &ScaleArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let request = request(args)?;
    let settings = AppSettings::resolve(&args.app, global)?;
    if settings.protected {
        printer.confirm_protected(
            settings.yes,
            settings.environment.as_deref(),
            "Scale it?",
            "scaled",
        )?;
    }
    if settings.target.is_docker() {
        crate::commands::local::say_target(&settings.target, printer);
        let Request::Replicas(replicas) = request else {
            return Err(CliError::usage(anyhow::anyhow!(
                "the local target has no autoscaler: `--min`, `--max` and `--cpu` need a cluster"
            ))
            .hinted("give a replica count: `paas scale 3`"));
        };
        return crate::commands::local::scale(
            &settings,
            u32::try_from(replicas).unwrap_or(0),
            args.timeout,
            printer,
        );
    }
    let runtime = crate::commands::runtime()?;
    let result = runtime.block_on(async {
        let (cluster, namespace) = crate::commands::connect(&settings).await?;
        let client = &cluster.client;
        // Not deployed is said before any lock is taken (the namespace may not even exist).
        scale::targets(client, &namespace, &settings.app)
            .await
            .map_err(scale_error)?;
        let lock = DeployLock::acquire(
            client.clone(),
            &namespace,
            &settings.app,
            &format!("{} pid {}", settings.user, std::process::id()),
        )
        .await
        .map_err(lock_error)?;
        if let Some(message) = crate::deploy::pipeline::takeover_message(&lock) {
            printer.warn(message);
        }
        let work = change(client, &namespace, &settings.app, request, args, printer);
        let result = tokio::select! {
            result = work => result,
            lost = lock.lost() => return Err(lock_error(lost)),
        };
        match tokio::time::timeout(Duration::from_secs(10), lock.release()).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => printer.warn(format_args!("{err}; it was left as it is")),
            Err(_) => printer.warn(format_args!(
                "the deploy lock of `{}` was not released: the API server did not answer within 10s; it expires after {LEASE_SECONDS}s",
                settings.app
            )),
        }
        result
    });
    printer.progress_message("");
    let result = result?;
    if printer.json() {
        output(printer.data_json(&result))?;
    }
    Ok(ExitStatus::Success)
}

/// Changes the scale, holding the deploy lock.
async fn change(
    client: &::kube::Client,
    namespace: &str,
    app: &str,
    request: Request,
    args: &ScaleArgs,
    printer: &Printer,
) -> Result<ScaleResult, CliError> {
    let namespace = namespace.to_owned();
    let targets = scale::targets(client, &namespace, app)
        .await
        .map_err(scale_error)?;
    let mut result = ScaleResult {
        app: app.to_owned(),
        namespace: namespace.clone(),
        deployment: targets.deployment.clone(),
        replicas: None,
        autoscaler: None,
        autoscaled: targets.autoscaler.is_some(),
    };
    match request {
        Request::Replicas(replicas) => {
            if let Some(hpa) = &targets.autoscaler {
                printer.warn(format_args!(
                    "`{}` autoscales between {} and {} replicas: autoscaler `{hpa}` will change this count again; `paas scale --min A --max B` changes its bounds",
                    app,
                    targets.bounds.min.unwrap_or(1),
                    targets.bounds.max.unwrap_or(1),
                ));
            }
            scale::set_replicas(client, &namespace, &targets.deployment, replicas, None)
                .await
                .map_err(scale_error)?;
            printer.status(
                "Scaled",
                format!(
                    "`{}` from {} to {replicas} replica{}",
                    app,
                    targets.replicas,
                    if replicas == 1 { "" } else { "s" }
                ),
            );
            result.replicas = Some(Change {
                from: targets.replicas,
                to: replicas,
            });
            if !args.no_wait {
                let reporter = Progress {
                    printer: printer.clone(),
                };
                let outcome = RolloutWait::new(args.timeout)
                    .run(client, &namespace, &targets.deployment, &reporter)
                    .await
                    .map_err(|err| {
                        if let Some(diagnosis) = err.diagnosis()
                            && !printer.json()
                        {
                            printer.note(format_args!("\n{diagnosis}\n"));
                        }
                        CliError::failed(err).hinted(
                            "the count is set; `paas status` shows the pods, `paas logs` their output",
                        )
                    })?;
                printer.status(
                    "Ready",
                    format!(
                        "{replicas} replica{} of `{}` in {:.1}s",
                        if replicas == 1 { "" } else { "s" },
                        app,
                        outcome.elapsed.as_secs_f64()
                    ),
                );
            }
        }
        Request::Bounds(bounds) => {
            let Some(hpa) = targets.autoscaler.clone() else {
                return Err(scale_error(ScaleError::NoAutoscaler {
                    app: app.to_owned(),
                    namespace: namespace.clone(),
                }));
            };
            let (after, _) = scale::set_bounds(client, &namespace, &hpa, bounds, None)
                .await
                .map_err(scale_error)?;
            printer.status(
                "Changed",
                format!(
                    "autoscaling of `{}`: {}",
                    app,
                    describe(targets.bounds, after)
                ),
            );
            result.autoscaler = Some(BoundsChange {
                name: hpa,
                from: targets.bounds,
                to: after,
            });
        }
    }
    Ok(result)
}

fn lock_error(err: LockError) -> CliError {
    match &err {
        LockError::Held { .. } => CliError::new(err).hinted(
            "a deploy of the app is running; wait for it to finish (a lock left by a killed deploy expires after 30s)",
        ),
        LockError::Lost { .. } => CliError::failed(err).hinted(
            "another command took the app over while it was being scaled; check it with `paas status`",
        ),
        LockError::Api { .. } => CliError::new(err).hinted("check that the cluster is up and reachable"),
    }
}

/// Prints the wait's progress.
struct Progress {
    printer: Printer,
}

impl RolloutReporter for Progress {
    fn on_progress(&self, message: &str) {
        self.printer
            .progress_message(&format!("scaling: {message}"));
        self.printer.status(
            "Waiting",
            message.strip_prefix("Waiting ").unwrap_or(message),
        );
    }
}

/// `min 2 → 3, max 10, cpu 70%`.
fn describe(before: Scale, after: Scale) -> String {
    let part = |name: &str, unit: &str, from: Option<i32>, to: Option<i32>| match (from, to) {
        (Some(from), Some(to)) if from != to => Some(format!("{name} {from}{unit} → {to}{unit}")),
        (_, Some(to)) => Some(format!("{name} {to}{unit}")),
        _ => None,
    };
    [
        part("min", "", before.min, after.min),
        part("max", "", before.max, after.max),
        part("cpu", "%", before.cpu, after.cpu),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

/// Checks the values given, before the cluster is contacted.
fn request(args: &ScaleArgs) -> Result<Request, CliError> {
    if let Some(text) = &args.replicas {
        return Ok(Request::Replicas(number("replicas", text, 0)?));
    }
    let bounds = Scale {
        replicas: None,
        min: args
            .min
            .as_deref()
            .map(|t| number("--min", t, 1))
            .transpose()?,
        max: args
            .max
            .as_deref()
            .map(|t| number("--max", t, 1))
            .transpose()?,
        cpu: args
            .cpu
            .as_deref()
            .map(|t| percent(t.trim_end_matches('%')))
            .transpose()?,
    };
    scale::check_bounds(bounds).map_err(|err| {
        CliError::usage(err)
            .hinted("the autoscaler needs 1 <= min <= max; `--cpu` is a percent of the CPU request")
    })?;
    Ok(Request::Bounds(bounds))
}

/// Parses a replica count: a whole number from `least` to [`MAX_REPLICAS`].
fn number(what: &str, text: &str, least: i32) -> Result<i32, CliError> {
    let invalid = |reason: String| {
        CliError::usage(anyhow::anyhow!("invalid {what} `{text}`: {reason}")).hinted(format!(
            "give a whole number from {least} to {MAX_REPLICAS}, such as `paas scale 3`"
        ))
    };
    let trimmed = text.trim();
    if trimmed.starts_with('-') && trimmed[1..].chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("a count cannot be negative".to_owned()));
    }
    if trimmed.is_empty() || !trimmed.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("not a whole number".to_owned()));
    }
    match trimmed.parse::<i64>() {
        Ok(n) if n < i64::from(least) => Err(invalid(format!("the least is {least}"))),
        Ok(n) if n <= i64::from(MAX_REPLICAS) => Ok(i32::try_from(n).unwrap_or(MAX_REPLICAS)),
        _ => Err(invalid(format!("more than the {MAX_REPLICAS} paas allows"))),
    }
}

fn percent(text: &str) -> Result<i32, CliError> {
    match text.trim().parse::<i32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err(CliError::usage(anyhow::anyhow!(
            "invalid `--cpu` `{text}`: not a percent from 1 to 1000"
        ))
        .hinted("`--cpu 70` aims at 70% of the CPU request on average")),
    }
}

fn scale_error(err: ScaleError) -> CliError {
    match &err {
        ScaleError::NotDeployed { .. } => {
            CliError::failed(err).hinted("deploy it with `paas up`; check `--env`, `--namespace` and `--app`")
        }
        ScaleError::NoAutoscaler { .. } => CliError::failed(err).hinted(
            "turn autoscaling on with `autoscale = { min = 2, max = 10, cpu = 70 }` under `[deploy]` in `paas.toml`, then `paas up`; or give a plain count: `paas scale 3`",
        ),
        ScaleError::Invalid { .. } => CliError::usage(err),
        ScaleError::Modified { .. } => {
            CliError::failed(err).hinted("someone changed it at the same time; run the command again")
        }
        ScaleError::Api { .. } => {
            CliError::new(err).hinted_if_retryable("check that the cluster is up and reachable")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replica_counts_are_checked_with_a_reason() {
        assert_eq!(number("replicas", "3", 0).unwrap(), 3);
        assert_eq!(number("replicas", "0", 0).unwrap(), 0);
        for (text, reason) in [
            ("-1", "cannot be negative"),
            ("2.5", "not a whole number"),
            ("three", "not a whole number"),
            ("", "not a whole number"),
            ("1001", "more than the 1000"),
            ("99999999999999999999", "more than the 1000"),
        ] {
            let err = number("replicas", text, 0).unwrap_err();
            let message = format!("{:#}", err.source);
            assert!(message.contains(reason), "{text}: {message}");
        }
        let err = number("--min", "0", 1).unwrap_err();
        assert!(format!("{:#}", err.source).contains("the least is 1"));
    }

    #[test]
    fn bound_changes_read_as_before_and_after() {
        let before = Scale {
            replicas: None,
            min: Some(2),
            max: Some(10),
            cpu: Some(70),
        };
        let after = Scale {
            max: Some(12),
            ..before
        };
        assert_eq!(describe(before, after), "min 2, max 10 → 12, cpu 70%");
    }
}
