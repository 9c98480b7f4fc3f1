//! `paas access`: who may call whom in a namespace, read from what the cluster holds (the
//! `NetworkPolicy` objects, whoever wrote them, and the workloads paas deployed), not from any
//! `paas.toml`. Each app and component gets its callers and, when its outgoing calls are
//! restricted, its destinations, in words; and the matrix between them says, for every caller
//! and callee, whether the rules let the call through ([`super::rules::allowed`]).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{Namespace, PodTemplateSpec};
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::Api;
use kube::api::ListParams;
use serde::Serialize;

use super::rules::{self, Endpoint, NAMESPACE_NAME, PodRef, Port};
use crate::labels;

/// A workload paas deployed: an app's pods or a component's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workload {
    /// The app.
    pub app: String,
    /// The component, for a component's pods.
    pub component: Option<String>,
    /// Its pods' labels.
    #[serde(skip)]
    pub pod_labels: BTreeMap<String, String>,
    /// The port it serves on: its number and the container port's name.
    pub port: Option<(u16, Option<String>)>,
}

impl Workload {
    /// `app` or `app/component`.
    #[must_use]
    pub fn id(&self) -> String {
        match &self.component {
            Some(component) => format!("{}/{component}", self.app),
            None => self.app.clone(),
        }
    }

    /// The pod as policies see it, in `namespace` with `namespace_labels`.
    #[must_use]
    pub fn pod(&self, namespace: &str, namespace_labels: &BTreeMap<String, String>) -> PodRef {
        PodRef {
            namespace: namespace.to_owned(),
            namespace_labels: namespace_labels.clone(),
            labels: self.pod_labels.clone(),
        }
    }

    /// The port a caller connects to.
    #[must_use]
    pub fn target_port(&self) -> Option<Port> {
        self.port
            .as_ref()
            .map(|(number, name)| Port::tcp(*number, name.as_deref()))
    }
}

/// One group of peers a rule names, in words and as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Peer {
    /// What it is, in words: "apps `web`, `api`", "its own pods", "pods `app=x` of namespace
    /// `ingress-nginx`", "addresses 10.0.0.1/32".
    pub who: String,
    /// The ports, in words (`http/TCP`, `53/UDP`), empty for every port.
    pub ports: Vec<String>,
}

/// What the rules say of one workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// `app` or `app/component`.
    pub id: String,
    /// The workload.
    #[serde(flatten)]
    pub workload: Workload,
    /// The policies that select it.
    pub policies: Vec<String>,
    /// Who may call it; none when no policy restricts incoming calls (everyone may).
    pub callers: Option<Vec<Peer>>,
    /// Whom it may call; none when outgoing calls are not restricted.
    pub destinations: Option<Vec<Peer>>,
}

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    /// The caller's id.
    pub from: String,
    /// The callee's id.
    pub to: String,
    /// Whether the rules let the call through.
    pub allowed: bool,
}

/// The audit of a namespace.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// The namespace.
    pub namespace: String,
    /// Each app and component paas deployed there, apps first.
    pub entries: Vec<Entry>,
    /// Every caller (apps) to every callee (apps and components).
    pub matrix: Vec<Call>,
    /// Policies in the namespace that paas did not write (they count in the matrix too).
    pub other_policies: Vec<String>,
    /// The policies themselves, which the probe check needs.
    #[serde(skip)]
    pub policies: Vec<NetworkPolicy>,
    /// The namespace's labels.
    #[serde(skip)]
    pub namespace_labels: BTreeMap<String, String>,
}

impl Audit {
    /// Whether `from` may call `to` (ids), by the rules.
    #[must_use]
    pub fn allows(&self, from: &str, to: &str) -> Option<bool> {
        self.matrix
            .iter()
            .find(|c| c.from == from && c.to == to)
            .map(|c| c.allowed)
    }
}

