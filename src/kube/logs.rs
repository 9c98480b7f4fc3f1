//! The logs of an app's pods: which containers to read, reading them (once, or following), and
//! resuming a cut stream without repeating lines.
//!
//! [`run`] sends [`LogEvent`]s through a channel and never prints; the command formats them.
//!
//! * Pods are found by a label selector through a watcher, so with `follow` the pods that start
//!   during a rollout join and deleted ones leave (their streams are stopped).
//! * Every request asks for `timestamps=true`: after a cut, the stream is opened again with
//!   `sinceTime` (whole seconds, the API's precision) and [`Resume`] drops the lines at or before
//!   the last one already sent, so nothing is repeated.
//! * Without `follow`, containers are read concurrently (at most [`MAX_REQUESTS`] at once) but
//!   their lines are sent in order, one container after the other, as `kubectl logs` prints
//!   them.
//! * A container that has not started is reported once ([`LogEvent::NotStarted`]), not retried
//!   into an error storm; with `previous`, a container that never restarted is reported
//!   ([`LogEvent::NeverRestarted`]) and skipped.
//!
//! Lines are sent as the app wrote them (bytes decoded lossily, the line end removed); making
//! them safe for a terminal is the formatter's job ([`neutralize`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::{AsyncBufRead, AsyncBufReadExt as _, StreamExt as _};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, LogParams};
use kube::runtime::{WatchStreamExt as _, watcher};
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

use super::KubeError;

/// How many log requests run at once without `follow`.
pub const MAX_REQUESTS: usize = 10;
/// How many containers are followed at once; the others wait for a free slot.
pub const MAX_FOLLOWED: usize = 100;
/// How many batches of lines each container may read ahead of the one being printed, without
/// `follow`.
const CONTAINER_BUFFER: usize = 4;
/// The first pause before a cut stream is reopened; it doubles while nothing new comes.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest pause between two attempts to reopen a cut stream.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What to read: plain data resolved by the command layer.
#[derive(Debug, Clone)]
pub struct LogsRequest {
    /// The namespace of the pods.
    pub namespace: String,
    /// The app; its pods are those with paas's labels for it
    /// ([`crate::labels::app_selector`]), which the pod template carries too, so no
    /// Deployment needs to be read first.
    pub app: String,
    /// Keep streaming; pods that start later join.
    pub follow: bool,
    /// Only lines newer than this.
    pub since: Option<Duration>,
    /// The last N lines of each container.
    pub tail: Option<i64>,
    /// The log of the previous instance of each container.
    pub previous: bool,
    /// Only this container.
    pub container: Option<String>,
    /// The component whose pods are read ([`crate::labels::component_selector`]); else the
    /// app's own pods ([`crate::labels::app_pods_selector`]).
    pub component: Option<String>,
    /// Only lines matching this.
    pub grep: Option<regex::Regex>,
    /// How long to wait for a pod with a container to read.
    pub pod_timeout: Duration,
}

/// One line of one container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// The pod.
    pub pod: Arc<str>,
    /// The container.
    pub container: Arc<str>,
    /// When the cluster received the line (RFC 3339, as the API wrote it).
    pub time: Option<String>,
    /// The line as the app wrote it, decoded lossily, without its line end.
    pub text: String,
    /// The line comes from the previous instance of the container.
    pub previous: bool,
}

/// What [`run`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEvent {
    /// Lines of one container, in order (as many as one read gave).
    Lines(Vec<LogLine>),
    /// A container's stream starts (its prefix is known from now on).
    Started {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
    },
    /// No pod with a container to read yet; waiting (sent once).
    WaitingForPods,
    /// A pod was deleted; its streams stopped.
    PodGone {
        /// The pod.
        pod: String,
    },
    /// A container has not started, so it has no log yet (sent once per reason).
    NotStarted {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// Why, as the kubelet says (`ContainerCreating`, `ImagePullBackOff`, `Pending`).
        reason: String,
    },
    /// With `previous`: the container never restarted, so there is no previous log.
    NeverRestarted {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
    },
    /// A stream was cut; it is reopened after `after`.
    Reconnecting {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// The pause before the next attempt.
        after: Duration,
        /// What cut it.
        cause: String,
    },
    /// A container's log could not be read (without `follow`, it is skipped).
    Failed {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// What the API server said.
        error: String,
    },
    /// Too many containers to follow at once: this one waits for a free slot.
    Queued {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
    },
}

