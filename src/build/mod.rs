//! Building images through the Docker Engine API (bollard, legacy builder), from a build
//! context filtered on the client with Docker's `.dockerignore` semantics.
//!
//! What this module owns: connecting to the engine with a short timeout, sending a
//! [`context::BuildContext`], streaming the builder's output to a [`BuildReporter`], turning
//! errors that arrive inside the HTTP 200 stream into [`BuildError`]s (the engine answers 200
//! before it runs a step, so a failing step is an `errorDetail` in the stream, not a status),
//! with the last lines the failing step printed, and finding an image already built from the
//! same inputs. It does not push, does not print and knows nothing of the CLI.

pub mod context;
pub mod dockerignore;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::{
    BuildImageOptionsBuilder, ListImagesOptionsBuilder, TagImageOptionsBuilder,
};
use futures_util::StreamExt as _;

use self::context::BuildContext;

pub use crate::labels::{CACHE_KEY_LABEL, CONTEXT_DIGEST_LABEL};

/// How long connecting and negotiating the API version may take. A local engine answers in
/// milliseconds; a missing socket or a refused port fails at once; this bounds a black hole.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// How long one request to the engine may take. Builds stream for minutes, and bollard's
/// default (120 s) would cut a long upload or a slow first response.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(3600);

/// How many of its last lines a failed step keeps for the error: enough for a compiler's
/// message, few enough to leave the error itself on the screen.
pub const FAILED_STEP_LINES: usize = 20;

/// Where the engine listens when `DOCKER_HOST` is unset.
pub const DEFAULT_DOCKER_HOST: &str = "unix:///var/run/docker.sock";

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    /// The context to send; its Dockerfile path is the one the engine uses.
    pub context: BuildContext,
    /// References to tag the image with (`registry/app:tag`); the first is passed to the
    /// build, the others are added afterwards.
    pub tags: Vec<String>,
    /// `--build-arg` values.
    pub build_args: BTreeMap<String, String>,
    /// Labels for the image, besides [`CONTEXT_DIGEST_LABEL`] and [`CACHE_KEY_LABEL`].
    pub labels: BTreeMap<String, String>,
    /// The key [`find_cached`] will look for (from [`context::cache_key`]), if any.
    pub cache_key: Option<String>,
    /// Build without the engine's layer cache.
    pub no_cache: bool,
}

/// A finished build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltImage {
    /// The image id, `sha256:…`.
    pub id: String,
    /// The tags it carries from this build.
    pub tags: Vec<String>,
}

/// Receives progress from an image build.
///
/// Implemented by the UI layer; tests use [`NoopReporter`].
pub trait BuildReporter: Send + Sync {
    /// Called when the builder starts a Dockerfile step (`Step 2/4 : COPY . /app`).
    fn on_step(&self, step: &str);
    /// Called for each other line of builder output.
    fn on_output(&self, line: &str);
}

/// A [`BuildReporter`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoopReporter;

impl BuildReporter for NoopReporter {
    fn on_step(&self, _step: &str) {}
    fn on_output(&self, _line: &str) {}
}

