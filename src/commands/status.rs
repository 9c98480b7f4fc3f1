//! `paas status`: whether the app is healthy, on one screen; exit code 1 when it is not, so
//! CI can gate on it. What is read and judged is [`crate::deploy::status`].

use std::fmt::Write as _;

use k8s_openapi::jiff::Timestamp;

use crate::cli::StatusArgs;
use crate::commands::history::{ago, commit, release_error, short_digest, who};
use crate::commands::{connect, output};
use crate::deploy::status::{self, AppStatus, ReleaseInfo, Scrape, StatusError};
use crate::error::{CliError, ErrorKind, ExitStatus};
use crate::settings::{AppSettings, GlobalSettings};
use crate::ui::table::{Table, age, bytes};
use crate::ui::{ERROR, HEADING, Printer, SUCCESS};

/// Runs `paas status`.
pub(crate) fn run(
    args: &StatusArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = AppSettings::resolve(&args.app, global)?;
    if settings.target.is_docker() {
        crate::commands::local::say_target(&settings.target, printer);
        return crate::commands::local::status(&settings, printer);
    }
    let runtime = crate::commands::runtime()?;
    let status = runtime.block_on(async {
        let (cluster, namespace) = connect(&settings).await?;
        status::gather(&cluster.client, &namespace, &settings.app)
            .await
            .map_err(status_error)
    })?;
    let deployed =
        status.rollout.is_some() || status.release.is_some() || status.latest_release.is_some();
    if printer.json() {
        output(printer.data_json(&status))?;
    } else if deployed {
        output(printer.data(&render(&status, printer, Timestamp::now())))?;
    }
    if status.healthy {
        return Ok(ExitStatus::Success);
    }
    let error = CliError::failed(anyhow::anyhow!(
        "`{}` in namespace `{}` is not healthy: {}",
        status.app,
        status.namespace,
        status.summary
    ));
    Err(if !deployed {
        CliError::failed(anyhow::anyhow!("{}", status.summary)).hinted(
            "deploy it with `paas up`; if it runs elsewhere, check `--namespace`, `--env` and `--context`",
        )
    } else if let Some(diagnosis) = &status.diagnosis
        && !diagnosis.hint.is_empty()
    {
        error.hinted(&diagnosis.hint)
    } else if status.rollout.is_none() {
        error.hinted("run `paas up` to create it again, or `paas rollback` to put a release back")
    } else {
        error.hinted("see the pods and warnings above, and `paas logs`; a rollout in progress may still finish")
    })
}

fn status_error(err: StatusError) -> CliError {
    match err {
        StatusError::Release(err) => release_error(err),
        err @ StatusError::Kube(_) => {
            let error = CliError::new(err);
            if error.kind == ErrorKind::Retryable {
                error.hinted("check that the cluster is up and reachable")
            } else {
                error
                    .hinted("check that you may read Deployments, Pods and Events in the namespace")
            }
        }
    }
}

