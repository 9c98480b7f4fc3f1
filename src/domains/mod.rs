//! `paas domains`: the records each public host needs, what DNS answers, and the certificate.
//!
//! [`gather`] reads the app's Ingress (found by the app's labels) and its status, the
//! cert-manager objects when cert-manager's CRDs exist, and the app's internal names, then asks
//! DNS about every host ([`dns`]) and judges the answers ([`plan`]). The result is one
//! serializable [`DomainsReport`]. Nothing here prints.

pub mod dns;
pub mod plan;

use std::collections::BTreeMap;
use std::net::IpAddr;

use ::kube::Api;
use ::kube::api::{ApiResource, DynamicObject, GroupVersionKind, ListParams};
use k8s_openapi::api::core::v1::{Secret, Service};
use k8s_openapi::api::networking::v1::Ingress;
use serde::Serialize;
use serde_json::Value;

use crate::kube::KubeError;
use plan::{Finding, IngressAddress, IssuerCa, Observed, Plan, State};

/// cert-manager's annotation naming the `ClusterIssuer` of an Ingress's certificate.
pub const CLUSTER_ISSUER_ANNOTATION: &str = "cert-manager.io/cluster-issuer";
/// cert-manager's annotation naming the namespaced `Issuer` of an Ingress's certificate.
pub const ISSUER_ANNOTATION: &str = "cert-manager.io/issuer";

/// What to check.
#[derive(Debug, Clone)]
pub struct DomainsRequest {
    /// The app.
    pub app: String,
    /// Its namespace.
    pub namespace: String,
    /// The hosts `paas.toml` names for the environment, when there is a `paas.toml`.
    pub configured_hosts: Option<Vec<String>>,
    /// The resolvers and timeouts.
    pub dns: dns::DnsSettings,
}

/// Everything `paas domains` shows, as `--output json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct DomainsReport {
    /// The app.
    pub app: String,
    /// The namespace.
    pub namespace: String,
    /// The Ingress read.
    pub ingress: String,
    /// The address the ingress controller published (empty: none yet).
    pub address: IngressAddress,
    /// Whether every host is `ok` and every certificate ready.
    pub ok: bool,
    /// Each host: the record to create and how DNS stands.
    pub hosts: Vec<HostReport>,
    /// Each TLS secret of the Ingress: its certificate.
    pub tls: Vec<TlsReport>,
    /// The app's and its components' names inside the cluster.
    pub internal: Vec<InternalName>,
    /// The resolvers asked.
    pub resolvers: Vec<String>,
}

/// One host.
#[derive(Debug, Clone, Serialize)]
pub struct HostReport {
    /// The host.
    pub host: String,
    /// The worst of the findings.
    pub state: State,
    /// The records to create.
    pub plan: Plan,
    /// What was found, worst first.
    pub findings: Vec<Finding>,
    /// What each server answered.
    pub dns: Observed,
}

/// The certificate of one TLS secret.
#[derive(Debug, Clone, Serialize)]
pub struct TlsReport {
    /// The Secret the Ingress serves the certificate from.
    pub secret: String,
    /// The hosts it covers.
    pub hosts: Vec<String>,
    /// The issuer, when cert-manager issues it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `ready`, `issuing`, `failed`, `no-certificate`, `secret-missing`, `secret-present`.
    pub state: &'static str,
    /// Whether this counts as ready.
    pub ok: bool,
    /// The details in words (the Certificate's Ready message, the expiry).
    pub message: String,
    /// When the certificate expires (RFC 3339), when cert-manager says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
}

/// A name the app answers to inside the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InternalName {
    /// `app` or the component's name.
    pub name: String,
    /// `app`, `redis`, `postgres`…
    pub kind: String,
    /// The URL (for components, without the password).
    pub url: String,
}

