//! What a set of `NetworkPolicy` objects lets through, evaluated the way the API defines it:
//! a pod that no policy selects for a direction is open in that direction; once one does, only
//! what one of its rules names gets through. Within a rule, two `from` (or `to`) items are OR;
//! a `namespaceSelector` and a `podSelector` in one item are AND (the classic over-permit is
//! writing them as two items). The audit (`paas access`), the expected matrix of
//! `paas access check` and the tests that no rendered rule lets in more than it says all use
//! this one reading.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;
use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The label every namespace carries with its own name (set by the API server).
pub const NAMESPACE_NAME: &str = "kubernetes.io/metadata.name";

/// One end of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The pod's namespace and its labels, or none for an address that is no pod's (a node, a
    /// host-network process, something outside the cluster).
    pub pod: Option<PodRef>,
    /// Its address, when known.
    pub address: Option<IpAddr>,
}

/// A pod as policies see it: its namespace (with the namespace's labels) and its own labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRef {
    /// The namespace.
    pub namespace: String,
    /// The namespace's labels; [`NAMESPACE_NAME`] is always among them.
    pub namespace_labels: BTreeMap<String, String>,
    /// The pod's labels.
    pub labels: BTreeMap<String, String>,
}

impl PodRef {
    /// A pod in `namespace` (whose only label is its name) with `labels`.
    #[must_use]
    pub fn new(namespace: &str, labels: &[(&str, &str)]) -> Self {
        Self {
            namespace: namespace.to_owned(),
            namespace_labels: BTreeMap::from([(NAMESPACE_NAME.to_owned(), namespace.to_owned())]),
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }
}

impl Endpoint {
    /// A pod, with no address.
    #[must_use]
    pub fn pod(pod: PodRef) -> Self {
        Self {
            pod: Some(pod),
            address: None,
        }
    }

    /// An address that is no pod's.
    #[must_use]
    pub fn address(address: IpAddr) -> Self {
        Self {
            pod: None,
            address: Some(address),
        }
    }
}

/// The port a connection goes to: its number, the name the receiving container gives it, and
/// the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// The number.
    pub number: u16,
    /// The container port's name, if it has one.
    pub name: Option<String>,
    /// `TCP` or `UDP`.
    pub protocol: &'static str,
}

impl Port {
    /// A TCP port, named or not.
    #[must_use]
    pub fn tcp(number: u16, name: Option<&str>) -> Self {
        Self {
            number,
            name: name.map(str::to_owned),
            protocol: "TCP",
        }
    }
}

/// Whether `selector` selects an object with `labels` (an empty selector selects everything).
#[must_use]
pub fn selector_matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let by_labels = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(key, value)| labels.get(key) == Some(value));
    let by_expressions = selector.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let value = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            // An operator the API would refuse: select nothing rather than everything.
            _ => false,
        }
    });
    by_labels && by_expressions
}

/// Whether `selector` narrows nothing (no labels, no expressions): it selects everything.
#[must_use]
pub fn selects_everything(selector: &LabelSelector) -> bool {
    selector
        .match_labels
        .as_ref()
        .is_none_or(BTreeMap::is_empty)
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(Vec::is_empty)
}

/// Whether `peer` (of a policy in `namespace`) names `endpoint`.
fn peer_matches(peer: &NetworkPolicyPeer, namespace: &str, endpoint: &Endpoint) -> bool {
    if let Some(block) = &peer.ip_block {
        let Some(address) = endpoint.address else {
            return false;
        };
        let within = |cidr: &str| IpNet::from_str(cidr).is_ok_and(|net| net.contains(&address));
        return within(&block.cidr) && !block.except.iter().flatten().any(|c| within(c));
    }
    let Some(pod) = &endpoint.pod else {
        return false;
    };
    let namespace_ok = match &peer.namespace_selector {
        Some(selector) => selector_matches(selector, &pod.namespace_labels),
        None => pod.namespace == namespace,
    };
    let pod_ok = peer
        .pod_selector
        .as_ref()
        .is_none_or(|selector| selector_matches(selector, &pod.labels));
    namespace_ok && pod_ok
}

fn port_matches(ports: Option<&[NetworkPolicyPort]>, port: &Port) -> bool {
    let Some(ports) = ports.filter(|p| !p.is_empty()) else {
        return true;
    };
    ports.iter().any(|p| {
        p.protocol.as_deref().unwrap_or("TCP") == port.protocol
            && match &p.port {
                None => true,
                Some(IntOrString::Int(n)) => {
                    let end = p.end_port.unwrap_or(*n);
                    (*n..=end).contains(&i32::from(port.number))
                }
                Some(IntOrString::String(name)) => port.name.as_deref() == Some(name.as_str()),
            }
    })
}

/// The directions a policy governs: `policyTypes`, or when unset, Ingress always and Egress
/// when it has egress rules.
fn governs(spec: &NetworkPolicySpec, direction: &str) -> bool {
    match &spec.policy_types {
        Some(types) => types.iter().any(|t| t == direction),
        None => direction == "Ingress" || spec.egress.is_some(),
    }
}

