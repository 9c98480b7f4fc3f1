//! `paas domains`: the DNS records to create for the app's hosts, whether DNS answers them yet,
//! and the certificates. What is read and judged is [`crate::domains`].

use std::fmt::Write as _;
use std::time::Instant;

use crate::cli::DomainsArgs;
use crate::commands::{connect, output};
use crate::domains::plan::State;
use crate::domains::{self, DomainsError, DomainsReport, DomainsRequest};
use crate::error::{CliError, ErrorKind, ExitStatus};
use crate::settings::{DomainsSettings, GlobalSettings};
use crate::ui::{ERROR, HEADING, Printer, SUCCESS};

/// How long `--wait` pauses between two checks.
const WAIT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs `paas domains`.
pub(crate) fn run(
    args: &DomainsArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = DomainsSettings::resolve(args, global)?;
    let runtime = crate::commands::runtime()?;
    let (report, timed_out) = runtime.block_on(async {
        let (cluster, namespace) = connect(&settings.app).await?;
        let request = DomainsRequest {
            app: settings.app.app.clone(),
            namespace,
            configured_hosts: settings.configured_hosts.clone(),
            dns: settings.dns.clone(),
        };
        let started = Instant::now();
        let mut last_summary = String::new();
        loop {
            let view = domains::read_cluster(&cluster.client, &request)
                .await
                .map_err(domains_error)?;
            let report = domains::check(&view, &request.dns)
                .await
                .map_err(domains_error)?;
            if report.ok || !settings.wait {
                return Ok::<_, CliError>((report, false));
            }
            if started.elapsed() + WAIT_INTERVAL > settings.timeout {
                return Ok((report, true));
            }
            let summary = waiting_for(&report);
            if summary != last_summary {
                printer.status("Waiting", &summary);
                last_summary = summary;
            }
            printer.progress_message(&format!("waiting for {}", waiting_for(&report)));
            tokio::time::sleep(WAIT_INTERVAL).await;
        }
    })?;
    printer.progress_message("");
    if printer.json() {
        output(printer.data_json(&report))?;
    } else {
        output(printer.data(&render(&report, printer)))?;
    }
    if report.ok {
        return Ok(ExitStatus::Success);
    }
    let not_ok: Vec<&domains::HostReport> = report
        .hosts
        .iter()
        .filter(|h| h.state != State::Ok)
        .collect();
    let certificates = report.tls.iter().filter(|t| !t.ok).count();
    let mut what = Vec::new();
    if !not_ok.is_empty() {
        what.push(format!(
            "{} of {} {} {} not ok ({})",
            not_ok.len(),
            report.hosts.len(),
            if report.hosts.len() == 1 {
                "host"
            } else {
                "hosts"
            },
            if not_ok.len() == 1 { "is" } else { "are" },
            not_ok
                .iter()
                .map(|h| format!("`{}` {}", h.host, h.state.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if certificates > 0 {
        what.push(format!(
            "{certificates} {} not ready",
            if certificates == 1 {
                "certificate is"
            } else {
                "certificates are"
            }
        ));
    }
    let message = if timed_out {
        format!(
            "gave up after {}: {}",
            shown(settings.timeout),
            what.join("; ")
        )
    } else {
        what.join("; ")
    };
    let hint = if not_ok.iter().any(|h| h.state == State::NoAddress) {
        "check that an ingress controller serves the Ingress's class (`kubectl get ingress` shows its address)"
    } else if not_ok.iter().all(|h| h.state == State::Propagating) && !not_ok.is_empty() {
        "the records are right; resolvers pick them up when their cached answers expire: `paas domains --wait` waits for that"
    } else if timed_out {
        "fix the records as listed above, or raise `--timeout`"
    } else {
        "create or fix the records as listed above, then run `paas domains --wait`"
    };
    Err(CliError::failed(anyhow::anyhow!(message)).hinted(hint))
}

/// `90s`, `10m`, `1h30m`.
fn shown(duration: std::time::Duration) -> String {
    let secs = duration.as_secs();
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

fn waiting_for(report: &DomainsReport) -> String {
    let mut parts: Vec<String> = report
        .hosts
        .iter()
        .filter(|h| h.state != State::Ok)
        .map(|h| format!("`{}` ({})", h.host, h.state.as_str()))
        .collect();
    parts.extend(
        report
            .tls
            .iter()
            .filter(|t| !t.ok)
            .map(|t| format!("certificate `{}` ({})", t.secret, t.state)),
    );
    parts.join(", ")
}

fn domains_error(err: DomainsError) -> CliError {
    match err {
        DomainsError::NoIngress { .. } => CliError::failed(err).hinted(
            "set `hosts` under `[ingress]` in `paas.toml` and run `paas up`; if the app runs elsewhere, check `--namespace`, `--env` and `--context`",
        ),
        err @ DomainsError::Dns(_) => CliError::failed(err),
        err @ (DomainsError::Kube(_) | DomainsError::Components(_)) => {
            let error = CliError::new(err);
            if error.kind == ErrorKind::Retryable {
                error.hinted("check that the cluster is up and reachable")
            } else {
                error.hinted("check that you may read Ingresses, Services and Secrets in the namespace")
            }
        }
    }
}

/// The human view: the address, each host with its record and findings, the certificates,
/// the internal names.
fn render(report: &DomainsReport, printer: &Printer) -> String {
    let mut out = String::new();
    let label = |name: &str| printer.paint_data(HEADING, &format!("{name:<10}"));
    let _ = writeln!(
        out,
        "{} {} (namespace {}, Ingress {})",
        label("app"),
        report.app,
        report.namespace,
        report.ingress
    );
    let address: Vec<String> = report
        .address
        .ips
        .iter()
        .map(ToString::to_string)
        .chain(report.address.hostnames.iter().cloned())
        .collect();
    let _ = writeln!(
        out,
        "{} {}",
        label("address"),
        if address.is_empty() {
            "none yet".to_owned()
        } else {
            address.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "{} {}",
        label("resolvers"),
        report.resolvers.join(", ")
    );
    for host in &report.hosts {
        let state = if host.state == State::Ok {
            printer.paint_data(SUCCESS, host.state.as_str())
        } else {
            printer.paint_data(ERROR, host.state.as_str())
        };
        let _ = writeln!(
            out,
            "\n{}  {state}",
            printer.paint_data(HEADING, &host.host)
        );
        let _ = writeln!(out, "  record: {}", host.plan.instruction);
        for finding in &host.findings {
            let _ = writeln!(out, "  {}: {}", finding.state.as_str(), finding.message);
        }
    }
    if !report.tls.is_empty() {
        let _ = writeln!(out, "\n{}", printer.paint_data(HEADING, "Certificates"));
        for tls in &report.tls {
            let issuer = tls
                .issuer
                .as_deref()
                .map(|i| format!(", issuer {i}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} ({}{issuer}): {}: {}",
                tls.secret,
                tls.hosts.join(", "),
                tls.state,
                tls.message
            );
        }
    }
    if !report.internal.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            printer.paint_data(HEADING, "Inside the cluster")
        );
        for name in &report.internal {
            let who = if name.kind == "app" {
                name.name.clone()
            } else {
                format!("{} ({})", name.name, name.kind)
            };
            let _ = writeln!(out, "  {who:<16} {}", name.url);
        }
    }
    out
}
