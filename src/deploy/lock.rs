//! One deploy at a time per app and namespace: a `coordination.k8s.io/v1` Lease.
//!
//! The second `paas up` (or `rollback`, `scale`, `down`) fails fast and names who holds the
//! lock and since when. The holder renews the Lease while it works; a Lease left by a killed
//! process expires after [`LEASE_SECONDS`] and is then taken over, and so is one whose holder
//! ran on this host as a process that is gone (stale). Every takeover carries a
//! resourceVersion precondition, so two deploys cannot both take it.
//!
//! The Lease is only ever renewed or deleted while it is still this holder's: the renewer
//! writes with the resourceVersion it just read, [`DeployLock::release`] deletes with one. A
//! holder that loses the Lease (someone took it, it was deleted, or it could not be renewed
//! for a whole lease duration) learns it within a second through [`DeployLock::lost`], so the
//! operation it guards can stop at once, and leaves the Lease alone.

use std::time::{Duration, Instant};

use ::kube::Api;
use ::kube::api::{DeleteParams, PostParams, Preconditions};
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

/// How long a Lease stays valid without renewal.
pub const LEASE_SECONDS: i32 = 30;
/// How often the holder checks that the Lease is still its own.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often the holder renews the Lease.
const RENEW_EVERY: Duration = Duration::from_secs(10);
/// How long one read or renewal of the Lease may take before it counts as failed.
const REQUEST_LIMIT: Duration = Duration::from_secs(5);

/// Why a held lock stopped being this holder's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LostReason {
    /// Another holder has the Lease now.
    TakenBy(String),
    /// The Lease was deleted.
    Deleted,
    /// No renewal succeeded for a whole lease duration, so another deploy may take it.
    NotRenewed,
}

impl std::fmt::Display for LostReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TakenBy(holder) => write!(f, "`{holder}` holds it now"),
            Self::Deleted => f.write_str("its Lease was deleted"),
            Self::NotRenewed => write!(
                f,
                "it could not be renewed for {LEASE_SECONDS}s, so another deploy may hold it"
            ),
        }
    }
}

/// Why the lock could not be taken or kept.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another deploy holds it.
    #[error(
        "another deploy of `{app}` in namespace `{namespace}` is running: {holder} since {since}"
    )]
    Held {
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
        /// Who holds it.
        holder: String,
        /// Since when (RFC 3339).
        since: String,
    },
    /// The lock was this holder's and is not any more.
    #[error("lost the deploy lock `{name}` in namespace `{namespace}`: {reason}")]
    Lost {
        /// The Lease.
        name: String,
        /// The namespace.
        namespace: String,
        /// What happened to it.
        reason: LostReason,
    },
    /// The API call failed.
    #[error("failed to {action} the deploy lock `{name}` in namespace `{namespace}`")]
    Api {
        /// What was being done.
        action: &'static str,
        /// The Lease.
        name: String,
        /// The namespace.
        namespace: String,
        /// The cause.
        #[source]
        source: ::kube::Error,
    },
}

/// A lock taken over from an earlier holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Takeover {
    /// Who held it.
    pub holder: String,
    /// Whether its holder's process is gone (on this host); otherwise the Lease had expired.
    pub stale: bool,
}

/// A held deploy lock. Call [`DeployLock::release`] when done; a lock that is only dropped
/// expires on its own.
pub struct DeployLock {
    api: Api<Lease>,
    name: String,
    namespace: String,
    holder: String,
    lost: watch::Receiver<Option<LostReason>>,
    renewer: Option<tokio::task::JoinHandle<()>>,
    took_over: Option<Takeover>,
}

/// Returns the Lease name of an app's deploy lock.
#[must_use]
pub fn lease_name(app: &str) -> String {
    format!("paas-deploy.{app}")
}

fn lease(
    name: &str,
    namespace: &str,
    app: &str,
    holder: &str,
    resource_version: Option<String>,
) -> Lease {
    let now = MicroTime(Timestamp::now());
    let labels = crate::labels::lock_labels(app);
    Lease {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(namespace.to_owned()),
            labels: Some(labels),
            resource_version,
            ..ObjectMeta::default()
        },
        spec: Some(LeaseSpec {
            holder_identity: Some(holder.to_owned()),
            lease_duration_seconds: Some(LEASE_SECONDS),
            acquire_time: Some(now.clone()),
            renew_time: Some(now),
            ..LeaseSpec::default()
        }),
    }
}

fn expired(lease: &Lease, now: Timestamp) -> bool {
    let Some(spec) = &lease.spec else { return true };
    let seconds = i64::from(spec.lease_duration_seconds.unwrap_or(LEASE_SECONDS));
    let last = spec
        .renew_time
        .as_ref()
        .or(spec.acquire_time.as_ref())
        .map(|t| t.0);
    last.is_none_or(|last| last + SignedDuration::from_secs(seconds) < now)
}

fn holder_of(lease: &Lease) -> Option<&str> {
    lease.spec.as_ref()?.holder_identity.as_deref()
}

