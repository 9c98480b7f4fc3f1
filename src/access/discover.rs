//! What the access rules need from the cluster, found before they are rendered: the ingress
//! controller of the app's ingress class (its namespace, its pods' labels, and its nodes'
//! addresses when it runs on the host network), and where the cluster DNS answers (kube-dns's
//! pods, host-network DNS pods' addresses, `NodeLocal DNSCache`'s address) so that an egress
//! rule never cuts name resolution. Nothing here fails a deploy: what cannot be found is a
//! [`Note`], and the rules keep what `paas.toml` says.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use k8s_openapi::api::core::v1::{Node, Pod, PodTemplateSpec, Service};
use k8s_openapi::api::networking::v1::IngressClass;
use kube::Api;
use kube::api::ListParams;

use crate::labels;
use crate::manifests::{AccessValues, DnsValues};

/// The labels of an ingress class that its controller's pods carry too (the controllers'
/// charts label both alike).
const CONTROLLER_IDENTITY: [&str; 3] = [labels::NAME, labels::INSTANCE, labels::ROLE];

/// The namespace of the cluster DNS.
const DNS_NAMESPACE: &str = "kube-system";
/// The Service of the cluster DNS (`CoreDNS` keeps kube-dns's name).
const DNS_SERVICE: &str = "kube-dns";
/// The label of `NodeLocal DNSCache`'s pods.
const NODE_LOCAL_DNS: &str = "node-local-dns";
/// `NodeLocal DNSCache`'s documented default address, when its arguments do not say.
const NODE_LOCAL_DEFAULT: &str = "169.254.20.10";

/// An ingress controller, found from its ingress class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressController {
    /// The ingress class.
    pub class: String,
    /// Its namespace.
    pub namespace: String,
    /// Its workload, as `Deployment/NAME` or `DaemonSet/NAME`.
    pub workload: String,
    /// Its pods' selector labels.
    pub pods: BTreeMap<String, String>,
    /// Its pods run on the host network: matched by the nodes' addresses instead.
    pub host_network: bool,
    /// The address blocks of the nodes, for a host-network controller.
    pub addresses: Vec<String>,
}

/// What discovery found or could not find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The ingress controller, now allowed in.
    IngressController(IngressController),
    /// The app has a host, `ingress_namespace` is not set, and no controller was found.
    NoIngressController {
        /// The ingress class looked for.
        class: String,
        /// Why.
        reason: String,
    },
    /// The cluster DNS runs where no pod selector matches, or `NodeLocal DNSCache` is there:
    /// these addresses are let through as well.
    DnsAddresses {
        /// The address blocks.
        addresses: Vec<String>,
    },
    /// The cluster could not be asked (forbidden, unreachable): the rule keeps its default.
    NotAsked {
        /// What was to be found.
        what: &'static str,
        /// The API's answer.
        error: String,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IngressController(c) if c.host_network => write!(
                f,
                "the ingress controller `{}/{}` runs on the host network, so it is let in by its nodes' addresses ({}); a node added later needs another `paas up`",
                c.namespace,
                c.workload,
                c.addresses.join(", ")
            ),
            Self::IngressController(c) => write!(
                f,
                "the ingress controller `{}/{}` (class `{}`) is let in",
                c.namespace, c.workload, c.class
            ),
            Self::NoIngressController { class, reason } => write!(
                f,
                "the access rules let in no ingress controller, so the app's host does not answer: {reason}; set `ingress_namespace` under `[access]` to the controller's namespace (ingress class `{class}`)"
            ),
            Self::DnsAddresses { addresses } => write!(
                f,
                "outgoing DNS is let through to {} too (host-network DNS pods or NodeLocal DNSCache)",
                addresses.join(", ")
            ),
            Self::NotAsked { what, error } => write!(
                f,
                "could not look for {what} ({error}); the access rules keep what `paas.toml` says"
            ),
        }
    }
}

impl Note {
    /// Whether the note is a problem (a warning) rather than what was found.
    #[must_use]
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Self::NoIngressController { .. } | Self::NotAsked { .. }
        )
    }
}

/// Fills in `access` from the cluster: the ingress controller of `class` when the app has a
/// host (`class` is some) and `paas.toml` names no `ingress_namespace`, and the DNS of the
/// egress rule when egress is restricted. Returns what it found and what it could not.
pub async fn resolve(
    client: &kube::Client,
    access: &mut AccessValues,
    class: Option<&str>,
) -> Vec<Note> {
    let mut notes = Vec::new();
    if let Some(class) = class
        && access.ingress_namespace.is_none()
    {
        match ingress_controller(client, class).await {
            Ok(Ok(found)) => {
                access.ingress_namespace = Some(found.namespace.clone());
                access.ingress_pods.clone_from(&found.pods);
                access.ingress_addresses.clone_from(&found.addresses);
                notes.push(Note::IngressController(found));
            }
            Ok(Err(reason)) => notes.push(Note::NoIngressController {
                class: class.to_owned(),
                reason,
            }),
            Err(err) => notes.push(Note::NotAsked {
                what: "the ingress controller",
                error: crate::kube::describe_error(&err),
            }),
        }
    }
    if let Some(egress) = &mut access.egress {
        match dns(client).await {
            Ok(found) => {
                if !found.addresses.is_empty() {
                    notes.push(Note::DnsAddresses {
                        addresses: found.addresses.clone(),
                    });
                }
                egress.dns = found;
            }
            Err(err) => notes.push(Note::NotAsked {
                what: "the cluster DNS",
                error: crate::kube::describe_error(&err),
            }),
        }
    }
    notes
}