/// Reads the workloads paas deployed in `namespace` and every policy there, and builds the
/// audit.
///
/// # Errors
///
/// The API refused a list or could not be reached.
pub async fn read(client: &kube::Client, namespace: &str) -> Result<Audit, kube::Error> {
    let managed =
        ListParams::default().labels(&format!("{}={}", labels::MANAGED_BY, labels::MANAGER));
    let mut workloads = Vec::new();
    for d in Api::<Deployment>::namespaced(client.clone(), namespace)
        .list(&managed)
        .await?
    {
        if let Some(w) = workload(
            d.metadata.labels.as_ref(),
            d.spec.map(|s| s.template).as_ref(),
        ) {
            workloads.push(w);
        }
    }
    for s in Api::<StatefulSet>::namespaced(client.clone(), namespace)
        .list(&managed)
        .await?
    {
        if let Some(w) = workload(
            s.metadata.labels.as_ref(),
            s.spec.map(|s| s.template).as_ref(),
        ) {
            workloads.push(w);
        }
    }
    let policies = Api::<NetworkPolicy>::namespaced(client.clone(), namespace)
        .list(&ListParams::default())
        .await?
        .items;
    let namespace_labels = Api::<Namespace>::all(client.clone())
        .get_opt(namespace)
        .await?
        .and_then(|n| n.metadata.labels)
        .unwrap_or_else(|| BTreeMap::from([(NAMESPACE_NAME.to_owned(), namespace.to_owned())]));
    Ok(build(namespace, namespace_labels, workloads, policies))
}

/// The workload of an object with `labels` and pod `template`, when paas deployed it for an app.
fn workload(
    labels: Option<&BTreeMap<String, String>>,
    template: Option<&PodTemplateSpec>,
) -> Option<Workload> {
    let labels = labels?;
    let app = labels.get(labels::APP)?.clone();
    let template = template?;
    let pod_labels = template
        .metadata
        .as_ref()?
        .labels
        .clone()
        .unwrap_or_default();
    let port = template.spec.as_ref().and_then(|spec| {
        let ports: Vec<_> = spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter().flatten())
            .collect();
        let port = ports
            .iter()
            .find(|p| p.name.as_deref() == Some("http"))
            .or_else(|| ports.first())?;
        Some((u16::try_from(port.container_port).ok()?, port.name.clone()))
    });
    Some(Workload {
        app,
        component: labels.get(labels::COMPONENT).cloned(),
        pod_labels,
        port,
    })
}

/// Builds the audit from what was read.
#[must_use]
pub fn build(
    namespace: &str,
    namespace_labels: BTreeMap<String, String>,
    mut workloads: Vec<Workload>,
    policies: Vec<NetworkPolicy>,
) -> Audit {
    workloads.sort_by_key(|w| (w.component.is_some(), w.id()));
    let entries = workloads
        .iter()
        .map(|w| entry(w, &workloads, namespace, &namespace_labels, &policies))
        .collect();
    let mut matrix = Vec::new();
    for caller in workloads.iter().filter(|w| w.component.is_none()) {
        let from = Endpoint::pod(caller.pod(namespace, &namespace_labels));
        for callee in &workloads {
            if callee.id() == caller.id() {
                continue;
            }
            let Some(port) = callee.target_port() else {
                continue;
            };
            matrix.push(Call {
                from: caller.id(),
                to: callee.id(),
                allowed: rules::allowed(
                    &policies,
                    &from,
                    &callee.pod(namespace, &namespace_labels),
                    &port,
                ),
            });
        }
    }
    let other_policies = policies
        .iter()
        .filter(|p| {
            p.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(labels::MANAGED_BY))
                .is_none_or(|m| m != labels::MANAGER)
        })
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    Audit {
        namespace: namespace.to_owned(),
        entries,
        matrix,
        other_policies,
        policies,
        namespace_labels,
    }
}

fn entry(
    workload: &Workload,
    all: &[Workload],
    namespace: &str,
    namespace_labels: &BTreeMap<String, String>,
    policies: &[NetworkPolicy],
) -> Entry {
    let pod = workload.pod(namespace, namespace_labels);
    let selecting: Vec<&NetworkPolicy> = policies
        .iter()
        .filter(|p| rules::selects(p, &pod))
        .collect();
    let mut callers: Option<Vec<Peer>> = None;
    let mut destinations: Option<Vec<Peer>> = None;
    for policy in &selecting {
        let Some(spec) = &policy.spec else { continue };
        let types = spec.policy_types.clone().unwrap_or_else(|| {
            let mut t = vec!["Ingress".to_owned()];
            if spec.egress.is_some() {
                t.push("Egress".to_owned());
            }
            t
        });
        if types.iter().any(|t| t == "Ingress") {
            let list = callers.get_or_insert_with(Vec::new);
            for rule in spec.ingress.iter().flatten() {
                list.extend(peers(
                    rule.from.as_deref(),
                    rule.ports.as_deref(),
                    workload,
                    all,
                    namespace,
                ));
            }
        }
        if types.iter().any(|t| t == "Egress") {
            let list = destinations.get_or_insert_with(Vec::new);
            for rule in spec.egress.iter().flatten() {
                list.extend(peers(
                    rule.to.as_deref(),
                    rule.ports.as_deref(),
                    workload,
                    all,
                    namespace,
                ));
            }
        }
    }
    Entry {
        id: workload.id(),
        workload: workload.clone(),
        policies: selecting
            .iter()
            .filter_map(|p| p.metadata.name.clone())
            .collect(),
        callers,
        destinations,
    }
}