/// Why the domains could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DomainsError {
    /// The app has no Ingress.
    #[error("`{app}` has no Ingress in namespace `{namespace}`")]
    NoIngress {
        /// The app.
        app: String,
        /// The namespace.
        namespace: String,
    },
    /// A Kubernetes API call failed.
    #[error(transparent)]
    Kube(#[from] KubeError),
    /// The components could not be read.
    #[error(transparent)]
    Components(#[from] crate::deploy::status::StatusError),
    /// DNS could not be asked.
    #[error(transparent)]
    Dns(#[from] dns::DnsCheckError),
}

/// What the cluster says, read once; [`check`] asks DNS about it (again with `--wait`).
#[derive(Debug, Clone)]
pub struct ClusterView {
    app: String,
    namespace: String,
    ingress: String,
    address: IngressAddress,
    /// The hosts to check, and whether the Ingress routes each.
    hosts: Vec<(String, bool)>,
    tls: Vec<TlsReport>,
    /// The issuer of each host's certificate (hosts under a TLS entry with an issuer).
    issuers: BTreeMap<String, IssuerCa>,
    internal: Vec<InternalName>,
}

impl ClusterView {
    /// Returns whether the controller has published an address.
    #[must_use]
    pub fn has_address(&self) -> bool {
        !self.address.is_empty()
    }
}

/// A TLS entry of the Ingress: the Secret, the hosts it covers, and the issuer annotation
/// (name, and whether it is a `ClusterIssuer`).
type TlsEntry = (String, Vec<String>, Option<(String, bool)>);

fn api_error(action: String, namespace: &str) -> impl FnOnce(::kube::Error) -> DomainsError {
    let namespace = namespace.to_owned();
    move |source| {
        DomainsError::Kube(KubeError::Api {
            action,
            namespace,
            source,
        })
    }
}

fn cert_manager(kind: &str) -> ApiResource {
    ApiResource::from_gvk(&GroupVersionKind::gvk("cert-manager.io", "v1", kind))
}

/// Reads the app's Ingress (by its labels), its certificates and internal names.
pub async fn read_cluster(
    client: &::kube::Client,
    request: &DomainsRequest,
) -> Result<ClusterView, DomainsError> {
    let namespace = request.namespace.as_str();
    let app = request.app.as_str();
    let params = ListParams::default().labels(&crate::labels::app_pods_selector(app));
    let ingresses = Api::<Ingress>::namespaced(client.clone(), namespace)
        .list(&params)
        .await
        .map_err(api_error(
            format!("list the Ingresses of `{app}`"),
            namespace,
        ))?;
    let Some(first) = ingresses.items.first() else {
        return Err(DomainsError::NoIngress {
            app: app.to_owned(),
            namespace: namespace.to_owned(),
        });
    };
    let ingress_name = first.metadata.name.clone().unwrap_or_default();

    let mut address = IngressAddress::default();
    let mut routed: Vec<String> = Vec::new();
    let mut tls_entries: Vec<TlsEntry> = Vec::new();
    for ingress in &ingresses.items {
        let annotations = ingress.metadata.annotations.clone().unwrap_or_default();
        let issuer = annotations
            .get(CLUSTER_ISSUER_ANNOTATION)
            .map(|name| (name.clone(), true))
            .or_else(|| {
                annotations
                    .get(ISSUER_ANNOTATION)
                    .map(|name| (name.clone(), false))
            });
        for lb in ingress
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|l| l.ingress.as_ref())
            .into_iter()
            .flatten()
        {
            if let Some(ip) = lb.ip.as_deref().and_then(|ip| ip.parse::<IpAddr>().ok())
                && !address.ips.contains(&ip)
            {
                address.ips.push(ip);
            }
            if let Some(name) = lb.hostname.as_ref()
                && !address.hostnames.contains(name)
            {
                address
                    .hostnames
                    .push(name.trim_end_matches('.').to_owned());
            }
        }
        let spec = ingress.spec.as_ref();
        for rule in spec.and_then(|s| s.rules.as_ref()).into_iter().flatten() {
            if let Some(host) = &rule.host
                && !routed.contains(host)
            {
                routed.push(host.clone());
            }
        }
        for tls in spec.and_then(|s| s.tls.as_ref()).into_iter().flatten() {
            if let Some(secret) = &tls.secret_name {
                tls_entries.push((
                    secret.clone(),
                    tls.hosts.clone().unwrap_or_default(),
                    issuer.clone(),
                ));
            }
        }
    }
    let mut hosts: Vec<(String, bool)> = routed.iter().map(|h| (h.clone(), true)).collect();
    for host in request.configured_hosts.iter().flatten() {
        if !routed.contains(host) {
            hosts.push((host.clone(), false));
        }
    }

    let (certificates, issuers, internal) = tokio::join!(
        certificates(client, namespace),
        issuer_cas(client, namespace, &tls_entries),
        internal_names(client, namespace, app),
    );
    let certificates = certificates?;
    let issuer_cas = issuers?;
    let mut tls = Vec::new();
    let mut issuers = BTreeMap::new();
    for (secret, covered, issuer) in &tls_entries {
        if let Some((name, _)) = issuer
            && let Some(ca) = issuer_cas.get(name)
        {
            for host in covered {
                issuers.insert(host.clone(), ca.clone());
            }
        }
        tls.push(
            tls_report(
                client,
                namespace,
                secret,
                covered,
                issuer.as_ref().map(|(n, _)| n.as_str()),
                certificates.as_deref(),
            )
            .await?,
        );
    }
    Ok(ClusterView {
        app: app.to_owned(),
        namespace: namespace.to_owned(),
        ingress: ingress_name,
        address,
        hosts,
        tls,
        issuers,
        internal: internal?,
    })
}

/// The Certificates in the namespace; `None` when cert-manager's CRDs are not installed.
async fn certificates(
    client: &::kube::Client,
    namespace: &str,
) -> Result<Option<Vec<DynamicObject>>, DomainsError> {
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), namespace, &cert_manager("Certificate"));
    match api.list(&ListParams::default()).await {
        Ok(list) => Ok(Some(list.items)),
        Err(::kube::Error::Api(status)) if status.code == 404 => Ok(None),
        Err(source) => Err(api_error(
            "list cert-manager Certificates".into(),
            namespace,
        )(source)),
    }
}

