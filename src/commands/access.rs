//! `paas access` (the audit: who may call whom in a namespace) and `paas access check` (the
//! proof on the cluster, with probe pods); the work is [`crate::access`].

use serde::Serialize;

use crate::access::audit::{self, Audit, Peer};
use crate::access::check::{self, CheckEvent, CheckPlan, CheckReport, CheckReporter, Enforcement};
use crate::cli::AccessArgs;
use crate::commands::{connect_to, output, runtime};
use crate::error::{CliError, ErrorKind, ExitStatus};
use crate::settings::{AccessSettings, GlobalSettings};
use crate::ui::Printer;
use crate::ui::table::Table;

/// Runs `paas access` or `paas access check`.
pub(crate) fn run(
    args: &AccessArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = AccessSettings::resolve(args, global)?;
    runtime()?.block_on(async {
        let (cluster, namespace) =
            connect_to(settings.kube_context.as_deref(), settings.namespace.as_deref()).await?;
        let audit = audit::read(&cluster.client, &namespace)
            .await
            .map_err(|err| api_error(err, &namespace))?;
        let Some(probe) = &settings.check else {
            show_audit(&audit, printer)?;
            return Ok(ExitStatus::Success);
        };
        let plan = CheckPlan {
            namespace: namespace.clone(),
            image: probe.image.clone(),
            start_timeout: probe.start_timeout,
            settle: probe.settle,
        };
        let report = check::check(&cluster.client, &plan, &audit, &Reporter(printer))
            .await
            .map_err(check_error)?;
        show_check(&report, printer)?;
        let wrong = report.mismatches();
        match &report.enforcement {
            Enforcement::NotEnforced => {
                let message = format!(
                    "NetworkPolicy is NOT enforced in this cluster: a probe behind a policy that lets no one in answered. The access rules of namespace `{namespace}` are written, and nothing holds them"
                );
                let hint = "the cluster's network plugin ignores NetworkPolicy (flannel and k3s' default do): install an enforcer such as Calico, Cilium or kube-router, then run `paas access check` again";
                if probe.strict {
                    return Err(CliError::failed(anyhow::anyhow!(message)).hinted(hint));
                }
                printer.warn(message);
                printer.hint(format_args!("{hint}; `--strict` makes this an error"));
                Ok(ExitStatus::Success)
            }
            Enforcement::Unknown(reason) => Err(CliError::failed(anyhow::anyhow!(
                "cannot tell whether NetworkPolicy is enforced: {reason}"
            ))
            .hinted("check the probe image (`--image`) and that pods of the namespace can reach one another")),
            Enforcement::Enforced if wrong.is_empty() => {
                printer.status(
                    "Checked",
                    format_args!(
                        "NetworkPolicy is enforced, and each of the {} calls went as the rules say ({:.1}s)",
                        report.calls.len(),
                        report.seconds
                    ),
                );
                Ok(ExitStatus::Success)
            }
            Enforcement::Enforced => Err(CliError::failed(anyhow::anyhow!(
                "{} of {} calls went against the rules: {}",
                wrong.len(),
                report.calls.len(),
                wrong
                    .iter()
                    .map(|c| format!(
                        "`{}` → `{}` was {} (the rules {} it)",
                        c.from,
                        c.to,
                        if c.observed { "let through" } else { "refused" },
                        if c.expected { "allow" } else { "refuse" }
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
            .hinted(format!(
                "a policy not written by paas may add or take away (`paas access -n {namespace}` lists them), or the enforcer needs longer: try `--settle 60s`"
            ))),
        }
    })
}

/// Reports the check's steps on stderr.
struct Reporter<'a>(&'a Printer);

impl CheckReporter for Reporter<'_> {
    fn event(&self, event: &CheckEvent<'_>) {
        match event {
            CheckEvent::Starting { pods, image } => self
                .0
                .status("Starting", format_args!("{pods} probe pods (`{image}`)")),
            CheckEvent::Running { elapsed } => self.0.status(
                "Running",
                format_args!("every probe pod ({:.1}s)", elapsed.as_secs_f64()),
            ),
            CheckEvent::Calling { calls } => {
                self.0.status("Calling", format_args!("{calls} directions"));
            }
            CheckEvent::Removing => self.0.status("Removing", "the probe pods"),
        }
    }
}

fn api_error(err: kube::Error, namespace: &str) -> CliError {
    let error = CliError::new(anyhow::Error::new(err).context(format!(
        "failed to read the access rules and workloads of namespace `{namespace}`"
    )));
    if error.kind == ErrorKind::Retryable {
        error.hinted("check that the cluster is up and reachable")
    } else {
        error.hinted("paas reads Deployments, StatefulSets, NetworkPolicies and the Namespace: check that you may list them")
    }
}

fn check_error(err: check::CheckError) -> CliError {
    match err {
        check::CheckError::NoApps { .. } => CliError::usage(err)
            .hinted("deploy an app with `paas up` first, or check `--namespace` and `--context`"),
        check::CheckError::NotRunning { .. } => CliError::failed(err).hinted(
            "the probe image must be pullable by the cluster: name a mirror with `--image` (a busybox), or raise `--timeout`",
        ),
        check::CheckError::Stopped => CliError::new(err),
        check::CheckError::Exec { .. } => CliError::new(err)
            .hinted("paas runs `nc` in the probe pods: check that you may exec into pods, and that the image is a busybox"),
        check::CheckError::Api { .. } => {
            let error = CliError::new(err);
            if error.kind == ErrorKind::Retryable {
                error.hinted("check that the cluster is up and reachable")
            } else {
                error.hinted("the check creates pods, a ConfigMap and a NetworkPolicy in the namespace: check that you may")
            }
        }
    }
}

/// The audit view: each workload's callers (and destinations), then the matrix.
fn show_audit(audit: &Audit, printer: &Printer) -> Result<(), CliError> {
    if printer.json() {
        output(printer.data_json(audit))?;
    } else if audit.entries.is_empty() {
        printer.note(format_args!(
            "no app deployed by paas in namespace `{}`",
            audit.namespace
        ));
    } else {
        output(printer.data(&render_audit(audit)))?;
    }
    if !audit.other_policies.is_empty() {
        printer.note(format_args!(
            "policies not written by paas also apply here (counted above): {}",
            audit
                .other_policies
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

fn peer_rows(table: &mut Table, id: &str, peers: Option<&[Peer]>, open: &str) {
    match peers {
        None => table.row(vec![id.to_owned(), open.to_owned(), String::new()]),
        Some([]) => table.row(vec![id.to_owned(), "no one".to_owned(), String::new()]),
        Some(peers) => {
            for (i, peer) in peers.iter().enumerate() {
                table.row(vec![
                    if i == 0 { id.to_owned() } else { String::new() },
                    peer.who.clone(),
                    if peer.ports.is_empty() {
                        "any".to_owned()
                    } else {
                        peer.ports.join(", ")
                    },
                ]);
            }
        }
    }
}

/// The audit as text.
fn render_audit(audit: &Audit) -> String {
    let mut callers = Table::new(&["APP", "MAY BE CALLED BY", "ON PORT"]);
    for entry in &audit.entries {
        peer_rows(
            &mut callers,
            &entry.id,
            entry.callers.as_deref(),
            "anyone (no access rules)",
        );
    }
    let mut out = callers.render("");
    let restricted: Vec<_> = audit
        .entries
        .iter()
        .filter(|e| e.destinations.is_some())
        .collect();
    if !restricted.is_empty() {
        let mut destinations = Table::new(&["APP", "MAY CALL", "ON PORT"]);
        for entry in restricted {
            peer_rows(
                &mut destinations,
                &entry.id,
                entry.destinations.as_deref(),
                "",
            );
        }
        out.push('\n');
        out.push_str(&destinations.render(""));
    }
    let callers: Vec<&str> = audit
        .entries
        .iter()
        .filter(|e| e.workload.component.is_none())
        .map(|e| e.id.as_str())
        .collect();
    let targets: Vec<&str> = audit.entries.iter().map(|e| e.id.as_str()).collect();
    if !callers.is_empty() && targets.len() > 1 {
        let mut header = vec!["CALLER \\ CALLEE"];
        header.extend(&targets);
        let mut matrix = Table::new(&header);
        for from in &callers {
            let mut row = vec![(*from).to_owned()];
            for to in &targets {
                row.push(match audit.allows(from, to) {
                    _ if from == to => "-".to_owned(),
                    Some(true) => "yes".to_owned(),
                    Some(false) => "no".to_owned(),
                    None => "?".to_owned(),
                });
            }
            matrix.row(row);
        }
        out.push('\n');
        out.push_str(&matrix.render(""));
    }
    out
}

/// What `paas access check --output json` prints.
#[derive(Debug, Serialize)]
struct CheckJson<'a> {
    #[serde(flatten)]
    report: &'a CheckReport,
    /// Whether every call went as the rules say.
    as_the_rules_say: bool,
}

/// The check's matrix.
fn show_check(report: &CheckReport, printer: &Printer) -> Result<(), CliError> {
    if printer.json() {
        return output(printer.data_json(&CheckJson {
            report,
            as_the_rules_say: report.mismatches().is_empty(),
        }));
    }
    let mut table = Table::new(&["CALLER", "CALLEE", "RULES", "PROBE", ""]);
    for call in &report.calls {
        table.row(vec![
            call.from.clone(),
            call.to.clone(),
            if call.expected { "allow" } else { "refuse" }.to_owned(),
            if call.observed {
                "let through"
            } else {
                "refused"
            }
            .to_owned(),
            if call.expected == call.observed {
                "ok"
            } else {
                "WRONG"
            }
            .to_owned(),
        ]);
    }
    output(printer.data(&table.render("")))
}