/// Splits a holder identity, `user@host pid N`, into its host and pid.
fn host_and_pid(holder: &str) -> Option<(&str, u32)> {
    let (who, pid) = holder.rsplit_once(" pid ")?;
    // The host is what follows the last `@` (a user name may hold one).
    let host = &who[who.rfind('@')? + 1..];
    Some((host, pid.trim().parse().ok()?))
}

/// Returns whether `holder` ran on the same host as `me` as a process that is gone. Where
/// the process table cannot be read, no holder is stale.
fn stale(holder: &str, me: &str, alive: impl Fn(u32) -> bool) -> bool {
    match (host_and_pid(holder), host_and_pid(me)) {
        (Some((host, pid)), Some((my_host, my_pid))) => {
            host == my_host && pid != my_pid && !alive(pid)
        }
        _ => false,
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        std::path::Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

impl DeployLock {
    /// Takes the deploy lock of `app` in `namespace` for `holder` (`user@host pid N`), or
    /// fails at once with [`LockError::Held`]. A Lease that expired, or whose holder ran on
    /// this host as a process that is gone, is taken over ([`DeployLock::took_over`]).
    pub async fn acquire(
        client: ::kube::Client,
        namespace: &str,
        app: &str,
        holder: &str,
    ) -> Result<Self, LockError> {
        let api: Api<Lease> = Api::namespaced(client, namespace);
        let name = lease_name(app);
        let error = |action: &'static str| {
            let name = name.clone();
            let namespace = namespace.to_owned();
            move |source| LockError::Api {
                action,
                name,
                namespace,
                source,
            }
        };
        let held = |current: Lease| {
            let spec = current.spec.unwrap_or_default();
            LockError::Held {
                app: app.to_owned(),
                namespace: namespace.to_owned(),
                holder: spec.holder_identity.unwrap_or_else(|| "someone".into()),
                since: spec
                    .acquire_time
                    .map_or_else(|| "an unknown time".into(), |t| t.0.to_string()),
            }
        };
        let fresh = lease(&name, namespace, app, holder, None);
        let mut took_over = None;
        match api.create(&PostParams::default(), &fresh).await {
            Ok(_) => {}
            Err(::kube::Error::Api(status)) if status.is_already_exists() => {
                let current = api.get(&name).await.map_err(error("read"))?;
                let previous = holder_of(&current).unwrap_or("someone").to_owned();
                let is_stale = stale(&previous, holder, process_alive);
                if !is_stale && !expired(&current, Timestamp::now()) {
                    return Err(held(current));
                }
                // Take it over, but only if nobody else did since it was read.
                let takeover = lease(
                    &name,
                    namespace,
                    app,
                    holder,
                    current.metadata.resource_version,
                );
                match api.replace(&name, &PostParams::default(), &takeover).await {
                    Ok(_) => {}
                    Err(::kube::Error::Api(status)) if status.is_conflict() => {
                        return Err(held(api.get(&name).await.map_err(error("read"))?));
                    }
                    Err(source) => return Err(error("take over")(source)),
                }
                took_over = Some(Takeover {
                    holder: previous,
                    stale: is_stale,
                });
            }
            Err(source) => return Err(error("create")(source)),
        }
        let (lost_tx, lost) = watch::channel(None);
        let renewer = tokio::spawn(keep(api.clone(), name.clone(), holder.to_owned(), lost_tx));
        Ok(Self {
            api,
            name,
            namespace: namespace.to_owned(),
            holder: holder.to_owned(),
            lost,
            renewer: Some(renewer),
            took_over,
        })
    }

    /// Returns who holds the lock.
    #[must_use]
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Returns the Lease's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the earlier holder when the lock was taken over from one.
    #[must_use]
    pub fn took_over(&self) -> Option<&Takeover> {
        self.took_over.as_ref()
    }

    fn lost_error(&self, reason: LostReason) -> LockError {
        LockError::Lost {
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            reason,
        }
    }

    /// Resolves with [`LockError::Lost`] as soon as the lock stops being this holder's; never
    /// while it is held. An operation guarded by the lock selects on it to stop at once.
    pub async fn lost(&self) -> LockError {
        let mut lost = self.lost.clone();
        loop {
            if let Some(reason) = lost.borrow_and_update().clone() {
                return self.lost_error(reason);
            }
            if lost.changed().await.is_err() {
                // The renewer is gone without losing the lock: it is being released.
                std::future::pending::<()>().await;
            }
        }
    }

    /// Gives the lock back: deletes the Lease, only while it is still this holder's (a
    /// resourceVersion precondition). A Lease someone else holds now, or that is gone, is left
    /// alone and reported as [`LockError::Lost`].
    pub async fn release(mut self) -> Result<(), LockError> {
        if let Some(renewer) = self.renewer.take() {
            renewer.abort();
            let _ = renewer.await;
        }
        let mut attempts = 0;
        loop {
            let error = |action: &'static str| {
                let (name, namespace) = (self.name.clone(), self.namespace.clone());
                move |source| LockError::Api {
                    action,
                    name,
                    namespace,
                    source,
                }
            };
            let Some(current) = self.api.get_opt(&self.name).await.map_err(error("read"))? else {
                return Err(self.lost_error(LostReason::Deleted));
            };
            match holder_of(&current) {
                Some(holder) if holder == self.holder => {}
                other => {
                    let holder = other.unwrap_or("someone").to_owned();
                    return Err(self.lost_error(LostReason::TakenBy(holder)));
                }
            }
            let params = DeleteParams {
                preconditions: Some(Preconditions {
                    resource_version: current.metadata.resource_version.clone(),
                    uid: current.metadata.uid.clone(),
                }),
                ..DeleteParams::default()
            };
            match self.api.delete(&self.name, &params).await {
                Ok(_) => return Ok(()),
                Err(::kube::Error::Api(status)) if status.is_not_found() => {
                    return Err(self.lost_error(LostReason::Deleted));
                }
                // Changed since it was read (a renewal that was in flight): read it again.
                Err(::kube::Error::Api(status)) if status.is_conflict() && attempts < 3 => {
                    attempts += 1;
                }
                Err(source) => return Err(error("release")(source)),
            }
        }
    }
}

