//! The app's own Secret (`paas secret set|unset|list`), and how its values reach the pods.
//!
//! Each app has one Secret, `<app>-secrets` ([`crate::names::secrets_name`]), in the namespace
//! of each environment. The Deployment's container reads it whole with `envFrom` (marked
//! optional, so the pods start before any key is set). The Secret carries [`SECRETS_OF`], never
//! the app's label, so pruning and `paas down` leave it (`down --volumes` deletes it).
//!
//! Values never leave the Secret. Release records, manifests, diffs and output see only a
//! checksum of all the values and a digest of each, both salted with a random salt kept in the
//! Secret's annotation [`SECRETS_SALT`], so that neither says anything about a value to someone
//! who cannot read the Secret.
//!
//! The checksum goes into the pod template as the annotation [`SECRETS_CHECKSUM`], so a changed
//! value changes the pod template and rolls the pods. paas writes it into the rendered
//! Deployment itself ([`stamp`]) instead of leaving it to the template, for two reasons. First,
//! `up`, `rollback` and `secret set` (which applies the live release's manifests again) all use
//! the same function. Second, a template written before secrets existed still rolls its pods on
//! a change. The template only has to pass the Secret with `envFrom`, and [`stamp`] checks that
//! it does.
//!
//! This module reads and writes the Secret and decides the rollout. It prints nothing and asks
//! nothing: reading a value from a prompt or stdin is the command's job.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use ::kube::api::PostParams;
use ::kube::{Api, Client};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::deploy::events::UpEvent;
use crate::deploy::interrupt::Interrupt;
use crate::deploy::lock::DeployLock;
use crate::deploy::pipeline::{self, UpError, UpReporter};
use crate::deploy::release::{ReleaseStatus, ReleaseStore};
use crate::deploy::rollback::{self, Purpose, RollbackError, RollbackPlan};
use crate::kube::FIELD_MANAGER;
use crate::labels::{SECRETS_CHANGED, SECRETS_CHECKSUM, SECRETS_OF, SECRETS_SALT};
use crate::manifests::Manifest;

/// Hex digits of the checksum in the pod template.
const CHECKSUM_LENGTH: usize = 16;
/// Hex digits of a key's digest in `paas secret list`.
const DIGEST_LENGTH: usize = 12;

/// A secret value. Its `Debug` never shows it; only the Secret gets it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(Vec<u8>);

impl SecretValue {
    /// Makes a value of exactly these bytes.
    #[must_use]
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// Makes a value from what was typed or piped in: one trailing newline (`\n` or `\r\n`)
    /// is dropped, as `echo` and a terminal add it; any other is kept.
    #[must_use]
    pub fn from_input(mut bytes: Vec<u8>) -> Self {
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        }
        Self(bytes)
    }

    /// Returns whether the value is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(..)")
    }
}

/// What `paas secret set` or `unset` changes.
#[derive(Debug, Clone)]
pub enum Change {
    /// Sets `key` to `value`.
    Set {
        /// The key, an environment variable name ([`crate::names::check_secret_key`]).
        key: String,
        /// The value.
        value: SecretValue,
    },
    /// Removes `key`.
    Unset {
        /// The key.
        key: String,
    },
}

impl Change {
    /// Returns the key changed.
    #[must_use]
    pub fn key(&self) -> &str {
        match self {
            Self::Set { key, .. } | Self::Unset { key } => key,
        }
    }

    /// Returns `set` or `unset`.
    #[must_use]
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Set { .. } => "set",
            Self::Unset { .. } => "unset",
        }
    }
}

/// Why the app's Secret could not be read.
#[derive(Debug, thiserror::Error)]
#[error("failed to read Secret `{name}` in namespace `{namespace}`")]
pub struct ReadError {
    /// The Secret.
    pub name: String,
    /// The namespace.
    pub namespace: String,
    /// The cause.
    #[source]
    pub source: Box<::kube::Error>,
}