/// Why connecting to the engine failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectFailure {
    /// No answer in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The client could not be created or the request failed.
    #[error(transparent)]
    Engine(bollard::errors::Error),
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The engine cannot be reached (down, socket missing, permission denied, wrong port).
    #[error("cannot connect to the Docker engine at `{address}`")]
    Connect {
        /// `DOCKER_HOST` or the default socket.
        address: String,
        /// What went wrong.
        #[source]
        source: ConnectFailure,
    },
    /// The builder reported an error inside its output stream: a failing `RUN`, an
    /// unpullable `FROM`, a missing `COPY` source.
    #[error("building `{image}` failed: {message}")]
    Failed {
        /// The first tag, or `image` when there is none.
        image: String,
        /// The engine's message, verbatim.
        message: String,
        /// The step that failed (`Step 2/3 : RUN make`), when the builder had started one.
        step: Option<String>,
        /// The last lines (at most [`FAILED_STEP_LINES`]) the failing step printed, without
        /// the builder's own bookkeeping lines.
        output: Vec<String>,
    },
    /// The engine refused the request (for example HTTP 500 `unexpected EOF` for an empty or
    /// broken context).
    #[error("the Docker engine refused to build `{image}` (HTTP {status}): {message}")]
    Refused {
        /// The first tag, or `image`.
        image: String,
        /// The HTTP status.
        status: u16,
        /// The engine's message.
        message: String,
    },
    /// The connection broke or the stream could not be read.
    #[error("lost the Docker engine while building `{image}`")]
    Stream {
        /// The first tag, or `image`.
        image: String,
        /// The client error.
        #[source]
        source: bollard::errors::Error,
    },
    /// The build ended without reporting an image id.
    #[error("the Docker engine finished building `{image}` without an image id")]
    NoImageId {
        /// The first tag, or `image`.
        image: String,
    },
    /// Adding a tag after the build failed.
    #[error("failed to tag image `{id}` as `{tag}`")]
    Tag {
        /// The image id.
        id: String,
        /// The tag.
        tag: String,
        /// The client error.
        #[source]
        source: bollard::errors::Error,
    },
    /// Listing images by label failed.
    #[error("failed to look for images labelled `{label}`")]
    Lookup {
        /// `key=value`.
        label: String,
        /// The client error.
        #[source]
        source: bollard::errors::Error,
    },
}

/// Connects to the engine named by `DOCKER_HOST` (default `unix:///var/run/docker.sock`) and
/// negotiates the API version (the test engine speaks 1.41, older than bollard's default).
///
/// # Errors
///
/// [`BuildError::Connect`] naming the address, within [`CONNECT_TIMEOUT`].
pub async fn connect() -> Result<Docker, BuildError> {
    let address = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty());
    connect_to(address.as_deref().unwrap_or(DEFAULT_DOCKER_HOST)).await
}

/// Connects to the engine at `address` (`unix:///…`, `tcp://host:port`, `http://…`) and
/// negotiates the API version.
///
/// # Errors
///
/// [`BuildError::Connect`] naming the address, within [`CONNECT_TIMEOUT`].
pub async fn connect_to(address: &str) -> Result<Docker, BuildError> {
    let failed = |source| BuildError::Connect {
        address: address.to_owned(),
        source,
    };
    let docker =
        Docker::connect_with_host(address).map_err(|e| failed(ConnectFailure::Engine(e)))?;
    let docker = tokio::time::timeout(CONNECT_TIMEOUT, docker.negotiate_version())
        .await
        .map_err(|_| failed(ConnectFailure::Timeout(CONNECT_TIMEOUT)))?
        .map_err(|e| failed(ConnectFailure::Engine(e)))?;
    Ok(docker.with_timeout(REQUEST_TIMEOUT))
}

