//! `paas logs`: the logs of every pod and container of the app.
//!
//! The reading is [`crate::kube::logs`]; this file resolves the settings, turns the events into
//! lines (a `pod/container` prefix, aligned and colored per pod by the printer, or one JSON
//! object per line) and status messages, and decides the exit code. Ctrl-C ends `--follow`
//! normally (exit 0); it interrupts a plain read (exit 130).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::mpsc;

use super::{connect, runtime};
use crate::cli::LogsArgs;
use crate::error::{CliError, ExitStatus};
use crate::kube::logs::{self, LogEvent, LogLine, LogsError, LogsRequest};
use crate::settings::{GlobalSettings, LogsSettings};
use crate::ui::{POD_COLORS, Printer};

/// How much output is gathered before one write to stdout.
const WRITE_BATCH: usize = 64 * 1024;

/// Runs `paas logs`.
pub(crate) fn run(
    args: &LogsArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = LogsSettings::resolve(args, global)?;
    if settings.app.target.is_docker() {
        crate::commands::local::say_target(&settings.app.target, printer);
        return crate::commands::local::logs(&settings, printer);
    }
    runtime()?.block_on(stream(&settings, printer))
}

async fn stream(settings: &LogsSettings, printer: &Printer) -> Result<ExitStatus, CliError> {
    let (cluster, namespace) = connect(&settings.app).await?;
    let request = LogsRequest {
        namespace: namespace.clone(),
        app: settings.app.app.clone(),
        follow: settings.follow,
        since: settings.since,
        tail: settings.tail.map(i64::from),
        previous: settings.previous,
        container: settings.container.clone(),
        component: settings.component.clone(),
        grep: settings.grep.clone(),
        pod_timeout: settings.pod_timeout,
    };
    let (sender, mut events) = mpsc::channel(256);
    let reader = logs::run(cluster.client, request, sender);
    tokio::pin!(reader);
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);
    let mut view = LogView::new(printer.json(), settings.timestamps, printer.data_color());
    let mut outcome = None;
    let mut buffer = String::new();
    loop {
        tokio::select! {
            _ = &mut interrupt => {
                flush(printer, &mut buffer)?;
                return Ok(if settings.follow { ExitStatus::Success } else { ExitStatus::Interrupted });
            }
            event = events.recv() => {
                let Some(event) = event else { break };
                view.handle(event, &mut buffer, printer, &settings.app.app, &namespace);
                while buffer.len() < WRITE_BATCH {
                    let Ok(event) = events.try_recv() else { break };
                    view.handle(event, &mut buffer, printer, &settings.app.app, &namespace);
                }
                if !flush(printer, &mut buffer)? {
                    return Ok(ExitStatus::Success);
                }
            }
            result = &mut reader, if outcome.is_none() => outcome = Some(result),
        }
    }
    match outcome {
        Some(Err(err)) => Err(logs_error(err)),
        _ if view.failed > 0 => Err(CliError::failed(anyhow::anyhow!(
            "failed to read the log of {} container{}",
            view.failed,
            if view.failed == 1 { "" } else { "s" }
        ))
        .hinted("the warnings above say why; `paas status` shows the pods")),
        _ => Ok(ExitStatus::Success),
    }
}

/// Writes what was gathered; `false` when stdout's reader is gone.
fn flush(printer: &Printer, buffer: &mut String) -> Result<bool, CliError> {
    if buffer.is_empty() {
        return Ok(true);
    }
    let open = printer.data_stream(buffer).map_err(|err| {
        CliError::failed(anyhow::Error::new(err).context("failed to write to stdout"))
    })?;
    buffer.clear();
    Ok(open)
}

fn logs_error(err: LogsError) -> CliError {
    match err {
        LogsError::NoPods { .. } => CliError::failed(err).hinted(
            "is the app deployed in this namespace? `paas status` shows it; `--pod-timeout` waits longer",
        ),
        LogsError::UnknownContainer { .. } => {
            CliError::usage(err).hinted("name one of those containers with `-c`, or leave `-c` out")
        }
        LogsError::Kube(_) => {
            let error = CliError::new(err);
            if error.kind == crate::error::ErrorKind::Retryable {
                error.hinted("check that the cluster is up and reachable")
            } else {
                error.hinted("check the namespace and `--context`")
            }
        }
    }
}

/// One line of `--output json`.
#[derive(Serialize)]
struct JsonLine<'a> {
    pod: &'a str,
    container: &'a str,
    time: Option<&'a str>,
    line: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    previous: bool,
}

