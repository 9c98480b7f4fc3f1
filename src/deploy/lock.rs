//! One deploy at a time per app and namespace: a `coordination.k8s.io/v1` Lease.
//!
//! The second `paas up` fails fast and names who holds the lock and since when. The holder
//! renews the Lease while it works; a Lease left by a killed process expires after
//! [`LEASE_SECONDS`] and is then taken over, with a resourceVersion precondition so two
//! deploys cannot both take it.

use std::time::Duration;

use ::kube::Api;
use ::kube::api::{DeleteParams, PostParams};
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use k8s_openapi::jiff::{SignedDuration, Timestamp};

/// How long a Lease stays valid without renewal.
pub const LEASE_SECONDS: i32 = 30;

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

/// A held deploy lock. Call [`DeployLock::release`] when done; a lock that is only dropped
/// expires on its own.
pub struct DeployLock {
    api: Api<Lease>,
    name: String,
    namespace: String,
    holder: String,
    renewer: Option<tokio::task::JoinHandle<()>>,
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

impl DeployLock {
    /// Takes the deploy lock of `app` in `namespace` for `holder` (`user@host pid N`), or
    /// fails at once with [`LockError::Held`].
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
        let fresh = lease(&name, namespace, app, holder, None);
        match api.create(&PostParams::default(), &fresh).await {
            Ok(_) => {}
            Err(::kube::Error::Api(status)) if status.is_already_exists() => {
                let current = api.get(&name).await.map_err(error("read"))?;
                if !expired(&current, Timestamp::now()) {
                    let spec = current.spec.unwrap_or_default();
                    return Err(LockError::Held {
                        app: app.to_owned(),
                        namespace: namespace.to_owned(),
                        holder: spec.holder_identity.unwrap_or_else(|| "someone".into()),
                        since: spec
                            .acquire_time
                            .map_or_else(|| "an unknown time".into(), |t| t.0.to_string()),
                    });
                }
                // Expired: take it over, but only if nobody else did since we read it.
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
                        let current = api.get(&name).await.map_err(error("read"))?;
                        let spec = current.spec.unwrap_or_default();
                        return Err(LockError::Held {
                            app: app.to_owned(),
                            namespace: namespace.to_owned(),
                            holder: spec.holder_identity.unwrap_or_else(|| "someone".into()),
                            since: spec
                                .acquire_time
                                .map_or_else(|| "an unknown time".into(), |t| t.0.to_string()),
                        });
                    }
                    Err(source) => return Err(error("take over")(source)),
                }
            }
            Err(source) => return Err(error("create")(source)),
        }
        let renewer = {
            let api = api.clone();
            let name = name.clone();
            tokio::spawn(async move {
                let period = Duration::from_secs(u64::try_from(LEASE_SECONDS / 3).unwrap_or(10));
                loop {
                    tokio::time::sleep(period).await;
                    let patch =
                        serde_json::json!({ "spec": { "renewTime": MicroTime(Timestamp::now()) } });
                    let params = ::kube::api::PatchParams::default();
                    if api
                        .patch(&name, &params, &::kube::api::Patch::Merge(&patch))
                        .await
                        .is_err()
                    {
                        // The next renewal tries again; a lock that cannot be renewed expires.
                    }
                }
            })
        };
        Ok(Self {
            api,
            name,
            namespace: namespace.to_owned(),
            holder: holder.to_owned(),
            renewer: Some(renewer),
        })
    }

    /// Returns who holds the lock.
    #[must_use]
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Gives the lock back.
    pub async fn release(mut self) -> Result<(), LockError> {
        if let Some(renewer) = self.renewer.take() {
            renewer.abort();
        }
        match self.api.delete(&self.name, &DeleteParams::default()).await {
            Ok(_) => Ok(()),
            Err(::kube::Error::Api(status)) if status.is_not_found() => Ok(()),
            Err(source) => Err(LockError::Api {
                action: "release",
                name: self.name.clone(),
                namespace: self.namespace.clone(),
                source,
            }),
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
}