/// Why a secret could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// The Secret could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// `unset` of a key the Secret does not have.
    #[error("Secret `{secret}` in namespace `{namespace}` has no key `{key}` (keys: {})", if known.is_empty() { "none".to_owned() } else { known.join(", ") })]
    UnknownKey {
        /// The key asked for.
        key: String,
        /// The Secret.
        secret: String,
        /// The namespace.
        namespace: String,
        /// The keys there are.
        known: Vec<String>,
    },
    /// The Secret exists but another tool made it (it lacks paas's label).
    #[error(
        "Secret `{secret}` in namespace `{namespace}` was not made by paas (it has no `{SECRETS_OF}` label); paas does not change it"
    )]
    NotOurs {
        /// The Secret.
        secret: String,
        /// The namespace.
        namespace: String,
    },
    /// The live release's Deployment does not pass the Secret to its container.
    #[error(
        "release {revision} of `{app}` does not pass Secret `{secret}` to its container; a value set now would never reach the pods, so nothing was changed"
    )]
    NotReferenced {
        /// The app.
        app: String,
        /// The live release.
        revision: u32,
        /// The Secret.
        secret: String,
    },
    /// Someone else changed the Secret between reading and writing it.
    #[error(
        "Secret `{secret}` in namespace `{namespace}` was changed by someone else at the same time; nothing was written"
    )]
    Conflict {
        /// The Secret.
        secret: String,
        /// The namespace.
        namespace: String,
    },
    /// Writing the Secret failed.
    #[error("failed to {action} Secret `{secret}` in namespace `{namespace}`")]
    Write {
        /// `create` or `update`.
        action: &'static str,
        /// The Secret.
        secret: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: Box<::kube::Error>,
    },
    /// The lock, the namespace or the release records failed.
    #[error(transparent)]
    Deploy(Box<UpError>),
    /// The Secret changed, and rolling the pods out failed.
    #[error("Secret `{secret}` was changed, but rolling it out failed")]
    Rollout {
        /// The Secret.
        secret: String,
        /// Why.
        #[source]
        source: Box<RollbackError>,
    },
}

impl From<UpError> for SecretsError {
    fn from(err: UpError) -> Self {
        Self::Deploy(Box::new(err))
    }
}

impl SecretsError {
    /// Returns whether the deploy lock was lost (so it must be left alone).
    #[must_use]
    pub fn lost_lock(&self) -> bool {
        match self {
            Self::Deploy(err) => err.lost_lock(),
            Self::Rollout { source, .. } => {
                matches!(source.as_ref(), RollbackError::Deploy(err) if err.lost_lock())
            }
            _ => false,
        }
    }
}

/// The app's Secret as read from the cluster.
#[derive(Clone)]
pub struct AppSecret {
    object: Secret,
    salt: String,
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppSecret")
            .field("name", &self.object.metadata.name)
            .field("keys", &self.keys())
            .finish_non_exhaustive()
    }
}

impl AppSecret {
    fn data(&self) -> BTreeMap<String, ByteString> {
        self.object.data.clone().unwrap_or_default()
    }

    /// Returns the keys, sorted.
    #[must_use]
    pub fn keys(&self) -> Vec<String> {
        self.object
            .data
            .iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Returns whether paas made the Secret (another tool, such as External Secrets Operator,
    /// may write one of the same name).
    #[must_use]
    pub fn ours(&self) -> bool {
        self.object
            .metadata
            .labels
            .as_ref()
            .is_some_and(|l| l.contains_key(SECRETS_OF))
    }

    /// Returns the checksum of every value; `None` when the Secret has no key.
    #[must_use]
    pub fn checksum(&self) -> Option<String> {
        let data: BTreeMap<String, Vec<u8>> =
            self.data().into_iter().map(|(k, v)| (k, v.0)).collect();
        checksum(&self.salt, &data)
    }

    /// Returns each key with the digest of its value and when it last changed, sorted.
    #[must_use]
    pub fn entries(&self) -> Vec<SecretEntry> {
        let changed = changed_times(&self.object);
        self.data()
            .into_iter()
            .map(|(key, value)| SecretEntry {
                digest: digest(&self.salt, &key, &value.0),
                changed: changed.get(&key).cloned(),
                key,
            })
            .collect()
    }
}

/// One key of the app's Secret, as `paas secret list` shows it: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretEntry {
    /// The key (the environment variable's name).
    pub key: String,
    /// A salted digest of the value: it changes when the value does, and tells nothing about it.
    pub digest: String,
    /// When the key last changed (RFC 3339), when paas changed it.
    pub changed: Option<String>,
}

/// The app's secrets, as `paas secret list --output json` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct SecretListing {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// The Secret.
    pub secret: String,
    /// Whether the Secret exists.
    pub exists: bool,
    /// Whether paas made it (false: another tool writes it).
    pub managed: bool,
    /// The checksum the pod template carries.
    pub checksum: Option<String>,
    /// Each key.
    pub keys: Vec<SecretEntry>,
}