/// Builds `plan` with the engine's legacy builder and returns the image id.
///
/// Intermediate containers are removed even when a step fails (`rm`, `forcerm`). The image
/// is labelled with the context digest and the plan's cache key, so [`find_cached`] finds it
/// next time. Dropping the returned future cancels the request.
///
/// # Errors
///
/// [`BuildError::Failed`] with the engine's message when a step fails or `FROM` cannot be
/// pulled (both arrive inside an HTTP 200 stream); [`BuildError::Refused`] when the engine
/// rejects the request (an empty context is HTTP 500); [`BuildError::Stream`],
/// [`BuildError::NoImageId`] or [`BuildError::Tag`] otherwise.
pub async fn build_image(
    docker: &Docker,
    plan: &BuildPlan,
    reporter: &dyn BuildReporter,
) -> Result<BuiltImage, BuildError> {
    let image = plan
        .tags
        .first()
        .cloned()
        .unwrap_or_else(|| "image".to_owned());
    let mut labels: HashMap<String, String> = plan.labels.clone().into_iter().collect();
    labels.insert(CONTEXT_DIGEST_LABEL.to_owned(), plan.context.digest.clone());
    if let Some(key) = &plan.cache_key {
        labels.insert(CACHE_KEY_LABEL.to_owned(), key.clone());
    }
    let build_args: HashMap<String, String> = plan.build_args.clone().into_iter().collect();
    let mut options = BuildImageOptionsBuilder::default()
        .dockerfile(&plan.context.dockerfile)
        .rm(true)
        .forcerm(true)
        .nocache(plan.no_cache)
        .buildargs(&build_args)
        .labels(&labels);
    if let Some(tag) = plan.tags.first() {
        options = options.t(tag);
    }

    let mut stream = docker.build_image(
        options.build(),
        None,
        Some(bollard::body_full(plan.context.archive.clone())),
    );
    let mut lines = LineSplitter::default();
    let mut id = None;
    while let Some(item) = stream.next().await {
        let info = match item {
            Ok(info) => info,
            Err(source) => {
                lines.finish(reporter);
                return Err(engine_error(&image, source, lines.failed_step()));
            }
        };
        if let Some(text) = &info.stream {
            lines.push(text, reporter);
        }
        if let Some(status) = &info.status {
            let line = [info.id.as_deref().unwrap_or_default(), status]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            reporter.on_output(&line);
        }
        if let Some(aux_id) = info.aux.and_then(|aux| aux.id) {
            id = Some(aux_id);
        }
    }
    lines.finish(reporter);
    let id = id.ok_or(BuildError::NoImageId { image })?;

    add_tags(docker, &id, plan.tags.get(1..).unwrap_or_default()).await?;
    Ok(BuiltImage {
        id,
        tags: plan.tags.clone(),
    })
}

/// Tags image `id` with every reference in `tags` (for an image [`find_cached`] found, or
/// the extra tags of a build).
///
/// # Errors
///
/// [`BuildError::Tag`] naming the image and the tag.
pub async fn add_tags(docker: &Docker, id: &str, tags: &[String]) -> Result<(), BuildError> {
    for tag in tags {
        let (repo, tag_name) = split_tag(tag);
        let options = TagImageOptionsBuilder::default()
            .repo(repo)
            .tag(tag_name)
            .build();
        docker
            .tag_image(id, Some(options))
            .await
            .map_err(|source| BuildError::Tag {
                id: id.to_owned(),
                tag: tag.clone(),
                source,
            })?;
    }
    Ok(())
}

/// Returns the id of the newest image labelled with `cache_key`, if there is one: the build
/// inputs are unchanged and the build can be skipped (tag the image instead).
///
/// # Errors
///
/// [`BuildError::Lookup`] when the engine cannot list images.
pub async fn find_cached(docker: &Docker, cache_key: &str) -> Result<Option<String>, BuildError> {
    let label = format!("{CACHE_KEY_LABEL}={cache_key}");
    let filters = HashMap::from([("label", vec![label.as_str()])]);
    let options = ListImagesOptionsBuilder::default()
        .filters(&filters)
        .build();
    let images = docker
        .list_images(Some(options))
        .await
        .map_err(|source| BuildError::Lookup {
            label: label.clone(),
            source,
        })?;
    Ok(images
        .into_iter()
        .max_by_key(|image| image.created)
        .map(|image| image.id))
}

/// Maps a client error of the build stream to the most precise [`BuildError`]; `failed` is
/// the step running when it came and what it printed.
fn engine_error(
    image: &str,
    source: bollard::errors::Error,
    failed: (Option<String>, Vec<String>),
) -> BuildError {
    use bollard::errors::Error;
    match source {
        Error::DockerStreamError { error } => BuildError::Failed {
            image: image.to_owned(),
            message: error.trim_end().to_owned(),
            step: failed.0,
            output: failed.1,
        },
        Error::DockerResponseServerError {
            status_code,
            message,
        } => BuildError::Refused {
            image: image.to_owned(),
            status: status_code,
            message: message.trim_end().to_owned(),
        },
        source => BuildError::Stream {
            image: image.to_owned(),
            source,
        },
    }
}