/// The peers of one rule, in words.
fn peers(
    list: Option<&[NetworkPolicyPeer]>,
    ports: Option<&[NetworkPolicyPort]>,
    me: &Workload,
    all: &[Workload],
    namespace: &str,
) -> Vec<Peer> {
    let ports: Vec<String> = ports
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let port = match &p.port {
                Some(IntOrString::Int(n)) => match p.end_port {
                    Some(end) => format!("{n}-{end}"),
                    None => n.to_string(),
                },
                Some(IntOrString::String(name)) => name.clone(),
                None => "any".to_owned(),
            };
            format!("{port}/{}", p.protocol.as_deref().unwrap_or("TCP"))
        })
        .collect();
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return vec![Peer {
            who: "everyone".to_owned(),
            ports,
        }];
    };
    list.iter()
        .map(|peer| Peer {
            who: describe(peer, me, all, namespace),
            ports: ports.clone(),
        })
        .collect()
}

/// One peer in words.
fn describe(peer: &NetworkPolicyPeer, me: &Workload, all: &[Workload], namespace: &str) -> String {
    if let Some(block) = &peer.ip_block {
        let except = block.except.as_deref().unwrap_or_default();
        return if except.is_empty() {
            format!("addresses {}", block.cidr)
        } else {
            format!("addresses {} except {}", block.cidr, except.join(", "))
        };
    }
    let pods = peer.pod_selector.as_ref();
    let in_namespace = peer.namespace_selector.as_ref().map(|selector| {
        match selector
            .match_labels
            .as_ref()
            .and_then(|l| l.get(NAMESPACE_NAME))
            .filter(|_| {
                selector
                    .match_expressions
                    .as_ref()
                    .is_none_or(Vec::is_empty)
            }) {
            Some(name) if name == namespace => "this namespace".to_owned(),
            Some(name) => format!("namespace `{name}`"),
            None if is_empty(selector) => "every namespace".to_owned(),
            None => format!("namespaces {}", selector_words(selector)),
        }
    });
    let who = match pods {
        None => "every pod".to_owned(),
        Some(selector) if is_empty(selector) => "every pod".to_owned(),
        Some(selector) if in_namespace.is_none() => {
            let matching: Vec<String> = all
                .iter()
                .filter(|w| rules::selector_matches(selector, &w.pod_labels))
                .map(|w| {
                    if w.id() == me.id() {
                        "its own pods".to_owned()
                    } else {
                        format!("`{}`", w.id())
                    }
                })
                .collect();
            match named_apps(selector) {
                Some(apps) => format!(
                    "apps {}",
                    apps.iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None if matching.len() == 1 && matching[0] == "its own pods" => {
                    "its own pods".to_owned()
                }
                None if !matching.is_empty() => format!("pods of {}", matching.join(", ")),
                None => format!("pods {}", selector_words(selector)),
            }
        }
        Some(selector) => format!("pods {}", selector_words(selector)),
    };
    match in_namespace {
        None => who,
        Some(namespace) => format!("{who} of {namespace}"),
    }
}

/// The apps of a selector written as paas writes `allow_from`: `app.kubernetes.io/name In [...]`
/// (and no component).
fn named_apps(selector: &LabelSelector) -> Option<Vec<String>> {
    if selector
        .match_labels
        .as_ref()
        .is_some_and(|l| !l.is_empty())
    {
        return None;
    }
    let expressions = selector.match_expressions.as_ref()?;
    let names = expressions
        .iter()
        .find(|e| e.key == labels::NAME && e.operator == "In")?;
    let rest_is_component = expressions
        .iter()
        .filter(|e| !std::ptr::eq(*e, names))
        .all(|e| e.key == labels::COMPONENT && e.operator == "DoesNotExist");
    rest_is_component.then(|| names.values.clone().unwrap_or_default())
}

fn is_empty(selector: &LabelSelector) -> bool {
    rules::selects_everything(selector)
}

/// A selector as kubectl's `-l` syntax, in backticks.
fn selector_words(selector: &LabelSelector) -> String {
    format!("`{}`", crate::monitoring::describe(selector))
}