/// The CA of each issuer the Ingress names, from its ACME server (cert-manager's objects).
async fn issuer_cas(
    client: &::kube::Client,
    namespace: &str,
    entries: &[TlsEntry],
) -> Result<BTreeMap<String, IssuerCa>, DomainsError> {
    let mut found = BTreeMap::new();
    for (_, _, issuer) in entries {
        let Some((name, cluster)) = issuer else {
            continue;
        };
        if found.contains_key(name) {
            continue;
        }
        let api: Api<DynamicObject> = if *cluster {
            Api::all_with(client.clone(), &cert_manager("ClusterIssuer"))
        } else {
            Api::namespaced_with(client.clone(), namespace, &cert_manager("Issuer"))
        };
        let object = match api.get_opt(name).await {
            Ok(object) => object,
            Err(::kube::Error::Api(status)) if status.code == 404 => None,
            Err(source) => {
                return Err(api_error(
                    format!("get cert-manager issuer `{name}`"),
                    namespace,
                )(source));
            }
        };
        let server = object
            .as_ref()
            .and_then(|o| o.data.pointer("/spec/acme/server"))
            .and_then(Value::as_str);
        found.insert(
            name.clone(),
            IssuerCa {
                issuer: name.clone(),
                ca: server.and_then(plan::acme_ca),
            },
        );
    }
    Ok(found)
}