fn namespace_of(policy: &NetworkPolicy) -> &str {
    policy.metadata.namespace.as_deref().unwrap_or_default()
}

/// Whether `policy` selects `pod`.
#[must_use]
pub fn selects(policy: &NetworkPolicy, pod: &PodRef) -> bool {
    namespace_of(policy) == pod.namespace
        && policy.spec.as_ref().is_some_and(|spec| {
            spec.pod_selector
                .as_ref()
                .is_none_or(|selector| selector_matches(selector, &pod.labels))
        })
}

/// Whether `policy`'s ingress rules let `source` in on `port`; none when the policy does not
/// govern incoming traffic.
#[must_use]
pub fn admits(policy: &NetworkPolicy, source: &Endpoint, port: &Port) -> Option<bool> {
    let spec = policy.spec.as_ref()?;
    if !governs(spec, "Ingress") {
        return None;
    }
    let namespace = namespace_of(policy);
    Some(spec.ingress.iter().flatten().any(|rule| {
        let from = rule.from.as_deref().unwrap_or_default();
        (from.is_empty()
            || from
                .iter()
                .any(|peer| peer_matches(peer, namespace, source)))
            && port_matches(rule.ports.as_deref(), port)
    }))
}

/// Whether `policy`'s egress rules let traffic out to `destination` on `port`; none when the
/// policy does not govern outgoing traffic.
#[must_use]
pub fn lets_out(policy: &NetworkPolicy, destination: &Endpoint, port: &Port) -> Option<bool> {
    let spec = policy.spec.as_ref()?;
    if !governs(spec, "Egress") {
        return None;
    }
    let namespace = namespace_of(policy);
    Some(spec.egress.iter().flatten().any(|rule| {
        let to = rule.to.as_deref().unwrap_or_default();
        (to.is_empty()
            || to
                .iter()
                .any(|peer| peer_matches(peer, namespace, destination)))
            && port_matches(rule.ports.as_deref(), port)
    }))
}

/// Whether `policies` let `source` connect to `destination` (a pod) on `port`: the
/// destination's policies must let it in and, when the source is a pod, the source's must let
/// it out.
#[must_use]
pub fn allowed(
    policies: &[NetworkPolicy],
    source: &Endpoint,
    destination: &PodRef,
    port: &Port,
) -> bool {
    let destination_end = Endpoint::pod(destination.clone());
    let decide = |verdicts: Vec<bool>| verdicts.is_empty() || verdicts.contains(&true);
    let incoming = decide(
        policies
            .iter()
            .filter(|p| selects(p, destination))
            .filter_map(|p| admits(p, source, port))
            .collect(),
    );
    let outgoing = match &source.pod {
        None => true,
        Some(pod) => decide(
            policies
                .iter()
                .filter(|p| selects(p, pod))
                .filter_map(|p| lets_out(p, &destination_end, port))
                .collect(),
        ),
    };
    incoming && outgoing
}

/// Returns what in `policy` lets in (or out) more than a rule paas writes ever should: a rule
/// with no peers (everyone), a selector that narrows nothing (every pod, or every namespace),
/// an address block of the whole internet. Empty when the policy is tight.
#[must_use]
pub fn over_permits(policy: &NetworkPolicy) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(spec) = &policy.spec else {
        return problems;
    };
    if spec.pod_selector.as_ref().is_none_or(selects_everything) {
        problems.push("selects every pod of the namespace (an empty `podSelector`)".to_owned());
    }
    let mut peers = |direction: &str, index: usize, list: Option<&[NetworkPolicyPeer]>| {
        let field = if direction == "ingress" { "from" } else { "to" };
        let Some(list) = list.filter(|l| !l.is_empty()) else {
            problems.push(format!(
                "{direction} rule {} has no `{field}`, which lets every source through",
                index + 1
            ));
            return;
        };
        for (i, peer) in list.iter().enumerate() {
            let at = format!("{direction} rule {}, `{field}` item {}", index + 1, i + 1);
            if let Some(block) = &peer.ip_block {
                if IpNet::from_str(&block.cidr).is_ok_and(|net| net.prefix_len() == 0) {
                    problems.push(format!("{at}: `{}` is every address", block.cidr));
                }
                continue;
            }
            match (&peer.namespace_selector, &peer.pod_selector) {
                (Some(ns), None) if selects_everything(ns) => problems.push(format!(
                    "{at}: an empty `namespaceSelector` alone is every pod of every namespace"
                )),
                (Some(ns), Some(pods)) if selects_everything(ns) && selects_everything(pods) => {
                    problems.push(format!(
                        "{at}: empty selectors are every pod of every namespace"
                    ));
                }
                (None, Some(pods)) if selects_everything(pods) => problems.push(format!(
                    "{at}: an empty `podSelector` is every pod of the namespace"
                )),
                (None, None) => problems.push(format!("{at}: names nothing")),
                _ => {}
            }
        }
    };
    for (index, rule) in spec.ingress.iter().flatten().enumerate() {
        peers("ingress", index, rule.from.as_deref());
    }
    for (index, rule) in spec.egress.iter().flatten().enumerate() {
        peers("egress", index, rule.to.as_deref());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(yaml: &str) -> NetworkPolicy {
        serde_saphyr::from_str(yaml).expect("a valid policy")
    }

    const SHOP: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: shop, namespace: prod}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: shop}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector: {matchLabels: {app.kubernetes.io/name: web}}
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
          podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
      ports: [{port: http, protocol: TCP}]