/// Turns events into output: data lines into the buffer, the rest into status messages.
struct LogView {
    json: bool,
    timestamps: bool,
    /// Stdout takes colors.
    color: bool,
    /// The widest `pod/container` prefix so far (prefixes are padded to it).
    width: usize,
    /// The color of each pod, in the order they started.
    colors: HashMap<String, anstyle::Style>,
    /// The painted, padded prefix of each container (cleared when the width grows).
    prefixes: HashMap<(Arc<str>, Arc<str>), String>,
    /// Containers whose log could not be read.
    failed: usize,
}

impl LogView {
    fn new(json: bool, timestamps: bool, color: bool) -> Self {
        Self {
            json,
            timestamps,
            color,
            width: 0,
            colors: HashMap::new(),
            prefixes: HashMap::new(),
            failed: 0,
        }
    }

    fn handle(
        &mut self,
        event: LogEvent,
        out: &mut String,
        printer: &Printer,
        app: &str,
        namespace: &str,
    ) {
        match event {
            LogEvent::Lines(lines) => {
                for line in &lines {
                    self.line(line, out, printer);
                }
            }
            LogEvent::Started { pod, container } => self.start(&pod, &container),
            LogEvent::WaitingForPods => printer.status(
                "Waiting",
                format_args!("for a pod of `{app}` in namespace `{namespace}`…"),
            ),
            LogEvent::NotStarted {
                pod,
                container,
                reason,
            } => {
                let message = format!("for `{pod}/{container}` to start ({reason})");
                // Every pod of a rollout passes through these; only other reasons are news.
                if matches!(
                    reason.as_str(),
                    "Pending" | "ContainerCreating" | "PodInitializing"
                ) {
                    printer.verbose(format_args!("Waiting {message}"));
                } else {
                    printer.status("Waiting", message);
                }
            }
            LogEvent::NeverRestarted { pod, container } => printer.status(
                "Skipped",
                format_args!("`{pod}/{container}`: it never restarted, so it has no previous log"),
            ),
            LogEvent::PodGone { pod } => printer.verbose(format_args!("pod `{pod}` is gone")),
            LogEvent::Reconnecting {
                pod,
                container,
                after,
                cause,
            } => printer.verbose(format_args!(
                "`{pod}/{container}`: {cause}; reconnecting in {}s",
                after.as_secs()
            )),
            LogEvent::Failed {
                pod,
                container,
                error,
            } => {
                self.failed += 1;
                printer.warn(format_args!(
                    "failed to read the log of `{pod}/{container}`: {}",
                    logs::neutralize(&error)
                ));
            }
            LogEvent::Queued { pod, container } => printer.warn(format_args!(
                "more than {} containers to follow: `{pod}/{container}` waits for a free stream",
                logs::MAX_FOLLOWED
            )),
        }
    }

    fn start(&mut self, pod: &str, container: &str) {
        let width = self.width.max(pod.len() + 1 + container.len());
        if width != self.width {
            self.width = width;
            self.prefixes.clear();
        }
        let next = POD_COLORS[self.colors.len() % POD_COLORS.len()];
        self.colors.entry(pod.to_owned()).or_insert(next);
    }

