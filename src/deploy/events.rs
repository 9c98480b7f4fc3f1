//! What `up` and `rollback` report as they go, as typed events: the UI layer words them
//! (its verbs, backticks and units), so nothing here chooses how progress reads.

use std::time::Duration;

use crate::deploy::apply::ObjectChange;

/// One step of a deploy or a rollback.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UpEvent<'a> {
    /// The access rules let in (or out) what was found in the cluster.
    Access {
        /// What was found.
        note: &'a crate::access::discover::Note,
    },
    /// The namespace did not exist and was created.
    NamespaceCreated {
        /// The namespace.
        namespace: &'a str,
    },
    /// The namespace created for a deploy that failed was left empty, and was deleted.
    NamespaceRemoved {
        /// The namespace.
        namespace: &'a str,
    },
    /// An image of the same build context exists; it was tagged, not built.
    Fresh {
        /// The image's tag.
        image: &'a str,
    },
    /// The build starts.
    Building {
        /// The image's tag.
        image: &'a str,
        /// Files in the build context.
        files: usize,
        /// Bytes in the build context.
        bytes: u64,
    },
    /// The build finished.
    Built {
        /// The image's tag.
        image: &'a str,
    },
    /// The image is in the registry.
    Pushed {
        /// The image, pinned by digest.
        image: &'a str,
        /// Layers uploaded (or mounted from another repository).
        uploaded: usize,
        /// Layers the registry had.
        existing: usize,
    },
    /// A promotion starts: the image of a release of another environment is deployed.
    Promoting {
        /// The app.
        app: &'a str,
        /// The source environment.
        environment: &'a str,
        /// The source release.
        revision: u32,
        /// Its image, pinned by digest.
        image: &'a str,
    },
    /// One blob of a copy between registries is done.
    BlobCopied {
        /// Its digest.
        digest: &'a str,
        /// Its size in bytes.
        size: u64,
        /// Uploaded, mounted or already there.
        outcome: crate::registry::copy::BlobOutcome,
    },
    /// The image is in the target's registry, with the same digest.
    Copied {
        /// The image in the target's repository, pinned by digest.
        image: &'a str,
        /// What the copy did.
        copied: &'a crate::registry::copy::Copied,
    },
    /// The live release has the same inputs: nothing is built, pushed or applied.
    UpToDate {
        /// The app.
        app: &'a str,
        /// The live release.
        revision: u32,
    },
    /// The local target's network did not exist and was made.
    NetworkCreated {
        /// The network.
        network: &'a str,
    },
    /// The local target's front door was made: the container that owns the app's URL.
    ProxyStarted {
        /// The container.
        container: &'a str,
        /// The app's URL.
        url: &'a str,
    },
    /// A container of the local target was started.
    ContainerStarted {
        /// The container.
        container: &'a str,
    },
    /// A container of the local target passed its readiness check.
    ContainerReady {
        /// The container.
        container: &'a str,
        /// How long it took.
        elapsed: Duration,
    },
    /// A container of the local target was taken out of the rotation, stopped and removed.
    ContainerRemoved {
        /// The container.
        container: &'a str,
    },
    /// A component's password on the local target did not exist and was made.
    LocalCredentialCreated {
        /// The component.
        component: &'a str,
    },
    /// A component's Secret did not exist: it was created with a new password.
    SecretCreated {
        /// The component.
        component: &'a str,
        /// The Secret.
        secret: &'a str,
    },
    /// A component rolled out and is ready.
    ComponentReady {
        /// The component.
        component: &'a str,
        /// How long its rollout took.
        elapsed: Duration,
    },
    /// A component's data was backed up for its major upgrade.
    MajorBackedUp {
        /// The upgrade.
        upgrade: &'a crate::deploy::major::Upgrade,
    },
    /// The component's old `StatefulSet` is gone; its volume claim is kept.
    MajorReplaced {
        /// The upgrade.
        upgrade: &'a crate::deploy::major::Upgrade,
    },
    /// The dump is in the new instance (or its kept claim was used again).
    MajorRestored {
        /// The upgrade.
        upgrade: &'a crate::deploy::major::Upgrade,
    },
    /// The objects were applied and the ones no longer declared pruned.
    Applied {
        /// What happened to each object (unchanged ones included).
        changes: &'a [ObjectChange],
    },
    /// The release rolled out.
    RolledOut {
        /// The app.
        app: &'a str,
        /// The release.
        revision: u32,
        /// How long the rollout took.
        elapsed: Duration,
    },
    /// `--atomic` puts the last good release back.
    Restoring {
        /// The release put back.
        revision: u32,
    },
    /// The last good release is live again.
    Restored {
        /// The app.
        app: &'a str,
        /// The release.
        revision: u32,
    },
    /// `--atomic` found no release that was live before.
    NothingToRestore,
    /// The release asked for is the one running: nothing is rolled back.
    AlreadyLive {
        /// The app.
        app: &'a str,
        /// The release.
        revision: u32,
    },
    /// A rollback starts.
    RollingBack {
        /// The app.
        app: &'a str,
        /// The release rolled back to.
        revision: u32,
        /// Its git commit, if recorded.
        commit: Option<&'a str>,
        /// Its image digest, if recorded.
        digest: Option<&'a str>,
    },
    /// The rollback rolled out.
    RolledBack {
        /// The app.
        app: &'a str,
        /// The release rolled back to.
        target: u32,
        /// The new release recording it.
        revision: u32,
        /// How long the rollout took.
        elapsed: Duration,
    },
    /// A key of the app's Secret was set or unset (or already had that value).
    SecretChanged {
        /// The Secret.
        secret: &'a str,
        /// The key.
        key: &'a str,
        /// Whether the key was removed (else set).
        unset: bool,
        /// Whether the Secret changed.
        changed: bool,
    },
    /// The app has no live release in the namespace: its first `paas up` passes the Secret.
    SecretsNotDeployed {
        /// The app.
        app: &'a str,
        /// The namespace.
        namespace: &'a str,
    },
    /// `--no-rollout`: the pods get the change at the next rollout.
    SecretsNotRolledOut {
        /// The app.
        app: &'a str,
    },
    /// The live release is applied again, with the checksum of the changed Secret.
    RollingOutSecrets {
        /// The app.
        app: &'a str,
        /// The live release whose manifests are applied.
        revision: u32,
    },
    /// The pods already run with the Secret's values: nothing to roll out.
    SecretsLive {
        /// The app.
        app: &'a str,
        /// The live release.
        revision: u32,
    },
}