/// Why [`run`] stopped before reading anything.
#[derive(Debug, thiserror::Error)]
pub enum LogsError {
    /// No pod (or no pod with a started container) appeared in time.
    #[error(
        "no pod of `{app}` in namespace `{namespace}` {} within {}s",
        if *pods == 0 { "appeared".to_owned() } else { format!("has a started container ({pods} waiting)") },
        waited.as_secs()
    )]
    NoPods {
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
        /// How long it waited.
        waited: Duration,
        /// How many pods exist, none of them started.
        pods: usize,
    },
    /// `container` is not a container of any of the pods.
    #[error(
        "no container `{container}` in the pods of `{app}` (containers: {})",
        super::list(known)
    )]
    UnknownContainer {
        /// The container asked for.
        container: String,
        /// The app.
        app: String,
        /// The containers the pods have.
        known: Vec<String>,
    },
    /// Watching the pods failed.
    #[error(transparent)]
    Kube(#[from] KubeError),
}

/// One container to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Target {
    pod: String,
    container: String,
}

/// What a container offers to read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Readiness {
    /// It has a log.
    Readable,
    /// It has not started (the reason).
    NotStarted(String),
    /// `previous` was asked and it never restarted.
    NeverRestarted,
}

/// Reads the logs `request` asks for and sends them to `events`. Without `follow` it returns
/// once every container was read; with `follow` it runs until it is dropped (or `events` is
/// closed). Dropping it stops every stream.
///
/// # Errors
///
/// [`LogsError::NoPods`] when no pod with a container to read appears within the pod timeout,
/// [`LogsError::UnknownContainer`] when `container` names none of the pods' containers.
pub async fn run(
    client: kube::Client,
    request: LogsRequest,
    events: mpsc::Sender<LogEvent>,
) -> Result<(), LogsError> {
    let api: Api<Pod> = Api::namespaced(client, &request.namespace);
    let selector = match &request.component {
        Some(component) => crate::labels::component_selector(&request.app, component),
        None => crate::labels::app_pods_selector(&request.app),
    };
    let config = watcher::Config::default().labels(&selector);
    let mut pods_stream = watcher(api.clone(), config).default_backoff().boxed();
    let request = Arc::new(request);
    let mut pods: BTreeMap<String, Pod> = BTreeMap::new();
    let mut init: Option<BTreeMap<String, Pod>> = None;
    let mut initialised = false;
    let mut waiting_sent = false;
    let mut reported: BTreeSet<(Target, String)> = BTreeSet::new();
    let mut streams: HashMap<Target, tokio::task::AbortHandle> = HashMap::new();
    let mut tasks = JoinSet::new();
    let slots = Arc::new(Semaphore::new(MAX_FOLLOWED));
    let mut checked_container = false;
    let deadline = tokio::time::sleep(request.pod_timeout);
    tokio::pin!(deadline);
    let mut started_any = false;

    loop {
        let event = tokio::select! {
            event = pods_stream.next() => event,
            () = &mut deadline, if !started_any => {
                return Err(LogsError::NoPods {
                    app: request.app.clone(),
                    namespace: request.namespace.clone(),
                    waited: request.pod_timeout,
                    pods: pods.len(),
                });
            }
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
        };
        let Some(event) = event else {
            return Ok(());
        };
        let mut gone = Vec::new();
        match event {
            Ok(watcher::Event::Init) => init = Some(BTreeMap::new()),
            Ok(watcher::Event::InitApply(pod)) => {
                if let (Some(buffer), Some(name)) = (init.as_mut(), pod.metadata.name.clone()) {
                    buffer.insert(name, pod);
                }
            }
            Ok(watcher::Event::InitDone) => {
                let fresh = init.take().unwrap_or_default();
                gone.extend(pods.keys().filter(|k| !fresh.contains_key(*k)).cloned());
                pods = fresh;
                initialised = true;
            }
            Ok(watcher::Event::Apply(pod)) => {
                if let Some(name) = pod.metadata.name.clone() {
                    pods.insert(name, pod);
                }
            }
            Ok(watcher::Event::Delete(pod)) => {
                if let Some(name) = pod.metadata.name.clone() {
                    pods.remove(&name);
                    gone.push(name);
                }
            }
            // The watcher retries with a backoff; a lasting failure shows as silence, as with
            // kubectl. The first failure, before anything was listed, is an error.
            Err(source) if !initialised => {
                return Err(LogsError::Kube(KubeError::Api {
                    action: format!("list the pods of `{}`", request.app),
                    namespace: request.namespace.clone(),
                    source: watcher_error(source),
                }));
            }
            Err(_) => {}
        }
        for pod in gone {
            let before = streams.len();
            streams.retain(|target, handle| {
                if target.pod == pod {
                    handle.abort();
                    false
                } else {
                    true
                }
            });
            if streams.len() != before && events.send(LogEvent::PodGone { pod }).await.is_err() {
                return Ok(());
            }
        }
        if !initialised {
            continue;
        }

        // Which containers can be read now.
        let mut readable = Vec::new();
        for (name, pod) in &pods {
            for (container, readiness) in containers(pod, request.previous) {
                if request.container.as_ref().is_some_and(|c| *c != container) {
                    continue;
                }
                let target = Target {
                    pod: name.clone(),
                    container,
                };
                match readiness {
                    Readiness::Readable => readable.push(target),
                    Readiness::NotStarted(reason) => {
                        if reported.insert((target.clone(), reason.clone())) {
                            let event = LogEvent::NotStarted {
                                pod: target.pod,
                                container: target.container,
                                reason,
                            };
                            if events.send(event).await.is_err() {
                                return Ok(());
                            }
                        }
                    }
                    Readiness::NeverRestarted => {
                        if reported.insert((target.clone(), String::new())) {
                            let event = LogEvent::NeverRestarted {
                                pod: target.pod,
                                container: target.container,
                            };
                            if events.send(event).await.is_err() {
                                return Ok(());
                            }
                        }
                    }
                }
            }
        }
        if let Some(container) = &request.container
            && !checked_container
            && !pods.is_empty()
        {
            let known: BTreeSet<String> = pods
                .values()
                .flat_map(|pod| containers(pod, false).into_iter().map(|(name, _)| name))
                .collect();
            if !known.contains(container) {
                return Err(LogsError::UnknownContainer {
                    container: container.clone(),
                    app: request.app.clone(),
                    known: known.into_iter().collect(),
                });
            }
            checked_container = true;
        }
        // With `previous`, a container that never restarted is an answer too: nothing to wait for.
        let decided = !readable.is_empty() || (request.previous && !pods.is_empty());
        if !decided {
            if !waiting_sent {
                waiting_sent = true;
                if events.send(LogEvent::WaitingForPods).await.is_err() {
                    return Ok(());
                }
            }
            continue;
        }
        started_any = true;
        if !request.follow {
            read_in_order(&api, &request, readable, &events).await;
            return Ok(());
        }
        for target in readable {
            if streams.contains_key(&target) {
                continue;
            }
            if events
                .send(LogEvent::Started {
                    pod: target.pod.clone(),
                    container: target.container.clone(),
                })
                .await
                .is_err()
            {
                return Ok(());
            }
            if slots.available_permits() == 0 {
                let _ = events
                    .send(LogEvent::Queued {
                        pod: target.pod.clone(),
                        container: target.container.clone(),
                    })
                    .await;
            }
            let api = api.clone();
            let request = Arc::clone(&request);
            let events = events.clone();
            let slots = Arc::clone(&slots);
            let key = target.clone();
            let handle = tasks.spawn(async move {
                let Ok(_slot) = slots.acquire_owned().await else {
                    return;
                };
                follow(&api, &request, &target, &events).await;
            });
            streams.insert(key, handle);
        }
    }
}

