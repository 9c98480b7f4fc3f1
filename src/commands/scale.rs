//! `paas scale`: the replica count or the autoscaling bounds; the rules of who owns them are
//! in [`crate::deploy::scale`].

use serde::Serialize;

use crate::cli::ScaleArgs;
use crate::commands::{output, retryable};
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
    let runtime = crate::commands::runtime()?;
    let result = runtime.block_on(async {
        let (cluster, namespace) = crate::commands::connect(&settings).await?;
        let client = &cluster.client;
        let targets = scale::targets(client, &namespace, &settings.app)
            .await
            .map_err(scale_error)?;
        let mut result = ScaleResult {
            app: settings.app.clone(),
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
                        settings.app,
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
                        settings.app,
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
                            settings.app,
                            outcome.elapsed.as_secs_f64()
                        ),
                    );
                }
            }
            Request::Bounds(bounds) => {
                let Some(hpa) = targets.autoscaler.clone() else {
                    return Err(scale_error(ScaleError::NoAutoscaler {
                        app: settings.app.clone(),
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
                        settings.app,
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
    });
    printer.progress_message("");
    let result = result?;
    if printer.json() {
        output(printer.data_json(&result))?;
    }
    Ok(ExitStatus::Success)
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
        ScaleError::Api { .. } => retryable(err).hinted("check that the cluster is up and reachable"),
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