/// Returns the checksum of `data` salted with `salt`: the first 16 hex digits of a SHA-256 over
/// the salt and every key and value in key order, each length-prefixed so no two sets of pairs
/// hash alike. `None` for no data.
#[must_use]
pub fn checksum(salt: &str, data: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    if data.is_empty() {
        return None;
    }
    let mut hasher = Sha256::new();
    hasher.update(prefixed(salt.as_bytes()));
    for (key, value) in data {
        hasher.update(prefixed(key.as_bytes()));
        hasher.update(prefixed(value));
    }
    Some(hex(&hasher.finalize(), CHECKSUM_LENGTH))
}

/// Returns the digest of one value: the first 12 hex digits of a SHA-256 over the salt, the key
/// and the value.
#[must_use]
pub fn digest(salt: &str, key: &str, value: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"key ");
    hasher.update(prefixed(salt.as_bytes()));
    hasher.update(prefixed(key.as_bytes()));
    hasher.update(prefixed(value));
    hex(&hasher.finalize(), DIGEST_LENGTH)
}

fn prefixed(bytes: &[u8]) -> Vec<u8> {
    let mut out = u64::try_from(bytes.len())
        .unwrap_or(u64::MAX)
        .to_be_bytes()
        .to_vec();
    out.extend_from_slice(bytes);
    out
}

fn hex(bytes: &[u8], digits: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out.truncate(digits);
    out
}

/// A new random salt: 16 bytes, in hex.
fn new_salt() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    hex(&bytes, 32)
}

/// Returns when each key last changed, from the annotation [`SECRETS_CHANGED`] (empty when it
/// is missing or damaged: it is only shown).
fn changed_times(secret: &Secret) -> BTreeMap<String, String> {
    secret
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(SECRETS_CHANGED))
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

/// Reads the app's Secret; `None` when it (or the namespace) does not exist. Its salt is the
/// annotation paas wrote, else (a Secret another tool wrote) its uid, which is as stable.
pub async fn read(
    client: &Client,
    namespace: &str,
    app: &str,
) -> Result<Option<AppSecret>, ReadError> {
    let name = crate::names::secrets_name(app);
    let api: Api<Secret> = Api::namespaced(client.clone(), namespace);
    let object = api.get_opt(&name).await.map_err(|source| ReadError {
        name: name.clone(),
        namespace: namespace.to_owned(),
        source: Box::new(source),
    })?;
    Ok(object.map(|object| {
        let salt = object
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(SECRETS_SALT))
            .or(object.metadata.uid.as_ref())
            .cloned()
            .unwrap_or_default();
        AppSecret { object, salt }
    }))
}

/// Lists the app's secrets: keys, digests and times, never values.
pub async fn list(client: &Client, namespace: &str, app: &str) -> Result<SecretListing, ReadError> {
    let secret = read(client, namespace, app).await?;
    Ok(SecretListing {
        app: app.to_owned(),
        namespace: namespace.to_owned(),
        secret: crate::names::secrets_name(app),
        exists: secret.is_some(),
        managed: secret.as_ref().is_some_and(AppSecret::ours),
        checksum: secret.as_ref().and_then(AppSecret::checksum),
        keys: secret.as_ref().map(AppSecret::entries).unwrap_or_default(),
    })
}

/// What [`stamp`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stamp {
    /// The app's Deployments carry the checksum.
    Stamped,
    /// There are no secrets: the annotation was removed, if there was one.
    NoSecrets,
    /// A Deployment does not pass the Secret to its container (a template written before
    /// `paas secret`); it got no checksum.
    NotReferenced {
        /// `kind/name`.
        id: String,
        /// The template it came from.
        source: String,
    },
}