/// Turns a watcher failure into the client error inside it, when there is one.
fn watcher_error(error: watcher::Error) -> kube::Error {
    match error {
        watcher::Error::InitialListFailed(source)
        | watcher::Error::WatchStartFailed(source)
        | watcher::Error::WatchFailed(source) => source,
        watcher::Error::WatchError(status) => kube::Error::Api(status),
        other @ watcher::Error::NoResourceVersion => kube::Error::Service(Box::new(other)),
    }
}

/// The containers of `pod` (init containers first, as they ran) and whether each has a log to
/// read: the current one, or with `previous` the one of the instance before the last restart.
fn containers(pod: &Pod, previous: bool) -> Vec<(String, Readiness)> {
    let Some(spec) = &pod.spec else {
        return Vec::new();
    };
    let status = pod.status.as_ref();
    let phase = status.and_then(|s| s.phase.clone());
    let init_statuses = status.and_then(|s| s.init_container_statuses.as_ref());
    let statuses = status.and_then(|s| s.container_statuses.as_ref());
    let init = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| (c.name.as_str(), true));
    let main = spec.containers.iter().map(|c| (c.name.as_str(), false));
    init.chain(main)
        .filter_map(|(name, is_init)| {
            let statuses = if is_init { init_statuses } else { statuses };
            let status = statuses.and_then(|all| all.iter().find(|s| s.name == name));
            let readiness = match status {
                // An init container that has not run yet is not worth a word.
                None if is_init => return None,
                None => Readiness::NotStarted(phase.clone().unwrap_or_else(|| "Pending".into())),
                Some(status) => readiness(status, previous),
            };
            Some((name.to_owned(), readiness))
        })
        .collect()
}

fn readiness(status: &ContainerStatus, previous: bool) -> Readiness {
    let restarted = status.restart_count > 0
        || status
            .last_state
            .as_ref()
            .is_some_and(|s| s.terminated.is_some());
    if previous {
        return if restarted {
            Readiness::Readable
        } else {
            Readiness::NeverRestarted
        };
    }
    let state = status.state.as_ref();
    let started = state.is_some_and(|s| s.running.is_some() || s.terminated.is_some());
    if started || restarted {
        return Readiness::Readable;
    }
    let reason = state
        .and_then(|s| s.waiting.as_ref())
        .and_then(|w| w.reason.clone())
        .unwrap_or_else(|| "ContainerCreating".into());
    Readiness::NotStarted(reason)
}