/// Keeps the Lease while the lock is held: checks every [`CHECK_EVERY`] that it is still
/// `holder`'s, renews it every [`RENEW_EVERY`] with the resourceVersion just read, and reports
/// on `lost` (then stops) when it is not: taken, deleted, or not renewed for a lease duration.
async fn keep(
    api: Api<Lease>,
    name: String,
    holder: String,
    lost: watch::Sender<Option<LostReason>>,
) {
    let lease_duration = Duration::from_secs(u64::try_from(LEASE_SECONDS).unwrap_or(30));
    let mut renewed = Instant::now();
    loop {
        tokio::time::sleep(CHECK_EVERY).await;
        match tokio::time::timeout(REQUEST_LIMIT, api.get_opt(&name)).await {
            Ok(Ok(None)) => {
                let _ = lost.send(Some(LostReason::Deleted));
                return;
            }
            Ok(Ok(Some(current))) => {
                if holder_of(&current) != Some(holder.as_str()) {
                    let now = holder_of(&current).unwrap_or("someone").to_owned();
                    let _ = lost.send(Some(LostReason::TakenBy(now)));
                    return;
                }
                if renewed.elapsed() >= RENEW_EVERY {
                    let mut renewal = current;
                    if let Some(spec) = renewal.spec.as_mut() {
                        spec.renew_time = Some(MicroTime(Timestamp::now()));
                    }
                    // Carries the resourceVersion read: a change since is a conflict, and the
                    // next check reads it.
                    let written = tokio::time::timeout(
                        REQUEST_LIMIT,
                        api.replace(&name, &PostParams::default(), &renewal),
                    )
                    .await;
                    if matches!(written, Ok(Ok(_))) {
                        renewed = Instant::now();
                    }
                }
            }
            // Unreachable or slow: the next check tries again, until the lease duration is over.
            Ok(Err(_)) | Err(_) => {}
        }
        if renewed.elapsed() >= lease_duration {
            let _ = lost.send(Some(LostReason::NotRenewed));
            return;
        }
    }
}

impl Drop for DeployLock {
    fn drop(&mut self) {
        if let Some(renewer) = self.renewer.take() {
            renewer.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leases_expire_after_their_duration() {
        let held = lease("l", "ns", "web", "me", None);
        let now = Timestamp::now();
        assert!(!expired(&held, now));
        assert!(expired(
            &held,
            now + SignedDuration::from_secs(i64::from(LEASE_SECONDS) + 1)
        ));
        assert!(expired(&Lease::default(), now));
    }

    #[test]
    fn a_holder_is_stale_only_on_this_host_with_its_process_gone() {
        let me = "ana@lap pid 100";
        let gone = |_| false;
        let alive = |_| true;
        assert!(stale("ana@lap pid 42", me, gone));
        assert!(stale("bo@lap pid 42", me, gone), "any user of this host");
        assert!(!stale("ana@lap pid 42", me, alive), "still running");
        assert!(!stale("ana@ci pid 42", me, gone), "another host");
        assert!(!stale("ana@lap pid 100", me, gone), "this very process");
        assert!(!stale("someone", me, gone), "not a paas identity");
        assert!(!stale("ana@lap pid x", me, gone));
    }

    #[test]
    fn lost_locks_say_why() {
        let lost = LockError::Lost {
            name: "paas-deploy.web".into(),
            namespace: "shop".into(),
            reason: LostReason::TakenBy("bo@ci pid 7".into()),
        };
        assert_eq!(
            lost.to_string(),
            "lost the deploy lock `paas-deploy.web` in namespace `shop`: `bo@ci pid 7` holds it now"
        );
    }
}