async fn tls_report(
    client: &::kube::Client,
    namespace: &str,
    secret: &str,
    hosts: &[String],
    issuer: Option<&str>,
    certificates: Option<&[DynamicObject]>,
) -> Result<TlsReport, DomainsError> {
    let report = |state, ok, message: String, not_after| TlsReport {
        secret: secret.to_owned(),
        hosts: hosts.to_vec(),
        issuer: issuer.map(str::to_owned),
        state,
        ok,
        message,
        not_after,
    };
    if let Some(certificates) = certificates {
        let certificate = certificates
            .iter()
            .find(|c| c.data.pointer("/spec/secretName").and_then(Value::as_str) == Some(secret));
        if let Some(certificate) = certificate {
            let name = certificate.metadata.name.clone().unwrap_or_default();
            let ready = certificate
                .data
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .and_then(|c| {
                    c.iter()
                        .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
                });
            let text = |v: Option<&Value>, key: &str| {
                v.and_then(|v| v.get(key))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let not_after = certificate
                .data
                .pointer("/status/notAfter")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let status = text(ready, "status");
            let reason = text(ready, "reason");
            let message = text(ready, "message");
            let detail = if message.is_empty() {
                reason.clone()
            } else {
                format!("{reason}: {message}")
            };
            return Ok(match status.as_str() {
                "True" => report(
                    "ready",
                    true,
                    format!(
                        "Certificate `{name}` is ready{}",
                        not_after
                            .as_deref()
                            .map(|t| format!(", valid until {t}"))
                            .unwrap_or_default()
                    ),
                    not_after,
                ),
                "False"
                    if reason == "Issuing"
                        || reason == "DoesNotExist"
                        || reason == "InProgress" =>
                {
                    report(
                        "issuing",
                        false,
                        format!("Certificate `{name}` is being issued ({detail})"),
                        not_after,
                    )
                }
                "False" => report(
                    "failed",
                    false,
                    format!(
                        "Certificate `{name}` is not ready ({detail}): see `kubectl describe certificate {name}`"
                    ),
                    not_after,
                ),
                _ => report(
                    "issuing",
                    false,
                    format!(
                        "Certificate `{name}` has no Ready condition yet: cert-manager has not looked at it"
                    ),
                    not_after,
                ),
            });
        }
        if let Some(issuer) = issuer {
            return Ok(report(
                "no-certificate",
                false,
                format!(
                    "no Certificate writes secret `{secret}` yet: cert-manager makes one from the Ingress's annotation for issuer `{issuer}` (is cert-manager's controller running?)"
                ),
                None,
            ));
        }
    }
    let exists = Api::<Secret>::namespaced(client.clone(), namespace)
        .get_metadata_opt(secret)
        .await
        .map_err(api_error(format!("get secret `{secret}`"), namespace))?
        .is_some();
    Ok(match (exists, issuer) {
        (true, _) => report(
            "secret-present",
            true,
            format!("secret `{secret}` exists; the ingress controller serves its certificate"),
            None,
        ),
        (false, Some(issuer)) => report(
            "secret-missing",
            false,
            format!(
                "secret `{secret}` does not exist, and cert-manager is not installed to issue it with `{issuer}`"
            ),
            None,
        ),
        (false, None) => report(
            "secret-missing",
            false,
            format!(
                "secret `{secret}` does not exist: the ingress controller serves its default certificate; create it with `kubectl create secret tls {secret} --cert=… --key=…`"
            ),
            None,
        ),
    })
}

/// The app's Services and its components' URLs, as names inside the cluster.
async fn internal_names(
    client: &::kube::Client,
    namespace: &str,
    app: &str,
) -> Result<Vec<InternalName>, DomainsError> {
    let params = ListParams::default().labels(&crate::labels::app_pods_selector(app));
    let services = Api::<Service>::namespaced(client.clone(), namespace)
        .list(&params)
        .await
        .map_err(api_error(
            format!("list the Services of `{app}`"),
            namespace,
        ))?;
    let mut names: Vec<InternalName> = services
        .items
        .iter()
        .map(|service| {
            let port = service
                .spec
                .as_ref()
                .and_then(|s| s.ports.as_ref())
                .and_then(|p| p.first())
                .map_or(80, |p| i64::from(p.port));
            InternalName {
                name: app.to_owned(),
                kind: "app".to_owned(),
                url: crate::deploy::pipeline::service_url(
                    service.metadata.name.as_deref().unwrap_or_default(),
                    namespace,
                    port,
                ),
            }
        })
        .collect();
    let components = crate::deploy::status::components(client, namespace, app).await?;
    for component in components {
        if let Some(url) = component.url {
            names.push(InternalName {
                name: component.name,
                kind: component.kind,
                url,
            });
        }
    }
    Ok(names)
}

/// Asks DNS about every host of `view` (fresh resolvers each call) and judges the answers.
pub async fn check(
    view: &ClusterView,
    settings: &dns::DnsSettings,
) -> Result<DomainsReport, DomainsError> {
    let round = dns::Round::new(settings)?;
    let target = if view.address.ips.is_empty() {
        view.address.hostnames.first().map(String::as_str)
    } else {
        None
    };
    let hosts = futures_util::future::join_all(view.hosts.iter().map(|(host, deployed)| {
        let round = &round;
        async move {
            let plan = plan::plan(host, &view.address);
            let issuer = view.issuers.get(host);
            let observed = if view.address.is_empty() {
                Observed::default()
            } else {
                round.observe(host, target, issuer.is_some()).await
            };
            let expected = plan::Expected {
                address: &view.address,
                plan: &plan,
                deployed: *deployed,
                issuer,
            };
            let findings = plan::classify(&expected, &observed);
            HostReport {
                host: host.clone(),
                state: findings.first().map_or(State::Ok, |f| f.state),
                plan,
                findings,
                dns: observed,
            }
        }
    }))
    .await;
    let ok = hosts.iter().all(|h| h.state == State::Ok) && view.tls.iter().all(|t| t.ok);
    Ok(DomainsReport {
        app: view.app.clone(),
        namespace: view.namespace.clone(),
        ingress: view.ingress.clone(),
        address: view.address.clone(),
        ok,
        hosts,
        tls: view.tls.clone(),
        internal: view.internal.clone(),
        resolvers: settings.resolvers.iter().map(ToString::to_string).collect(),
    })
}