/// The one-screen view: a few `key  value` lines, the pods table, the warnings.
fn render(status: &AppStatus, printer: &Printer, now: Timestamp) -> String {
    let mut out = String::new();
    let health = if status.healthy {
        printer.paint_data(SUCCESS, "healthy")
    } else {
        printer.paint_data(ERROR, "unhealthy")
    };
    let label = |name: &str| printer.paint_data(HEADING, &format!("{name:<9}"));
    let _ = writeln!(
        out,
        "{} {} (namespace {})",
        label("app"),
        status.app,
        status.namespace
    );
    let _ = writeln!(out, "{} {health}: {}", label("health"), status.summary);
    match &status.release {
        Some(release) => {
            let _ = writeln!(out, "{} {}", label("release"), release_line(release, now));
        }
        None => {
            let _ = writeln!(out, "{} none live", label("release"));
        }
    }
    if let Some(latest) = &status.latest_release {
        let _ = writeln!(out, "{} {}", label("latest"), release_line(latest, now));
    }
    if let Some(rollout) = &status.rollout {
        let detail = if rollout.message.is_empty() {
            String::new()
        } else {
            format!(": {}", rollout.message)
        };
        let _ = writeln!(
            out,
            "{} {}{detail} (deployment {}: {} desired, {} updated, {} ready, {} available)",
            label("rollout"),
            rollout.state,
            rollout.deployment,
            rollout.desired,
            rollout.updated,
            rollout.ready,
            rollout.available,
        );
    }
    for (index, url) in status.urls.iter().enumerate() {
        let name = if index == 0 { "urls" } else { "" };
        let _ = writeln!(out, "{} {url}", label(name));
    }
    match &status.scrape {
        Some(Scrape::ScrapedBy(by)) => {
            let by: Vec<String> = by.iter().map(|p| format!("`{p}`")).collect();
            let _ = writeln!(
                out,
                "{} scraped by Prometheus {}",
                label("metrics"),
                by.join(", ")
            );
        }
        Some(Scrape::NotScraped(reasons)) => {
            let _ = writeln!(
                out,
                "{} not scraped: {}",
                label("metrics"),
                reasons.join("; ")
            );
        }
        None => {}
    }
    match &status.usage {
        Some(usage) if usage.pods > 0 => {
            let _ = writeln!(
                out,
                "{} cpu {}, memory {} ({} {})",
                label("usage"),
                millicores(usage.cpu_millicores),
                bytes(usage.memory_bytes),
                usage.pods,
                if usage.pods == 1 { "pod" } else { "pods" }
            );
        }
        // The metrics API answers, but has not scraped these pods yet.
        Some(_) if !status.pods.is_empty() => {
            let _ = writeln!(out, "{} not reported yet", label("usage"));
        }
        _ => {}
    }
    if let Some(diagnosis) = &status.diagnosis {
        // The summary says what is wrong with the pod; the details say how it shows.
        if !status.summary.contains(&diagnosis.summary) {
            let _ = writeln!(
                out,
                "{} pod {}: {}",
                label("problem"),
                diagnosis.pod,
                diagnosis.summary
            );
        }
        for detail in &diagnosis.details {
            let _ = writeln!(out, "{} {detail}", label(""));
        }
    }

    if !status.pods.is_empty() {
        let usage = status.pods.iter().any(|p| p.usage.is_some());
        let mut headers = vec![
            "POD",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "NODE",
            "LAST TERMINATION",
        ];
        if usage {
            headers.extend(["CPU", "MEMORY"]);
        }
        let mut table = Table::new(&headers);
        for pod in &status.pods {
            let mut row = vec![
                pod.name.clone(),
                format!("{}/{}", pod.ready, pod.containers),
                pod.status.clone(),
                pod.restarts.to_string(),
                pod.age_seconds.map_or_else(|| "-".to_owned(), age),
                pod.node.clone().unwrap_or_else(|| "-".to_owned()),
                pod.last_termination
                    .clone()
                    .unwrap_or_else(|| "-".to_owned()),
            ];
            if usage {
                row.push(
                    pod.usage
                        .map_or_else(|| "-".to_owned(), |u| millicores(u.cpu_millicores)),
                );
                row.push(
                    pod.usage
                        .map_or_else(|| "-".to_owned(), |u| bytes(u.memory_bytes)),
                );
            }
            table.row(row);
        }
        out.push('\n');
        out.push_str(&table.render(""));
    }

    if !status.components.is_empty() {
        let mut table = Table::new(&["COMPONENT", "KIND", "VERSION", "READY", "STORAGE", "URL"]);
        for component in &status.components {
            let storage = match (
                &component.storage_requested,
                component.storage_bound.first(),
            ) {
                (Some(asked), Some(bound)) => format!("{asked} asked, {bound} bound"),
                (Some(asked), None) => format!("{asked} asked, not bound"),
                (None, _) => "-".to_owned(),
            };
            table.row(vec![
                component.name.clone(),
                component.kind.clone(),
                component.version.clone(),
                component.pods.clone(),
                storage,
                component.url.clone().unwrap_or_else(|| "-".to_owned()),
            ]);
        }
        out.push('\n');
        out.push_str(&table.render(""));
        for component in &status.components {
            if let Some(to) = &component.upgrade_unfinished {
                let _ = writeln!(
                    out,
                    "component `{}`: its upgrade to {to} did not finish; `paas up --major` finishes it",
                    component.name
                );
            }
        }
    }

    if !status.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            printer.paint_data(HEADING, "Warnings (newest first)")
        );
        let mut table = Table::new(&["AGE", "OBJECT", "REASON", "MESSAGE"]);
        for warning in &status.warnings {
            let count = if warning.count > 1 {
                format!(" (x{})", warning.count)
            } else {
                String::new()
            };
            table.row(vec![
                warning.age_seconds.map_or_else(|| "-".to_owned(), age),
                warning.object.clone(),
                warning.reason.clone(),
                format!("{}{count}", warning.message),
            ]);
        }
        out.push_str(&table.render(""));
    }
    if let Some(diagnosis) = &status.diagnosis
        && !diagnosis.log_tail.is_empty()
    {
        let container = diagnosis
            .container
            .as_deref()
            .map(|c| format!(", container {c}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n{}",
            printer.paint_data(
                HEADING,
                &format!("Last log lines (pod {}{container})", diagnosis.pod)
            )
        );
        for line in &diagnosis.log_tail {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// `2 (deployed, up) 5m ago by dev@host, commit 3f2a1c9, image sha256:0123456789ab`
fn release_line(release: &ReleaseInfo, now: Timestamp) -> String {
    let mut line = format!(
        "{} ({}, {}) {} by {}, commit {}",
        release.revision,
        release.status.as_str(),
        release.description,
        ago(&release.created, now),
        who(&release.user),
        commit(release.git_commit.as_deref(), release.git_dirty),
    );
    match &release.digest {
        Some(digest) => {
            let _ = write!(line, ", image {}", short_digest(digest));
        }
        None => {
            let _ = write!(line, ", image {}", release.image);
        }
    }
    line
}

/// CPU as `kubectl top` prints it: millicores rounded up (`1m`, `1500m`).
fn millicores(value: f64) -> String {
    format!("{}m", value.ceil())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{ColorChoice, OutputFormat};
    use crate::deploy::release::ReleaseStatus;
    use crate::deploy::status::{PodInfo, PodUsage, Rollout, Usage, Warning};
    use crate::kube::diagnose::{Diagnosis, DiagnosisKind};

    fn pod(name: &str, ready: usize, shown: &str, restarts: i32, usage: f64) -> PodInfo {
        PodInfo {
            name: name.into(),
            ready,
            containers: 1,
            phase: "Running".into(),
            status: shown.into(),
            restarts,
            created: None,
            age_seconds: Some(if ready == 1 { 7_300 } else { 65 }),
            node: Some("node-1".into()),
            last_termination: (restarts > 0).then(|| "Error (exit code 1)".into()),
            usage: Some(PodUsage {
                cpu_millicores: usage,
                memory_bytes: 12 * 1024 * 1024,
            }),
        }
    }

    #[test]
    fn one_screen_with_pods_warnings_usage_and_the_log() {
        let release = ReleaseInfo {
            revision: 7,
            status: ReleaseStatus::Deployed,
            image: "r/web@sha256:7f5c05b30b00ff55".into(),
            digest: Some("sha256:7f5c05b30b00ff55".into()),
            git_commit: Some("3f2a1c9".into()),
            git_dirty: false,
            user: "ana@ci pid 7".into(),
            created: "2026-11-27T08:00:00Z".into(),
            finished: None,
            description: "up".into(),
        };
        let status = AppStatus {
            app: "web".into(),
            namespace: "shop".into(),
            healthy: false,
            summary: "pod web-2: container `web` keeps crashing (exit code 1, 4 restarts)".into(),
            release: Some(release.clone()),
            latest_release: Some(ReleaseInfo {
                revision: 8,
                status: ReleaseStatus::Failed,
                git_dirty: true,
                created: "2026-11-27T09:59:00Z".into(),
                ..release
            }),
            rollout: Some(Rollout {
                deployment: "web".into(),
                state: "progressing",
                message: "1 old replica is pending termination".into(),
                desired: 1,
                updated: 1,
                ready: 1,
                available: 1,
            }),
            pods: vec![
                pod("web-1", 1, "Running", 0, 2.2),
                pod("web-2", 0, "CrashLoopBackOff", 4, 0.0),
            ],
            diagnosis: Some(Diagnosis {
                kind: DiagnosisKind::CrashLoop,
                pod: "web-2".into(),
                container: Some("web".into()),
                summary: "container `web` keeps crashing (exit code 1, 4 restarts)".into(),
                details: Vec::new(),
                log_tail: vec!["Error: DATABASE_URL is not set".into()],
                hint: "read its log".into(),
                retryable: false,
                transient: false,
            }),
            warnings: vec![Warning {
                object: "pod/web-2".into(),
                reason: "BackOff".into(),
                message: "Back-off restarting failed container web".into(),
                count: 6,
                last_seen: None,
                age_seconds: Some(8),
            }],
            urls: vec![
                "http://web.shop.svc.cluster.local:80".into(),
                "https://shop.example.com/".into(),
            ],
            usage: Some(Usage {
                cpu_millicores: 2.2,
                memory_bytes: 24 * 1024 * 1024,
                pods: 2,
            }),
            components: Vec::new(),
            scrape: Some(Scrape::ScrapedBy(vec!["monitoring/main".into()])),
        };
        let printer = Printer::new(ColorChoice::Never, OutputFormat::Text, false, false);
        let now: Timestamp = "2026-11-27T10:00:00Z".parse().expect("time");
        let text = render(&status, &printer, now);
        // The styles are stripped where stdout takes no colors.
        let text = anstream::adapter::strip_str(&text).to_string();
        insta::assert_snapshot!(text, @r"
        app       web (namespace shop)
        health    unhealthy: pod web-2: container `web` keeps crashing (exit code 1, 4 restarts)
        release   7 (deployed, up) 2h ago by ana@ci, commit 3f2a1c9, image sha256:7f5c05b30b00
        latest    8 (failed, up) 60s ago by ana@ci, commit 3f2a1c9-dirty, image sha256:7f5c05b30b00
        rollout   progressing: 1 old replica is pending termination (deployment web: 1 desired, 1 updated, 1 ready, 1 available)
        urls      http://web.shop.svc.cluster.local:80
                  https://shop.example.com/
        metrics   scraped by Prometheus `monitoring/main`
        usage     cpu 3m, memory 24.0 MiB (2 pods)

        POD    READY  STATUS            RESTARTS  AGE  NODE    LAST TERMINATION     CPU  MEMORY
        web-1  1/1    Running           0         2h   node-1  -                    3m   12.0 MiB
        web-2  0/1    CrashLoopBackOff  4         65s  node-1  Error (exit code 1)  0m   12.0 MiB

        Warnings (newest first)
        AGE  OBJECT     REASON   MESSAGE
        8s   pod/web-2  BackOff  Back-off restarting failed container web (x6)

        Last log lines (pod web-2, container web)
          Error: DATABASE_URL is not set
        ");
    }
}