/// Finds the controller of ingress class `class`: the Deployment or `DaemonSet` whose pods carry
/// the class's identity labels, or whose arguments name the class or its controller. The inner
/// error says why none was found.
///
/// # Errors
///
/// The API refused a list or could not be reached.
pub async fn ingress_controller(
    client: &kube::Client,
    class: &str,
) -> Result<Result<IngressController, String>, kube::Error> {
    let Some(ingress_class) = Api::<IngressClass>::all(client.clone())
        .get_opt(class)
        .await?
    else {
        return Ok(Err(format!("the cluster has no ingress class `{class}`")));
    };
    let controller = ingress_class
        .spec
        .as_ref()
        .and_then(|s| s.controller.clone())
        .unwrap_or_default();
    let class_labels = ingress_class.metadata.labels.unwrap_or_default();
    let identity: BTreeMap<&str, &str> = CONTROLLER_IDENTITY
        .iter()
        .filter_map(|key| class_labels.get(*key).map(|v| (*key, v.as_str())))
        .collect();
    let mut candidates: Vec<(String, String, PodTemplateSpec, BTreeMap<String, String>)> =
        Vec::new();
    for d in Api::<Deployment>::all(client.clone())
        .list(&ListParams::default())
        .await?
    {
        if let Some(spec) = d.spec {
            candidates.push((
                d.metadata.namespace.unwrap_or_default(),
                format!("Deployment/{}", d.metadata.name.unwrap_or_default()),
                spec.template,
                spec.selector.match_labels.unwrap_or_default(),
            ));
        }
    }
    for d in Api::<DaemonSet>::all(client.clone())
        .list(&ListParams::default())
        .await?
    {
        if let Some(spec) = d.spec {
            candidates.push((
                d.metadata.namespace.unwrap_or_default(),
                format!("DaemonSet/{}", d.metadata.name.unwrap_or_default()),
                spec.template,
                spec.selector.match_labels.unwrap_or_default(),
            ));
        }
    }
    let found = candidates.into_iter().find(|(_, _, template, _)| {
        let labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
        let by_labels = identity.contains_key(CONTROLLER_IDENTITY[0])
            && labels.is_some_and(|labels| {
                identity
                    .iter()
                    .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v))
            });
        by_labels || names_class(template, class, &controller)
    });
    let Some((namespace, workload, template, selector)) = found else {
        return Ok(Err(format!(
            "no Deployment or DaemonSet carries the labels of ingress class `{class}` or names it (controller `{controller}`) in its arguments"
        )));
    };
    let host_network = template
        .spec
        .as_ref()
        .and_then(|s| s.host_network)
        .unwrap_or(false);
    let addresses = if host_network {
        node_addresses(client).await?
    } else {
        Vec::new()
    };
    Ok(Ok(IngressController {
        class: class.to_owned(),
        namespace,
        workload,
        pods: selector,
        host_network,
        addresses,
    }))
}

/// Whether a container of `template` names the ingress class or its controller in its
/// arguments (`--ingress-class=nginx`, `--controller-class=k8s.io/ingress-nginx`, Traefik's
/// `--providers.kubernetesingress.ingressclass=traefik`).
fn names_class(template: &PodTemplateSpec, class: &str, controller: &str) -> bool {
    let Some(spec) = &template.spec else {
        return false;
    };
    spec.containers.iter().any(|c| {
        c.args
            .iter()
            .flatten()
            .chain(c.command.iter().flatten())
            .any(|arg| {
                let Some((key, value)) = arg.split_once('=') else {
                    return false;
                };
                let key = key.to_ascii_lowercase();
                (key.ends_with("controller-class") && !controller.is_empty() && value == controller)
                    || ((key.ends_with("ingress-class") || key.ends_with("ingressclass"))
                        && value == class)
            })
    })
}

/// The internal addresses of every node, as /32 or /128 blocks.
async fn node_addresses(client: &kube::Client) -> Result<Vec<String>, kube::Error> {
    let nodes = Api::<Node>::all(client.clone())
        .list(&ListParams::default())
        .await?;
    let mut blocks: Vec<String> = nodes
        .into_iter()
        .filter_map(|n| n.status?.addresses)
        .flatten()
        .filter(|a| a.type_ == "InternalIP")
        .filter_map(|a| a.address.parse::<std::net::IpAddr>().ok())
        .map(host_block)
        .collect();
    blocks.sort();
    blocks.dedup();
    Ok(blocks)
}