/// A reader of one log stream.
pub type LogReader = Pin<Box<dyn AsyncBufRead + Send>>;

/// Opens a log stream with the given parameters.
pub type OpenLog<'a> =
    dyn FnMut(LogParams) -> BoxFuture<'a, Result<LogReader, kube::Error>> + Send + 'a;

fn opener<'a>(
    api: &'a Api<Pod>,
    pod: &'a str,
) -> impl FnMut(LogParams) -> BoxFuture<'a, Result<LogReader, kube::Error>> + Send + 'a {
    move |params| {
        Box::pin(async move {
            let reader = api.log_stream(pod, &params).await?;
            Ok(Box::pin(reader) as LogReader)
        })
    }
}

fn params(request: &LogsRequest, container: &str) -> LogParams {
    LogParams {
        container: Some(container.to_owned()),
        follow: request.follow,
        previous: request.previous,
        since_seconds: request
            .since
            .map(|d| i64::try_from(d.as_secs().max(1)).unwrap_or(i64::MAX)),
        tail_lines: request.tail,
        timestamps: true,
        ..LogParams::default()
    }
}

/// Without `follow`: reads every target concurrently (at most [`MAX_REQUESTS`] at once) and sends
/// their lines in order, one container after the other.
async fn read_in_order(
    api: &Api<Pod>,
    request: &Arc<LogsRequest>,
    targets: Vec<Target>,
    events: &mpsc::Sender<LogEvent>,
) {
    for target in &targets {
        let started = LogEvent::Started {
            pod: target.pod.clone(),
            container: target.container.clone(),
        };
        if events.send(started).await.is_err() {
            return;
        }
    }
    let slots = Arc::new(Semaphore::new(MAX_REQUESTS));
    let mut receivers = Vec::with_capacity(targets.len());
    let mut senders = Vec::with_capacity(targets.len());
    for _ in &targets {
        let (sender, receiver) = mpsc::channel(CONTAINER_BUFFER);
        senders.push(sender);
        receivers.push(receiver);
    }
    // Slots are taken in order, so the container being forwarded always has one or will get
    // one: no deadlock between a full channel and a waiting request.
    let start = async {
        let mut tasks = JoinSet::new();
        for (target, sender) in targets.into_iter().zip(senders) {
            let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                break;
            };
            let api = api.clone();
            let request = Arc::clone(request);
            tasks.spawn(async move {
                let _slot = slot;
                let mut open = opener(&api, &target.pod);
                let mut resume = Resume::default();
                let outcome = read_stream(
                    &mut open,
                    params(&request, &target.container),
                    &request,
                    &target,
                    &mut resume,
                    &sender,
                )
                .await;
                if let Err(error) = outcome {
                    let _ = sender
                        .send(LogEvent::Failed {
                            pod: target.pod.clone(),
                            container: target.container.clone(),
                            error: error_message(&error),
                        })
                        .await;
                }
            });
        }
        while tasks.join_next().await.is_some() {}
    };
    let forward = async {
        for mut receiver in receivers {
            while let Some(event) = receiver.recv().await {
                if events.send(event).await.is_err() {
                    return;
                }
            }
        }
    };
    tokio::join!(start, forward);
}

/// With `follow`: streams one container until the task is aborted, reopening a cut stream
/// after a growing pause and resuming after the last line sent.
async fn follow(
    api: &Api<Pod>,
    request: &LogsRequest,
    target: &Target,
    events: &mpsc::Sender<LogEvent>,
) {
    let mut open = opener(api, &target.pod);
    follow_with(&mut open, request, target, events, FIRST_BACKOFF).await;
}

async fn follow_with(
    open: &mut OpenLog<'_>,
    request: &LogsRequest,
    target: &Target,
    events: &mpsc::Sender<LogEvent>,
    first_backoff: Duration,
) {
    let mut resume = Resume::default();
    let mut backoff = Backoff::new(first_backoff);
    loop {
        let params = resume.params(params(request, &target.container));
        let before = resume.sent;
        let cause = match read_stream(open, params, request, target, &mut resume, events).await {
            Ok(()) => "the stream ended".to_owned(),
            Err(StreamError::Closed) => return,
            Err(error) => error_message(&error),
        };
        if events.is_closed() {
            return;
        }
        let pause = backoff.after(resume.sent > before);
        let event = LogEvent::Reconnecting {
            pod: target.pod.clone(),
            container: target.container.clone(),
            after: pause,
            cause,
        };
        if events.send(event).await.is_err() {
            return;
        }
        tokio::time::sleep(pause).await;
    }
}