";

    fn shop() -> PodRef {
        PodRef::new("prod", &[("app.kubernetes.io/name", "shop")])
    }

    #[test]
    fn two_items_are_or_and_one_item_is_and() {
        let policies = [policy(SHOP)];
        let http = Port::tcp(8080, Some("http"));
        let can = |from: PodRef| allowed(&policies, &Endpoint::pod(from), &shop(), &http);
        assert!(can(PodRef::new(
            "prod",
            &[("app.kubernetes.io/name", "web")]
        )));
        assert!(can(PodRef::new(
            "ingress-nginx",
            &[("app.kubernetes.io/name", "ingress-nginx")]
        )));
        // the controller's labels in the app's namespace, or another pod of the controller's
        // namespace: neither half of the AND is enough
        assert!(!can(PodRef::new(
            "prod",
            &[("app.kubernetes.io/name", "ingress-nginx")]
        )));
        assert!(!can(PodRef::new(
            "ingress-nginx",
            &[("app.kubernetes.io/name", "other")]
        )));
        // `web` of another namespace: a podSelector alone means the policy's namespace
        assert!(!can(PodRef::new(
            "dev",
            &[("app.kubernetes.io/name", "web")]
        )));
        // the right pod on another port
        let other = Port::tcp(9090, Some("metrics"));
        assert!(!allowed(
            &policies,
            &Endpoint::pod(PodRef::new("prod", &[("app.kubernetes.io/name", "web")])),
            &shop(),
            &other
        ));
    }

    #[test]
    fn a_pod_no_policy_selects_is_open_and_egress_counts_on_the_caller() {
        let egress = policy(
            "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: prod}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: web}}
  policyTypes: [Ingress, Egress]
  ingress: []
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.9.0.0/16]}}]
      ports: [{port: 443}]
",
        );
        let web = PodRef::new("prod", &[("app.kubernetes.io/name", "web")]);
        let other = PodRef::new("prod", &[("app.kubernetes.io/name", "other")]);
        let http = Port::tcp(8080, Some("http"));
        // `other` has no policy: anyone may call it, but `web` may not call out to it
        assert!(!allowed(
            std::slice::from_ref(&egress),
            &Endpoint::pod(web.clone()),
            &other,
            &http
        ));
        assert!(allowed(
            std::slice::from_ref(&egress),
            &Endpoint::pod(PodRef::new("prod", &[])),
            &other,
            &http
        ));
        // `web` itself lets no one in
        assert!(!allowed(
            std::slice::from_ref(&egress),
            &Endpoint::pod(other),
            &web,
            &http
        ));
        let out = |ip: &str, port: u16| {
            lets_out(
                &egress,
                &Endpoint::address(ip.parse().unwrap()),
                &Port::tcp(port, None),
            )
        };
        assert_eq!(out("10.1.2.3", 443), Some(true));
        assert_eq!(out("10.9.2.3", 443), Some(false));
        assert_eq!(out("10.1.2.3", 80), Some(false));
        assert_eq!(out("192.0.2.1", 443), Some(false));
    }

    #[test]
    fn selector_expressions() {
        let selector: LabelSelector = serde_saphyr::from_str(
            "matchExpressions:\n  - {key: app.kubernetes.io/name, operator: In, values: [a, b]}\n  - {key: paas.dev/component, operator: DoesNotExist}\n",
        )
        .unwrap();
        let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert!(selector_matches(
            &selector,
            &labels(&[("app.kubernetes.io/name", "a")])
        ));
        assert!(!selector_matches(
            &selector,
            &labels(&[("app.kubernetes.io/name", "c")])
        ));
        assert!(!selector_matches(
            &selector,
            &labels(&[
                ("app.kubernetes.io/name", "a"),
                ("paas.dev/component", "db")
            ])
        ));
    }

    #[test]
    fn over_permits_names_each_wide_rule() {
        let wide = policy(
            "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: wide, namespace: prod}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: shop}}
  ingress:
    - ports: [{port: 80}]
    - from:
        - namespaceSelector: {}
        - podSelector: {}
        - ipBlock: {cidr: 0.0.0.0/0}
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}
",
        );
        let problems = over_permits(&wide);
        assert_eq!(
            problems,
            [
                "ingress rule 1 has no `from`, which lets every source through",
                "ingress rule 2, `from` item 1: an empty `namespaceSelector` alone is every pod of every namespace",
                "ingress rule 2, `from` item 2: an empty `podSelector` is every pod of the namespace",
                "ingress rule 2, `from` item 3: `0.0.0.0/0` is every address",
            ]
        );
        assert!(over_permits(&policy(SHOP)).is_empty());
    }
}
