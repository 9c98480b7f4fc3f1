//! The local target: the app on one Docker Engine, run as it runs in the cluster.
//!
//! An environment with `target = "docker"`, or the built-in environment `local` (used when no kube
//! context is configured), deploys here. `paas up` builds as for a cluster, pushes nothing, renders
//! the same templates and runs what they say ([`spec`]): each replica a container (non-root,
//! read-only root with a writable /tmp, the limits, no capabilities, the same variables), each
//! component a container with a named volume, on one labelled network per app that every run
//! reuses ([`engine`]), behind a front door that owns the URL on 127.0.0.1 ([`proxy`]). A changed
//! app replaces its replicas one by one, each ready on its health path before an old one leaves.
//! Releases and the components' passwords are kept in the user's state directory ([`store`]).
//!
//! Nothing here prints: progress goes to an [`crate::deploy::pipeline::UpReporter`] as
//! [`crate::deploy::events::UpEvent`]s.

pub mod deploy;
pub mod engine;
pub mod proxy;
pub mod spec;
pub mod store;

use std::fmt;

/// What a container of the local target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A replica of the app.
    App,
    /// A component.
    Component,
    /// The front door.
    Proxy,
}

impl Role {
    /// The label value.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::Component => "component",
            Self::Proxy => "proxy",
        }
    }

    /// Reads a label value.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        [Self::App, Self::Component, Self::Proxy]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// Why a container did not become ready, as `paas up` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnosis {
    /// The container.
    pub container: String,
    /// What happened, in a sentence.
    pub reason: String,
    /// `OOMKilled`, `Crashed`, `NotReady`, `StartFailed`.
    pub cause: &'static str,
    /// Its last lines.
    pub logs: Vec<String>,
    /// What to do.
    pub hint: String,
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "container `{}`: {}", self.container, self.reason)?;
        if !self.logs.is_empty() {
            writeln!(f, "  its last lines:")?;
            for line in &self.logs {
                writeln!(f, "    {line}")?;
            }
        }
        write!(f, "  {}", self.hint)
    }
}

/// Why the local target failed.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// A Docker Engine request failed.
    #[error("failed to {action}")]
    Engine {
        /// What was being done.
        action: String,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// An image could not be pulled.
    #[error("failed to pull image `{image}`")]
    Pull {
        /// The image.
        image: String,
        /// The engine's error.
        #[source]
        source: bollard::errors::Error,
    },
    /// The manifests cannot run locally.
    #[error(transparent)]
    Spec(#[from] spec::SpecError),
    /// The state directory could not be used.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// The front door's image could not be made.
    #[error("failed to make the image of the local front door `{image}`")]
    ProxyImage {
        /// The image.
        image: String,
        /// The cause.
        #[source]
        source: anyhow::Error,
    },
    /// The build (or the render before the run) failed.
    #[error(transparent)]
    Up(#[from] Box<crate::deploy::pipeline::UpError>),
    /// A container did not become ready.
    #[error("release {revision} of `{app}` did not become ready on the local Docker engine: {}", diagnosis.reason)]
    NotReady {
        /// The app.
        app: String,
        /// The release.
        revision: u32,
        /// What happened.
        diagnosis: Box<Diagnosis>,
    },
    /// A component did not become ready.
    #[error("component `{component}` did not become ready on the local Docker engine: {}", diagnosis.reason)]
    ComponentNotReady {
        /// The component.
        component: String,
        /// What happened.
        diagnosis: Box<Diagnosis>,
    },
    /// The app is not running on the local engine.
    #[error("app `{app}` is not running on the local Docker engine")]
    NotRunning {
        /// The app.
        app: String,
    },
    /// No such release.
    #[error(
        "release {revision} of `{app}` is not recorded for the local target (releases: {known})"
    )]
    NoRelease {
        /// The app.
        app: String,
        /// The release asked for.
        revision: u32,
        /// The recorded ones.
        known: String,
    },
    /// Stopped by the user.
    #[error("`{app}` was stopped during {stage} on the local Docker engine")]
    Stopped {
        /// The app.
        app: String,
        /// What was going on.
        stage: &'static str,
    },
}

impl LocalError {
    /// The diagnosis, when a container failed.
    #[must_use]
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        match self {
            Self::NotReady { diagnosis, .. } | Self::ComponentNotReady { diagnosis, .. } => {
                Some(diagnosis)
            }
            _ => None,
        }
    }
}

impl From<crate::deploy::pipeline::UpError> for LocalError {
    fn from(err: crate::deploy::pipeline::UpError) -> Self {
        Self::Up(Box::new(err))
    }
}