/// `registry:5000/app:1` → (`registry:5000/app`, `1`); no tag means `latest`.
fn split_tag(reference: &str) -> (&str, &str) {
    let parts = crate::registry::reference::split(reference);
    (parts.name, parts.tag.unwrap_or("latest"))
}

/// Reassembles the builder's `stream` chunks (which may hold several lines or half of one)
/// into lines, sending `Step N/M : …` lines to [`BuildReporter::on_step`], and keeps the last
/// lines of the current step for the error when it fails.
#[derive(Debug, Default)]
struct LineSplitter {
    partial: String,
    step: Option<String>,
    tail: VecDeque<String>,
}

impl LineSplitter {
    fn push(&mut self, chunk: &str, reporter: &dyn BuildReporter) {
        self.partial.push_str(chunk);
        while let Some(newline) = self.partial.find('\n') {
            let line: String = self.partial.drain(..=newline).collect();
            self.emit(line.trim_end_matches(['\n', '\r']), reporter);
        }
    }

    fn finish(&mut self, reporter: &dyn BuildReporter) {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.emit(&line, reporter);
        }
    }

    fn emit(&mut self, line: &str, reporter: &dyn BuildReporter) {
        if line.starts_with("Step ") && line.contains(" : ") {
            reporter.on_step(line);
            self.step = Some(line.to_owned());
            self.tail.clear();
        } else if !line.trim().is_empty() {
            reporter.on_output(line);
            // The legacy builder wraps what a step writes to stderr in red (`ESC[91m` …
            // `ESC[0m`, the reset landing on the next line).
            let line = line
                .trim_start_matches("\u{1b}[0m")
                .trim_start_matches("\u{1b}[91m");
            // ` ---> Running in 3f2a…` and `Removing intermediate container …` are the
            // builder's, not the step's.
            let bookkeeping =
                line.starts_with(" ---> ") || line.starts_with("Removing intermediate container ");
            if !bookkeeping {
                if self.tail.len() == FAILED_STEP_LINES {
                    self.tail.pop_front();
                }
                self.tail.push_back(line.to_owned());
            }
        }
    }

    /// The current step and its last lines.
    fn failed_step(&mut self) -> (Option<String>, Vec<String>) {
        (self.step.take(), std::mem::take(&mut self.tail).into())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Instant;

    use super::*;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl BuildReporter for Recorder {
        fn on_step(&self, step: &str) {
            self.0.lock().expect("lock").push(format!("step: {step}"));
        }
        fn on_output(&self, line: &str) {
            self.0.lock().expect("lock").push(format!("out: {line}"));
        }
    }

    #[test]
    fn stream_chunks_become_lines_and_steps() {
        let recorder = Recorder::default();
        let mut lines = LineSplitter::default();
        for chunk in [
            "Step 1/2 : FROM busybox\n",
            " ---> 1a2b\nStep 2/2",
            " : RUN true\n",
            "\n",
            " ---> Running in x",
            "\n",
            "tail",
        ] {
            lines.push(chunk, &recorder);
        }
        lines.finish(&recorder);
        assert_eq!(
            recorder.0.into_inner().expect("lock"),
            [
                "step: Step 1/2 : FROM busybox",
                "out:  ---> 1a2b",
                "step: Step 2/2 : RUN true",
                "out:  ---> Running in x",
                "out: tail"
            ]
        );
    }

    #[test]
    fn a_step_keeps_its_last_lines_without_the_builders_own() {
        let mut lines = LineSplitter::default();
        lines.push(
            "Step 1/2 : FROM busybox\n ---> 1a2b\nearlier\n",
            &NoopReporter,
        );
        lines.push("Step 2/2 : RUN make\n ---> Running in 9f\n", &NoopReporter);
        for n in 0..25 {
            lines.push(&format!("line {n}\n"), &NoopReporter);
        }
        lines.push("last, without a line end", &NoopReporter);
        lines.finish(&NoopReporter);
        let (step, output) = lines.failed_step();
        assert_eq!(step.as_deref(), Some("Step 2/2 : RUN make"));
        let mut expected: Vec<String> = (6..25).map(|n| format!("line {n}")).collect();
        expected.push("last, without a line end".into());
        assert_eq!(output, expected);
    }

    #[test]
    fn a_steps_stderr_is_kept_without_the_engines_colour_codes() {
        // What the legacy builder sends for `echo out; echo err >&2`.
        let mut lines = LineSplitter::default();
        for chunk in [
            "Step 2/2 : RUN make",
            "\n",
            " ---> Running in 0473e0019402\n",
            "out 1\nout 2\n",
            "\u{1b}[91merror: part 31 is missing\n\u{1b}[0m",
            "Removing intermediate container 0473e0019402\n",
        ] {
            lines.push(chunk, &NoopReporter);
        }
        lines.finish(&NoopReporter);
        let (_, output) = lines.failed_step();
        assert_eq!(output, ["out 1", "out 2", "error: part 31 is missing"]);
    }

    #[test]
    fn tags_split_at_the_last_colon_after_the_last_slash() {
        assert_eq!(
            split_tag("127.0.0.1:5000/ns/app:1"),
            ("127.0.0.1:5000/ns/app", "1")
        );
        assert_eq!(
            split_tag("127.0.0.1:5000/ns/app"),
            ("127.0.0.1:5000/ns/app", "latest")
        );
        assert_eq!(split_tag("app:v2"), ("app", "v2"));
    }

    #[test]
    fn stream_errors_keep_the_engine_message() {
        let err = engine_error(
            "app:1",
            bollard::errors::Error::DockerStreamError {
                error: "The command '/bin/sh -c exit 3' returned a non-zero code: 3".into(),
            },
            (None, Vec::new()),
        );
        assert_eq!(
            err.to_string(),
            "building `app:1` failed: The command '/bin/sh -c exit 3' returned a non-zero code: 3"
        );
        let err = engine_error(
            "app:1",
            bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: "unexpected EOF".into(),
            },
            (None, Vec::new()),
        );
        assert_eq!(
            err.to_string(),
            "the Docker engine refused to build `app:1` (HTTP 500): unexpected EOF"
        );
    }

    async fn assert_connect_fails_fast(address: &str) {
        let started = Instant::now();
        let err = connect_to(address).await.expect_err("no engine there");
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "took {:?}",
            started.elapsed()
        );
        assert!(
            matches!(&err, BuildError::Connect { address: a, .. } if a == address),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("cannot connect to the Docker engine at `{address}`")
        );
    }

    #[tokio::test]
    async fn refused_port_is_a_connect_error_within_a_second() {
        assert_connect_fails_fast("tcp://127.0.0.1:1").await;
    }

    #[tokio::test]
    async fn missing_socket_is_a_connect_error_within_a_second() {
        assert_connect_fails_fast("unix:///nonexistent/paas/docker.sock").await;
    }

    #[tokio::test]
    async fn silent_engine_times_out_within_a_second() {
        // A listener that accepts and never answers: the connection succeeds, the reply never comes.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = format!("tcp://{}", listener.local_addr().expect("addr"));
        let err = {
            let started = Instant::now();
            let err = connect_to(&address).await.expect_err("silent");
            assert!(
                started.elapsed() < Duration::from_millis(1500),
                "took {:?}",
                started.elapsed()
            );
            err
        };
        assert!(
            matches!(
                err,
                BuildError::Connect {
                    source: ConnectFailure::Timeout(_),
                    ..
                }
            ),
            "{err:?}"
        );
        drop(listener);
    }
}