    fn line(&mut self, line: &LogLine, out: &mut String, printer: &Printer) {
        if self.json {
            let record = JsonLine {
                pod: &line.pod,
                container: &line.container,
                time: line.time.as_deref(),
                line: &line.text,
                previous: line.previous,
            };
            if let Ok(text) = serde_json::to_string(&record) {
                out.push_str(&text);
                out.push('\n');
            }
            return;
        }
        if !self.colors.contains_key(&*line.pod) {
            self.start(&line.pod, &line.container);
        }
        let key = (Arc::clone(&line.pod), Arc::clone(&line.container));
        let prefix = self.prefixes.entry(key).or_insert_with(|| {
            let padded = format!(
                "{:<width$}",
                format!("{}/{}", line.pod, line.container),
                width = self.width
            );
            match self.colors.get(&*line.pod) {
                Some(style) if self.color => printer.paint_data(*style, &padded),
                _ => padded,
            }
        });
        out.push_str(prefix);
        out.push(' ');
        if self.timestamps
            && let Some(time) = &line.time
        {
            let _ = write!(out, "{time} ");
        }
        // A JSON line (the packs' apps log JSON) reads as time, level, message and key fields;
        // `--output json` keeps it as written.
        let readable = crate::logline::readable(&line.text);
        out.push_str(&logs::neutralize(readable.as_deref().unwrap_or(&line.text)));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{ColorChoice, OutputFormat};

    fn line(pod: &str, container: &str, time: &str, text: &str) -> LogEvent {
        LogEvent::Lines(vec![LogLine {
            pod: pod.into(),
            container: container.into(),
            time: Some(time.into()),
            text: text.into(),
            previous: false,
        }])
    }

    fn events() -> Vec<LogEvent> {
        vec![
            LogEvent::Started {
                pod: "web-7d9c5-x2k4q".into(),
                container: "web".into(),
            },
            LogEvent::Started {
                pod: "web-7d9c5-a1b2c".into(),
                container: "sidecar".into(),
            },
            line(
                "web-7d9c5-x2k4q",
                "web",
                "2026-01-01T00:00:00.1Z",
                "listening on :8080",
            ),
            line(
                "web-7d9c5-a1b2c",
                "sidecar",
                "2026-01-01T00:00:00.2Z",
                "\u{1b}[31mred\u{1b}[0m and a bell\u{7}",
            ),
            line(
                "web-7d9c5-x2k4q",
                "web",
                "2026-01-01T00:00:01Z",
                "GET / 200\tcaf\u{fffd}",
            ),
        ]
    }

    fn render(json: bool, timestamps: bool) -> String {
        render_events(json, timestamps, events())
    }

    fn render_events(json: bool, timestamps: bool, events: Vec<LogEvent>) -> String {
        let printer = Printer::new(ColorChoice::Never, OutputFormat::Text, true, false);
        let mut view = LogView::new(json, timestamps, true);
        let mut out = String::new();
        for event in events {
            view.handle(event, &mut out, &printer, "web", "shop");
        }
        out
    }

    #[test]
    fn json_lines_read_as_time_level_and_message_and_stay_raw_in_json() {
        let access = r#"{"time":"2026-12-03T12:46:28+00:00","remote_addr":"10.244.0.13","method":"GET","path":"/","protocol":"HTTP/1.1","status":200,"bytes":279,"duration":0.000,"referer":"","user_agent":"curl/7.88.1","forwarded_for":""}"#;
        let events = || {
            vec![line(
                "web-7d9c5-x2k4q",
                "web",
                "2026-12-03T12:46:28.1Z",
                access,
            )]
        };
        let text = anstream::adapter::strip_str(&render_events(false, false, events())).to_string();
        insta::assert_snapshot!(text, @"web-7d9c5-x2k4q/web 2026-12-03T12:46:28+00:00 GET / 200 279B 0.0s remote_addr=10.244.0.13 user_agent=curl/7.88.1");
        let json = render_events(true, false, events());
        let record: serde_json::Value = serde_json::from_str(json.trim()).expect("JSON");
        assert_eq!(record["line"], access, "as the app wrote it");
    }

    #[test]
    fn prefixes_are_aligned_colored_per_pod_and_lines_neutralized() {
        // The printer strips the colors when stdout does not take them; here they show.
        insta::assert_snapshot!("logs_text", render(false, false).replace('\u{1b}', "<ESC>"));
        insta::assert_snapshot!(
            "logs_text_timestamps",
            anstream::adapter::strip_str(&render(false, true)).to_string()
        );
    }

    fn settings(args: &[&str]) -> Result<LogsSettings, CliError> {
        let cli = <crate::cli::Cli as clap::Parser>::try_parse_from(
            ["paas", "logs", "--app", "web"].iter().chain(args),
        )
        .expect("valid flags");
        let crate::cli::Command::Logs(args) = &cli.command else {
            panic!("logs");
        };
        let folder = tempfile::tempdir().expect("temp dir");
        let global = GlobalSettings {
            directory: folder.path().to_owned(),
            yes: false,
            user: crate::config::UserConfig::default(),
            pack_path: Vec::new(),
        };
        LogsSettings::resolve(args, &global)
    }

    #[test]
    fn tail_defaults_to_everything_and_to_ten_when_following() {
        assert_eq!(settings(&[]).expect("settings").tail, None);
        assert_eq!(settings(&["-f"]).expect("settings").tail, Some(10));
        assert_eq!(
            settings(&["-f", "--tail", "3"]).expect("settings").tail,
            Some(3)
        );
        let err = settings(&["--grep", "(unclosed"]).expect_err("a bad pattern");
        assert_eq!(err.exit_status(), ExitStatus::Usage);
        assert!(err.hints[0].contains("--grep"), "{:?}", err.hints);
    }

    #[test]
    fn json_is_one_object_per_line() {
        let text = render(true, false);
        insta::assert_snapshot!("logs_json", text);
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
            assert!(value["pod"].is_string() && value["line"].is_string());
        }
    }
}