/// Returns whether a Deployment's container gets Secret `secret` with `envFrom`.
#[must_use]
pub fn references(deployment: &Value, secret: &str) -> bool {
    deployment
        .pointer("/spec/template/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("envFrom").and_then(Value::as_array))
        .flatten()
        .any(|source| source.pointer("/secretRef/name").and_then(Value::as_str) == Some(secret))
}

/// Writes `checksum` into the pod template of the app's own Deployments (not a component's) as
/// [`SECRETS_CHECKSUM`], or removes it when there is none. A Deployment that does not pass
/// Secret `secret` to its container gets no checksum, and is returned.
pub fn stamp(manifests: &mut [Manifest], secret: &str, checksum: Option<&str>) -> Stamp {
    let mut outcome = if checksum.is_some() {
        Stamp::Stamped
    } else {
        Stamp::NoSecrets
    };
    for manifest in manifests
        .iter_mut()
        .filter(|m| m.kind == "Deployment" && !crate::deploy::components::is_component(m))
    {
        let referenced = references(&manifest.value, secret);
        let Some(metadata) = manifest
            .value
            .pointer_mut("/spec/template")
            .and_then(Value::as_object_mut)
            .map(|t| {
                t.entry("metadata")
                    .or_insert_with(|| Value::Object(serde_json::Map::new()))
            })
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let annotations = metadata
            .entry("annotations")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(annotations) = annotations.as_object_mut() {
            match checksum {
                Some(checksum) if referenced => {
                    annotations.insert(SECRETS_CHECKSUM.to_owned(), Value::from(checksum));
                }
                _ => {
                    annotations.remove(SECRETS_CHECKSUM);
                }
            }
        }
        if metadata
            .get("annotations")
            .and_then(Value::as_object)
            .is_some_and(serde_json::Map::is_empty)
        {
            metadata.remove("annotations");
        }
        if checksum.is_some() && !referenced && outcome == Stamp::Stamped {
            outcome = Stamp::NotReferenced {
                id: manifest.id(),
                source: manifest.source.clone(),
            };
        }
    }
    outcome
}

/// Reads the app's Secret and [`stamp`]s its checksum into `manifests`.
pub async fn stamp_live(
    client: &Client,
    namespace: &str,
    app: &str,
    manifests: &mut [Manifest],
) -> Result<Stamp, ReadError> {
    let secret = read(client, namespace, app).await?;
    let checksum = secret.as_ref().and_then(AppSecret::checksum);
    Ok(stamp(
        manifests,
        &crate::names::secrets_name(app),
        checksum.as_deref(),
    ))
}

/// What `paas secret set` or `unset` does.
#[derive(Debug, Clone)]
pub struct SecretPlan {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// The change.
    pub change: Change,
    /// Roll the pods out with the new values (a new release), else leave it to the next
    /// `paas up`.
    pub rollout: bool,
    /// How long to wait for the rollout.
    pub timeout: Duration,
    /// How long a failure that may heal must last before the wait gives up.
    pub grace: Duration,
    /// Who changes it, for the lock and the release record.
    pub user: String,
    /// Releases kept.
    pub history: usize,
}

/// What a change did, as `--output json` prints it: never a value.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeResult {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// The Secret.
    pub secret: String,
    /// The key.
    pub key: String,
    /// `set` or `unset`.
    pub action: &'static str,
    /// Whether the Secret changed (false: the key had that value already).
    pub changed: bool,
    /// Whether the Secret was created.
    pub created: bool,
    /// The digest of the key's new value (`set`).
    pub digest: Option<String>,
    /// The release that is live in the namespace, if the app is deployed there.
    pub live: Option<u32>,
    /// The release recorded for the rollout.
    pub revision: Option<u32>,
    /// Whether the pods were rolled out.
    pub rolled_out: bool,
    /// Seconds the rollout took.
    pub rollout_seconds: f64,
}