/// The pause before a cut stream is reopened: `first` at the start and again after every
/// stream that delivered new lines, so a stream that works and is cut now and then (a proxy's
/// idle timeout, an API server restart) is reopened at once; doubled after each stream that
/// brought nothing new, up to [`MAX_BACKOFF`], so a container that cannot be read is not
/// asked every second.
#[derive(Debug, Clone, Copy)]
struct Backoff {
    first: Duration,
    next: Duration,
}

impl Backoff {
    fn new(first: Duration) -> Self {
        Self { first, next: first }
    }

    /// Returns the pause after a stream ended; `delivered` says whether it brought new lines.
    fn after(&mut self, delivered: bool) -> Duration {
        if delivered {
            self.next = self.first;
        }
        let pause = self.next;
        self.next = (self.next * 2).min(MAX_BACKOFF.max(self.first));
        pause
    }
}

/// Why a stream stopped early.
#[derive(Debug, thiserror::Error)]
enum StreamError {
    #[error(transparent)]
    Open(#[from] kube::Error),
    #[error("the stream was cut: {0}")]
    Read(#[from] std::io::Error),
    /// Nobody listens any more.
    #[error("closed")]
    Closed,
}

fn error_message(error: &StreamError) -> String {
    match error {
        StreamError::Open(kube::Error::Api(status)) => status.message.clone(),
        other => other.to_string(),
    }
}

/// Opens one stream and sends its lines (those [`Resume`] lets through and `grep` matches) until
/// it ends.
async fn read_stream(
    open: &mut OpenLog<'_>,
    params: LogParams,
    request: &LogsRequest,
    target: &Target,
    resume: &mut Resume,
    events: &mpsc::Sender<LogEvent>,
) -> Result<(), StreamError> {
    let previous = params.previous;
    let mut reader = open(params).await?;
    let source = Source {
        pod: Arc::from(target.pod.as_str()),
        container: Arc::from(target.container.as_str()),
        previous,
    };
    // Lines are cut out of each chunk the server sent and go out as one batch: one message and
    // one wake-up per chunk, not per line.
    let mut carry = Vec::new();
    loop {
        let chunk = reader.fill_buf().await?;
        let size = chunk.len();
        let mut batch = Vec::new();
        if size == 0 {
            if !carry.is_empty() {
                source.take(&carry, request, resume, &mut batch);
            }
            if !batch.is_empty() && events.send(LogEvent::Lines(batch)).await.is_err() {
                return Err(StreamError::Closed);
            }
            return Ok(());
        }
        let mut start = 0;
        while let Some(offset) = chunk[start..].iter().position(|&b| b == b'\n') {
            let end = start + offset + 1;
            if carry.is_empty() {
                source.take(&chunk[start..end], request, resume, &mut batch);
            } else {
                carry.extend_from_slice(&chunk[start..end]);
                source.take(&carry, request, resume, &mut batch);
                carry.clear();
            }
            start = end;
        }
        carry.extend_from_slice(&chunk[start..]);
        reader.as_mut().consume(size);
        if !batch.is_empty() && events.send(LogEvent::Lines(batch)).await.is_err() {
            return Err(StreamError::Closed);
        }
    }
}

/// Whose lines a stream carries.
struct Source {
    pod: Arc<str>,
    container: Arc<str>,
    previous: bool,
}

impl Source {
    /// Adds the line `raw` (with its line end) to `batch` when [`Resume`] lets it through and
    /// `grep` matches.
    fn take(
        &self,
        raw: &[u8],
        request: &LogsRequest,
        resume: &mut Resume,
        batch: &mut Vec<LogLine>,
    ) {
        let raw = String::from_utf8_lossy(raw);
        // Only a followed stream may be reopened, so only there the time is parsed.
        let (time, text) = if request.follow {
            let (time, text) = split_timestamp(&raw);
            if !resume.admit(time.as_ref().map(|(t, _)| *t)) {
                return;
            }
            (time.map(|(_, s)| s), text)
        } else {
            split_time_text(&raw)
        };
        if request.grep.as_ref().is_some_and(|re| !re.is_match(text)) {
            return;
        }
        batch.push(LogLine {
            pod: Arc::clone(&self.pod),
            container: Arc::clone(&self.container),
            time: time.map(str::to_owned),
            text: text.to_owned(),
            previous: self.previous,
        });
    }
}

/// Splits `2026-01-01T00:00:00.1Z text` into the time and the text without parsing the time
/// (it only has to look like one), and removes the line end.
fn split_time_text(raw: &str) -> (Option<&str>, &str) {
    let line = raw.trim_end_matches(['\n', '\r']);
    match line.split_once(' ') {
        Some((first, rest))
            if first.len() >= 20 && first.ends_with('Z') && first.as_bytes()[4] == b'-' =>
        {
            (Some(first), rest)
        }
        _ => (None, line),
    }
}

/// Splits `2026-01-01T00:00:00.1Z text` into the parsed time and the text, and removes the
/// line end. A line without a time (which `timestamps=true` should not give) is all text.
fn split_timestamp(raw: &str) -> (Option<(Timestamp, &str)>, &str) {
    let line = raw.trim_end_matches(['\n', '\r']);
    if let Some((first, rest)) = line.split_once(' ')
        && let Ok(time) = first.parse::<Timestamp>()
    {
        return (Some((time, first)), rest);
    }
    (None, line)
}

/// Where a stream stopped, so that the next one resumes there: the time of the last line sent
/// and how many lines carried that very time.
///
/// The API's `sinceTime` has whole seconds, so a reopened stream starts up to a second early;
/// lines before the last time are dropped, and of the lines at the last time, as many as were
/// already sent.
#[derive(Debug, Default, Clone)]
pub struct Resume {
    last: Option<Timestamp>,
    at_last: usize,
    /// Lines at `last` still to drop in the current stream.
    skip_at_last: usize,
    /// The current stream is a reopened one: lines before `last` are repeats.
    resuming: bool,
    /// Lines sent so far.
    pub sent: usize,
}

impl Resume {
    /// The parameters of the next stream: the first one as asked; after a line was sent, from
    /// the second of the last line, without a tail and without `sinceSeconds`.
    #[must_use]
    pub fn params(&mut self, mut params: LogParams) -> LogParams {
        if let Some(last) = self.last {
            params.since_seconds = None;
            params.tail_lines = None;
            // Floor to the second: the client rounds, which could skip lines.
            params.since_time = Timestamp::from_second(last.as_second()).ok();
            self.skip_at_last = self.at_last;
            self.resuming = true;
        }
        params
    }

    /// Returns whether a line with time `time` is new, and notes it as sent if so.
    pub fn admit(&mut self, time: Option<Timestamp>) -> bool {
        let Some(time) = time else {
            self.sent += 1;
            return true;
        };
        match self.last {
            Some(last) if self.resuming && time < last => return false,
            Some(last) if time == last => {
                if self.resuming && self.skip_at_last > 0 {
                    self.skip_at_last -= 1;
                    return false;
                }
                self.at_last += 1;
            }
            _ => {
                self.last = Some(time);
                self.at_last = 1;
                self.resuming = false;
                self.skip_at_last = 0;
            }
        }
        self.sent += 1;
        true
    }
}

/// Makes a log line harmless on a terminal: control characters (escape sequences included)
/// are shown escaped (`\u{1b}`), tabs are kept. Borrowed when there is nothing to change.
#[must_use]
pub fn neutralize(line: &str) -> Cow<'_, str> {
    if !line.chars().any(|c| c.is_control() && c != '\t') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 16);
    for c in line.chars() {
        if c.is_control() && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::TryStreamExt as _;

    fn ts(text: &str) -> Timestamp {
        text.parse().expect("a timestamp")
    }

    #[test]
    fn splits_the_time_from_the_text() {
        let (time, text) = split_timestamp("2026-01-01T00:00:00.100000000Z hello world\r\n");
        let (parsed, raw) = time.expect("a time");
        assert_eq!(parsed, ts("2026-01-01T00:00:00.1Z"));
        assert_eq!(raw, "2026-01-01T00:00:00.100000000Z");
        assert_eq!(text, "hello world");
        assert_eq!(split_timestamp("no time here\n"), (None, "no time here"));
        assert_eq!(
            split_time_text("2026-01-01T00:00:00.100000000Z hello world\r\n"),
            (Some("2026-01-01T00:00:00.100000000Z"), "hello world")
        );
        assert_eq!(split_time_text("no time here\n"), (None, "no time here"));
    }

    #[test]
    fn neutralizes_escapes_and_control_characters() {
        assert_eq!(neutralize("plain\ttext"), "plain\ttext");
        assert!(matches!(neutralize("plain"), Cow::Borrowed(_)));
        assert_eq!(
            neutralize("\u{1b}[31mred\u{1b}[0m \u{7} \u{1b}]0;title\u{7}"),
            "\\u{1b}[31mred\\u{1b}[0m \\u{7} \\u{1b}]0;title\\u{7}"
        );
        assert_eq!(neutralize("a\rb"), "a\\rb");
    }

    #[test]
    fn resume_drops_what_was_sent_and_keeps_equal_times_apart() {
        let mut resume = Resume::default();
        let first = resume.params(LogParams {
            tail_lines: Some(10),
            ..LogParams::default()
        });
        assert_eq!(first.tail_lines, Some(10));
        assert_eq!(first.since_time, None);
        // Two lines share a time; the stream is cut after the first of them.
        assert!(resume.admit(Some(ts("2026-01-01T00:00:01.5Z"))));
        assert!(resume.admit(Some(ts("2026-01-01T00:00:02.25Z"))));
        let again = resume.params(LogParams {
            tail_lines: Some(10),
            since_seconds: Some(60),
            ..LogParams::default()
        });
        assert_eq!(again.tail_lines, None);
        assert_eq!(again.since_seconds, None);
        assert_eq!(again.since_time, Some(ts("2026-01-01T00:00:02Z")));
        // The reopened stream starts at the whole second.
        assert!(!resume.admit(Some(ts("2026-01-01T00:00:02Z"))));
        assert!(
            !resume.admit(Some(ts("2026-01-01T00:00:02.25Z"))),
            "already sent"
        );
        assert!(
            resume.admit(Some(ts("2026-01-01T00:00:02.25Z"))),
            "same time, new line"
        );
        assert!(resume.admit(Some(ts("2026-01-01T00:00:03Z"))));
        assert_eq!(resume.sent, 4);
    }

    fn target() -> Target {
        Target {
            pod: "web-1".into(),
            container: "web".into(),
        }
    }

    fn request(follow: bool) -> LogsRequest {
        LogsRequest {
            namespace: "shop".into(),
            app: "web".into(),
            follow,
            since: None,
            tail: Some(10),
            previous: false,
            container: None,
            component: None,
            grep: None,
            pod_timeout: Duration::from_secs(1),
        }
    }

    /// A scripted server: each open returns the next script; `Err` items cut the stream.
    fn scripted(
        scripts: Vec<Vec<Result<&'static str, ()>>>,
        seen: Arc<std::sync::Mutex<Vec<LogParams>>>,
    ) -> impl FnMut(LogParams) -> BoxFuture<'static, Result<LogReader, kube::Error>> + Send {
        let mut scripts = scripts.into_iter();
        move |params| {
            seen.lock().expect("lock").push(params);
            let script = scripts.next();
            Box::pin(async move {
                let Some(script) = script else {
                    // No more scripts: a stream that stays open, as a quiet container's.
                    let pending = futures_util::stream::pending::<std::io::Result<Vec<u8>>>();
                    return Ok(Box::pin(pending.into_async_read()) as LogReader);
                };
                let chunks = script.into_iter().map(|item| match item {
                    Ok(text) => Ok(text.as_bytes().to_vec()),
                    Err(()) => Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "connection reset",
                    )),
                });
                let stream = futures_util::stream::iter(chunks.collect::<Vec<_>>());
                Ok(Box::pin(stream.into_async_read()) as LogReader)
            })
        }
    }

    #[test]
    fn the_pause_doubles_while_nothing_comes_and_starts_over_after_data() {
        let mut backoff = Backoff::new(FIRST_BACKOFF);
        let pauses: Vec<u64> = [
            false, false, false, false, false, false, false, true, false, true, true,
        ]
        .into_iter()
        .map(|delivered| backoff.after(delivered).as_secs())
        .collect();
        assert_eq!(pauses, [1, 2, 4, 8, 16, 30, 30, 1, 2, 1, 1]);
    }

    #[tokio::test]
    async fn a_stream_that_delivers_lines_resets_the_pause() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut open = scripted(
            vec![
                vec![Err(())],
                vec![Err(())],
                vec![Ok("2026-01-01T00:00:01Z one\n"), Err(())],
                vec![Err(())],
            ],
            Arc::clone(&seen),
        );
        let (events, mut received) = mpsc::channel(100);
        let request = request(true);
        let task = tokio::spawn(async move {
            follow_with(
                &mut open,
                &request,
                &target(),
                &events,
                Duration::from_millis(2),
            )
            .await;
        });
        let mut pauses = Vec::new();
        while pauses.len() < 4 {
            if let LogEvent::Reconnecting { after, .. } = received.recv().await.expect("an event") {
                pauses.push(after.as_millis());
            }
        }
        task.abort();
        // Two empty streams double it; the one with a line starts it over.
        assert_eq!(pauses, [2, 4, 2, 4]);
    }

    #[tokio::test]
    async fn a_cut_stream_resumes_without_repeating_lines() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut open = scripted(
            vec![
                vec![
                    Ok("2026-01-01T00:00:01.000000000Z one\n2026-01-01T00:00:02.500000000Z two\n"),
                    Ok(
                        "2026-01-01T00:00:02.500000000Z two again, same time\n2026-01-01T00:00:03.0",
                    ),
                    Err(()),
                ],
                // The server resends from the whole second 02.
                vec![Ok(concat!(
                    "2026-01-01T00:00:02.500000000Z two\n",
                    "2026-01-01T00:00:02.500000000Z two again, same time\n",
                    "2026-01-01T00:00:03.000000000Z three\n",
                ))],
                vec![Ok(
                    "2026-01-01T00:00:03.000000000Z three\n2026-01-01T00:00:04.000000000Z \u{1b}[2Jfour\n",
                )],
            ],
            Arc::clone(&seen),
        );
        let (events, mut received) = mpsc::channel(100);
        let request = request(true);
        let task = tokio::spawn(async move {
            follow_with(
                &mut open,
                &request,
                &target(),
                &events,
                Duration::from_millis(5),
            )
            .await;
        });
        let mut lines = Vec::new();
        let mut reconnects = Vec::new();
        while lines.len() < 5 {
            match received.recv().await.expect("an event") {
                LogEvent::Lines(batch) => lines.extend(batch.into_iter().map(|l| l.text)),
                LogEvent::Reconnecting { after, cause, .. } => reconnects.push((after, cause)),
                other => panic!("unexpected {other:?}"),
            }
        }
        task.abort();
        assert_eq!(
            lines,
            [
                "one",
                "two",
                "two again, same time",
                "three",
                "\u{1b}[2Jfour"
            ]
        );
        assert_eq!(
            reconnects,
            [
                (
                    Duration::from_millis(5),
                    "the stream was cut: connection reset".to_owned()
                ),
                (Duration::from_millis(5), "the stream ended".to_owned())
            ]
        );
        let seen = seen.lock().expect("lock");
        assert_eq!(seen[0].tail_lines, Some(10));
        assert!(seen[0].timestamps && seen[0].follow);
        assert_eq!(seen[1].tail_lines, None);
        assert_eq!(seen[1].since_time, Some(ts("2026-01-01T00:00:02Z")));
        assert_eq!(seen[2].since_time, Some(ts("2026-01-01T00:00:03Z")));
    }

    #[tokio::test]
    async fn grep_keeps_matching_lines_and_bytes_are_decoded_lossily() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut open = scripted(
            // Chunks end in the middle of lines; the last line has no line end.
            vec![vec![
                Ok("2026-01-01T00:00:01Z GET / 2"),
                Ok("00\n2026-01-01T00:00:02Z POST /login 500\n2026-01-01"),
                Ok("T00:00:03Z GET /x 404"),
            ]],
            seen,
        );
        let (events, mut received) = mpsc::channel(100);
        let mut request = request(false);
        request.grep = Some(regex::Regex::new("^GET").expect("regex"));
        let mut resume = Resume::default();
        let params = params(&request, "web");
        read_stream(&mut open, params, &request, &target(), &mut resume, &events)
            .await
            .expect("read");
        drop(events);
        let mut texts = Vec::new();
        while let Some(LogEvent::Lines(batch)) = received.recv().await {
            texts.extend(batch.into_iter().map(|line| (line.time, line.text)));
        }
        assert_eq!(
            texts,
            [
                (
                    Some("2026-01-01T00:00:01Z".to_owned()),
                    "GET / 200".to_owned()
                ),
                (
                    Some("2026-01-01T00:00:03Z".to_owned()),
                    "GET /x 404".to_owned()
                ),
            ]
        );
        let decoded = String::from_utf8_lossy(b"2026-01-01T00:00:01Z caf\xe9\n");
        let (time, text) = split_timestamp(&decoded);
        assert!(time.is_some());
        assert_eq!(text, "caf\u{fffd}");
    }

    fn pod(json: serde_json::Value) -> Pod {
        serde_json::from_value(json).expect("a pod")
    }

    #[test]
    fn which_containers_have_a_log() {
        let crashing = pod(serde_json::json!({
            "metadata": {"name": "web-1"},
            "spec": {"containers": [{"name": "web"}, {"name": "proxy"}, {"name": "new"}]},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "web", "ready": false, "restartCount": 3, "image": "x", "imageID": "",
                 "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                 "lastState": {"terminated": {"exitCode": 1}}},
                {"name": "proxy", "ready": true, "restartCount": 0, "image": "x", "imageID": "",
                 "state": {"running": {}}},
                {"name": "new", "ready": false, "restartCount": 0, "image": "x", "imageID": "",
                 "state": {"waiting": {"reason": "ImagePullBackOff"}}}
            ]}
        }));
        assert_eq!(
            containers(&crashing, false),
            [
                ("web".to_owned(), Readiness::Readable),
                ("proxy".to_owned(), Readiness::Readable),
                (
                    "new".to_owned(),
                    Readiness::NotStarted("ImagePullBackOff".into())
                ),
            ]
        );
        assert_eq!(
            containers(&crashing, true),
            [
                ("web".to_owned(), Readiness::Readable),
                ("proxy".to_owned(), Readiness::NeverRestarted),
                ("new".to_owned(), Readiness::NeverRestarted),
            ]
        );
        let pending = pod(serde_json::json!({
            "metadata": {"name": "web-2"},
            "spec": {"containers": [{"name": "web"}]},
            "status": {"phase": "Pending"}
        }));
        assert_eq!(
            containers(&pending, false),
            [("web".to_owned(), Readiness::NotStarted("Pending".into()))]
        );
    }
}