/// The block of one address.
fn host_block(address: std::net::IpAddr) -> String {
    if address.is_ipv4() {
        format!("{address}/32")
    } else {
        format!("{address}/128")
    }
}

/// Where the cluster DNS answers: kube-dns's pods (by its Service's selector), the addresses of
/// those that run on the host network, and `NodeLocal DNSCache`'s address when it runs.
///
/// # Errors
///
/// The API refused a read or could not be reached.
pub async fn dns(client: &kube::Client) -> Result<DnsValues, kube::Error> {
    let mut values = DnsValues::default();
    let service = Api::<Service>::namespaced(client.clone(), DNS_NAMESPACE)
        .get_opt(DNS_SERVICE)
        .await?;
    if let Some(selector) = service
        .and_then(|s| s.spec?.selector)
        .filter(|s| !s.is_empty())
    {
        values.pods = selector;
    }
    let selector = values
        .pods
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let pods = Api::<Pod>::namespaced(client.clone(), DNS_NAMESPACE)
        .list(&ListParams::default().labels(&selector))
        .await?;
    let mut addresses: Vec<String> = pods
        .into_iter()
        .filter(|p| {
            p.spec
                .as_ref()
                .and_then(|s| s.host_network)
                .unwrap_or(false)
        })
        .filter_map(|p| p.status?.pod_ip?.parse::<std::net::IpAddr>().ok())
        .map(host_block)
        .collect();
    let sets = Api::<DaemonSet>::namespaced(client.clone(), DNS_NAMESPACE)
        .list(&ListParams::default())
        .await?;
    for set in sets {
        let template = set.spec.map(|s| s.template);
        let is_node_local = set.metadata.name.as_deref() == Some(NODE_LOCAL_DNS)
            || template
                .as_ref()
                .and_then(|t| t.metadata.as_ref()?.labels.as_ref()?.get("k8s-app"))
                .is_some_and(|v| v == NODE_LOCAL_DNS);
        if !is_node_local {
            continue;
        }
        let local = template
            .and_then(|t| t.spec)
            .map(|s| node_local_addresses(&s.containers))
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| vec![NODE_LOCAL_DEFAULT.parse().expect("a valid address")]);
        addresses.extend(local.into_iter().map(host_block));
    }
    addresses.sort();
    addresses.dedup();
    values.addresses = addresses;
    Ok(values)
}

/// The addresses in `NodeLocal DNSCache`'s `-localip` argument (`-localip 169.254.20.10,10.0.0.10`
/// or `-localip=…`).
fn node_local_addresses(
    containers: &[k8s_openapi::api::core::v1::Container],
) -> Vec<std::net::IpAddr> {
    let mut found = Vec::new();
    for container in containers {
        let args: Vec<&String> = container
            .args
            .iter()
            .flatten()
            .chain(container.command.iter().flatten())
            .collect();
        for (i, arg) in args.iter().enumerate() {
            let value = match arg.split_once('=') {
                Some(("-localip" | "--localip", value)) => Some(value),
                _ if arg.as_str() == "-localip" || arg.as_str() == "--localip" => {
                    args.get(i + 1).map(|s| s.as_str())
                }
                _ => None,
            };
            found.extend(
                value
                    .into_iter()
                    .flat_map(|v| v.split(','))
                    .filter_map(|v| v.trim().parse::<std::net::IpAddr>().ok()),
            );
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controller_arguments_name_the_class() {
        let template: PodTemplateSpec = serde_saphyr::from_str(
            "spec:\n  containers:\n    - name: controller\n      args: [/nginx-ingress-controller, --controller-class=k8s.io/ingress-nginx, --ingress-class=nginx]\n",
        )
        .unwrap();
        assert!(names_class(&template, "nginx", "k8s.io/ingress-nginx"));
        assert!(names_class(&template, "other", "k8s.io/ingress-nginx"));
        assert!(!names_class(
            &template,
            "traefik",
            "traefik.io/ingress-controller"
        ));
        let traefik: PodTemplateSpec = serde_saphyr::from_str(
            "spec:\n  containers:\n    - name: traefik\n      args: [--providers.kubernetesingress.ingressclass=traefik]\n",
        )
        .unwrap();
        assert!(names_class(&traefik, "traefik", ""));
    }

    #[test]
    fn node_local_dns_addresses_from_either_form() {
        let containers: Vec<k8s_openapi::api::core::v1::Container> = serde_saphyr::from_str(
            "- name: node-cache\n  args: [-localip, '169.254.20.10,10.96.0.10', -conf, /etc/Corefile]\n- name: other\n  args: [-localip=fd00::10]\n",
        )
        .unwrap();
        let found: Vec<String> = node_local_addresses(&containers)
            .into_iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(found, ["169.254.20.10", "10.96.0.10", "fd00::10"]);
    }
}