/// Changes one key of the app's Secret and, unless told not to, rolls the app out with it: the
/// live release's manifests with the new checksum, recorded as a new release and waited for as
/// `paas rollback` does. Holds the deploy lock throughout.
///
/// Nothing is written when the key is unknown (`unset`), when the Secret is another tool's,
/// or when the live release's Deployment does not pass the Secret to its container.
pub async fn change(
    client: &Client,
    plan: &SecretPlan,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<ChangeResult, SecretsError> {
    // Refused before anything is created (the namespace, the lock).
    let current = read(client, &plan.namespace, &plan.app).await?;
    check(current.as_ref(), plan)?;
    if matches!(plan.change, Change::Set { .. }) {
        let created = crate::deploy::apply::ensure_namespace(client, &plan.namespace)
            .await
            .map_err(UpError::from)?;
        if created {
            reporter.event(&UpEvent::NamespaceCreated {
                namespace: &plan.namespace,
            });
        }
    }
    let lock = DeployLock::acquire(client.clone(), &plan.namespace, &plan.app, &plan.user)
        .await
        .map_err(UpError::from)?;
    let store = ReleaseStore::new(client.clone(), &plan.namespace, &plan.app);
    let result = pipeline::guarded(&lock, async {
        pipeline::took_lock(&lock, &store, reporter).await?;
        Box::pin(change_locked(client, plan, &store, reporter, interrupt)).await
    })
    .await;
    let lost = matches!(&result, Err(err) if err.lost_lock());
    pipeline::settle_lock(lock, lost, pipeline::cleanup_limit(plan.timeout), reporter).await;
    result
}

/// Refuses an `unset` of a key the Secret lacks, and any change of a Secret paas did not make.
fn check(current: Option<&AppSecret>, plan: &SecretPlan) -> Result<(), SecretsError> {
    let secret = crate::names::secrets_name(&plan.app);
    if let Some(current) = current
        && !current.ours()
    {
        return Err(SecretsError::NotOurs {
            secret,
            namespace: plan.namespace.clone(),
        });
    }
    if let Change::Unset { key } = &plan.change {
        let known = current.map(AppSecret::keys).unwrap_or_default();
        if !known.contains(key) {
            return Err(SecretsError::UnknownKey {
                key: key.clone(),
                secret,
                namespace: plan.namespace.clone(),
                known,
            });
        }
    }
    Ok(())
}

async fn change_locked(
    client: &Client,
    plan: &SecretPlan,
    store: &ReleaseStore,
    reporter: &dyn UpReporter,
    interrupt: &Interrupt,
) -> Result<ChangeResult, SecretsError> {
    let secret = crate::names::secrets_name(&plan.app);
    // Read again under the lock: what is written is based on what no one else changes now.
    let current = read(client, &plan.namespace, &plan.app).await?;
    check(current.as_ref(), plan)?;
    let live = match store
        .list()
        .await
        .map_err(UpError::from)?
        .iter()
        .rev()
        .find(|r| r.status == ReleaseStatus::Deployed)
    {
        Some(summary) => Some(store.get(summary.revision).await.map_err(UpError::from)?),
        None => None,
    };
    if let Some(live) = &live {
        let manifests = crate::manifests::parse_rendered(
            &live.manifests,
            &format!("release {}", live.revision),
        )
        .map_err(UpError::from)?;
        let passes = manifests
            .iter()
            .filter(|m| m.kind == "Deployment" && !crate::deploy::components::is_component(m))
            .all(|m| references(&m.value, &secret));
        if !passes {
            return Err(SecretsError::NotReferenced {
                app: plan.app.clone(),
                revision: live.revision,
                secret,
            });
        }
    }
    let written = write(client, plan, current).await?;
    reporter.event(&UpEvent::SecretChanged {
        secret: &secret,
        key: plan.change.key(),
        unset: matches!(plan.change, Change::Unset { .. }),
        changed: written.changed,
    });
    let mut result = ChangeResult {
        app: plan.app.clone(),
        namespace: plan.namespace.clone(),
        secret: secret.clone(),
        key: plan.change.key().to_owned(),
        action: plan.change.verb(),
        changed: written.changed,
        created: written.created,
        digest: written.digest,
        live: live.as_ref().map(|l| l.revision),
        revision: None,
        rolled_out: false,
        rollout_seconds: 0.0,
    };
    let Some(live) = live else {
        reporter.event(&UpEvent::SecretsNotDeployed {
            app: &plan.app,
            namespace: &plan.namespace,
        });
        return Ok(result);
    };
    if !plan.rollout {
        reporter.event(&UpEvent::SecretsNotRolledOut { app: &plan.app });
        return Ok(result);
    }
    let rollout = RollbackPlan {
        app: plan.app.clone(),
        namespace: plan.namespace.clone(),
        to: Some(live.revision),
        timeout: plan.timeout,
        grace: plan.grace,
        atomic: false,
        user: plan.user.clone(),
        history: plan.history,
    };
    let rolled = async {
        let mut prepared = rollback::prepare(client, &rollout).await?;
        prepared.purpose = Purpose::Secrets {
            description: format!("secret {} {}", plan.change.verb(), plan.change.key()),
        };
        Box::pin(rollback::execute(
            client, &rollout, prepared, reporter, interrupt,
        ))
        .await
    }
    .await
    .map_err(|source| SecretsError::Rollout {
        secret: secret.clone(),
        source: Box::new(source),
    })?;
    result.revision = rolled.revision;
    result.rolled_out = !rolled.unchanged;
    result.rollout_seconds = rolled.rollout_seconds;
    Ok(result)
}

/// What [`write`] did.
struct Written {
    changed: bool,
    created: bool,
    digest: Option<String>,
}

/// Writes the change: creates the Secret (with a new salt) or replaces it with the
/// resourceVersion read, so a change made in between is refused, not overwritten.
async fn write(
    client: &Client,
    plan: &SecretPlan,
    current: Option<AppSecret>,
) -> Result<Written, SecretsError> {
    let name = crate::names::secrets_name(&plan.app);
    let api: Api<Secret> = Api::namespaced(client.clone(), &plan.namespace);
    let created = current.is_none();
    let (mut object, salt) = match current {
        Some(current) => (current.object, current.salt),
        None => (
            Secret {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    namespace: Some(plan.namespace.clone()),
                    labels: Some(crate::labels::secrets_labels(&plan.app)),
                    ..ObjectMeta::default()
                },
                type_: Some("Opaque".to_owned()),
                ..Secret::default()
            },
            new_salt(),
        ),
    };
    let mut data = object.data.clone().unwrap_or_default();
    let key = plan.change.key().to_owned();
    let (changed, digest) = match &plan.change {
        Change::Set { value, .. } => {
            let same = data.get(&key).is_some_and(|v| v.0 == value.0);
            data.insert(key.clone(), ByteString(value.0.clone()));
            (!same, Some(digest(&salt, &key, &value.0)))
        }
        Change::Unset { .. } => (data.remove(&key).is_some(), None),
    };
    if !changed {
        return Ok(Written {
            changed,
            created,
            digest,
        });
    }
    let mut times = changed_times(&object);
    match &plan.change {
        Change::Set { .. } => {
            times.insert(key, k8s_openapi::jiff::Timestamp::now().to_string());
        }
        Change::Unset { .. } => {
            times.remove(&key);
        }
    }
    let annotations = object
        .metadata
        .annotations
        .get_or_insert_with(BTreeMap::new);
    annotations.insert(SECRETS_SALT.to_owned(), salt);
    annotations.insert(
        SECRETS_CHANGED.to_owned(),
        serde_json::to_string(&times).unwrap_or_default(),
    );
    object.data = Some(data);
    object.string_data = None;
    let params = PostParams {
        dry_run: false,
        field_manager: Some(FIELD_MANAGER.to_owned()),
    };
    let error = |action: &'static str| {
        let (secret, namespace) = (name.clone(), plan.namespace.clone());
        move |source: ::kube::Error| match source {
            ::kube::Error::Api(status) if status.is_conflict() || status.is_already_exists() => {
                SecretsError::Conflict { secret, namespace }
            }
            source => SecretsError::Write {
                action,
                secret,
                namespace,
                source: Box::new(source),
            },
        }
    };
    if created {
        api.create(&params, &object)
            .await
            .map_err(error("create"))?;
    } else {
        api.replace(&name, &params, &object)
            .await
            .map_err(error("update"))?;
    }
    Ok(Written {
        changed,
        created,
        digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn the_checksum_follows_every_value_and_the_salt() {
        let base = checksum("salt", &data(&[("A", "1"), ("B", "2")])).expect("a checksum");
        assert_eq!(base.len(), CHECKSUM_LENGTH);
        assert!(base.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(
            checksum("salt", &data(&[("B", "2"), ("A", "1")])),
            Some(base.clone()),
            "the order of setting does not count"
        );
        for other in [
            checksum("salt", &data(&[("A", "1"), ("B", "3")])),
            checksum("salt", &data(&[("A", "1")])),
            checksum("other", &data(&[("A", "1"), ("B", "2")])),
            // Pairs that would concatenate alike.
            checksum("salt", &data(&[("A", "1B"), ("", "2")])),
        ] {
            assert_ne!(other, Some(base.clone()));
        }
        assert_eq!(checksum("salt", &BTreeMap::new()), None);
    }

    #[test]
    fn digests_do_not_show_the_value() {
        let value = "hunter2-sentinel";
        let one = digest("salt", "PASSWORD", value.as_bytes());
        assert_eq!(one.len(), DIGEST_LENGTH);
        assert!(!one.contains(value));
        assert_ne!(one, digest("salt", "PASSWORD", b"other"));
        assert_ne!(one, digest("pepper", "PASSWORD", value.as_bytes()));
        assert_ne!(one, digest("salt", "TOKEN", value.as_bytes()));
        // Unsalted, the digest would be the plain hash's prefix; it is not.
        let plain = hex(&Sha256::digest(value.as_bytes()), DIGEST_LENGTH);
        assert_ne!(one, plain);
    }

    #[test]
    fn input_loses_one_trailing_newline() {
        assert_eq!(SecretValue::from_input(b"abc\n".to_vec()).0, b"abc");
        assert_eq!(SecretValue::from_input(b"abc\r\n".to_vec()).0, b"abc");
        assert_eq!(SecretValue::from_input(b"abc\n\n".to_vec()).0, b"abc\n");
        assert_eq!(SecretValue::from_input(b"abc".to_vec()).0, b"abc");
        assert_eq!(SecretValue::from_input(b" a b ".to_vec()).0, b" a b ");
        assert!(SecretValue::from_input(b"\n".to_vec()).is_empty());
        assert_eq!(
            format!("{:?}", SecretValue::new(b"hunter2".to_vec())),
            "SecretValue(..)"
        );
    }

    fn deployment(with_reference: bool) -> Manifest {
        let mut env_from = vec![serde_json::json!({ "configMapRef": { "name": "web-env" } })];
        if with_reference {
            env_from.push(
                serde_json::json!({ "secretRef": { "name": "web-secrets", "optional": true } }),
            );
        }
        let text = serde_json::json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": { "name": "web" },
            "spec": {
                "selector": { "matchLabels": { "app": "web" } },
                "template": {
                    "metadata": { "labels": { "app": "web" } },
                    "spec": { "containers": [ { "name": "web", "image": "web:1", "envFrom": env_from } ] }
                }
            }
        });
        crate::manifests::parse_rendered(&serde_json::to_string(&text).unwrap(), "test")
            .unwrap()
            .remove(0)
    }

    #[test]
    fn stamping_writes_and_removes_the_checksum() {
        let mut manifests = vec![deployment(true)];
        assert_eq!(
            stamp(&mut manifests, "web-secrets", Some("0123456789abcdef")),
            Stamp::Stamped
        );
        let annotation = format!(
            "/spec/template/metadata/annotations/{}",
            SECRETS_CHECKSUM.replace('/', "~1")
        );
        assert_eq!(
            manifests[0].value.pointer(&annotation),
            Some(&Value::from("0123456789abcdef"))
        );
        assert_eq!(stamp(&mut manifests, "web-secrets", None), Stamp::NoSecrets);
        assert_eq!(manifests[0].value.pointer(&annotation), None);
        assert_eq!(
            manifests[0]
                .value
                .pointer("/spec/template/metadata/annotations"),
            None,
            "no empty annotations are left"
        );
    }

    #[test]
    fn a_deployment_without_the_reference_is_named() {
        let mut manifests = vec![deployment(false)];
        assert_eq!(
            stamp(&mut manifests, "web-secrets", Some("0123456789abcdef")),
            Stamp::NotReferenced {
                id: "deployment/web".into(),
                source: "test".into()
            }
        );
        assert!(!references(&manifests[0].value, "web-secrets"));
        assert_eq!(stamp(&mut manifests, "web-secrets", None), Stamp::NoSecrets);
    }
}
