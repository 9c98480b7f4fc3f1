//! Which Prometheus scrapes an app: prometheus-operator's selection rules, as pure functions.
//!
//! prometheus-operator ignores the `prometheus.io/*` annotations: a `Prometheus` object scrapes
//! a `ServiceMonitor` only when its `serviceMonitorSelector` matches the monitor's labels and
//! its `serviceMonitorNamespaceSelector` matches the monitor's namespace (unset: only the
//! Prometheus object's own namespace; `{}`: every namespace). An unset `serviceMonitorSelector`
//! selects nothing. The most reported "not discovered" cause is a monitor without the label a
//! Prometheus selects, often `release: <helm release>` (prometheus-operator#5917).
//!
//! This module decides which labels a new `ServiceMonitor` needs ([`choose`]) and whether a
//! live one is scraped ([`scraped_by`]), from [`Scraper`]s read elsewhere
//! ([`crate::kube::monitoring`]). It talks to no cluster and prints nothing.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// The value given to a label a selector only requires to exist.
pub const EXISTS_VALUE: &str = "true";

/// A `Prometheus` object's choice of `ServiceMonitor`s.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scraper {
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// `spec.serviceMonitorSelector`; none selects no monitor.
    pub selector: Option<LabelSelector>,
    /// `spec.serviceMonitorNamespaceSelector`; none means its own namespace only.
    pub namespace_selector: Option<LabelSelector>,
}

impl Scraper {
    /// Returns `namespace/name`.
    #[must_use]
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Returns whether it looks for monitors in `namespace` (labelled `namespace_labels`).
    #[must_use]
    pub fn watches(&self, namespace: &str, namespace_labels: &BTreeMap<String, String>) -> bool {
        match &self.namespace_selector {
            None => self.namespace == namespace,
            Some(selector) => matches(selector, namespace_labels),
        }
    }
}

/// Returns whether `selector` matches `labels` (`matchLabels` and every `matchExpressions`),
/// read as [`crate::access::rules::selector_matches`] reads it.
#[must_use]
pub fn matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    crate::access::rules::selector_matches(selector, labels)
}

/// Returns the labels a monitor needs for `selector` to match it: every `matchLabels` pair, the
/// first value of each `In`, [`EXISTS_VALUE`] for each `Exists`. `NotIn` and `DoesNotExist` ask
/// for nothing; [`choose`] checks them afterwards.
#[must_use]
pub fn required_labels(selector: &LabelSelector) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = selector.match_labels.clone().unwrap_or_default();
    for e in selector.match_expressions.iter().flatten() {
        let value = match e.operator.as_str() {
            "In" => e.values.iter().flatten().next().cloned(),
            "Exists" => Some(EXISTS_VALUE.to_owned()),
            _ => None,
        };
        if let Some(value) = value {
            labels.entry(e.key.clone()).or_insert(value);
        }
    }
    labels
}

/// Why a `Prometheus` object does not scrape the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unselected {
    /// Its namespace selector leaves the app's namespace out.
    Namespace {
        /// `namespace/name` of the Prometheus.
        scraper: String,
    },
    /// It has no `serviceMonitorSelector`, so it selects no monitor.
    NoSelector {
        /// `namespace/name` of the Prometheus.
        scraper: String,
    },
    /// The monitor lacks labels it selects by (`key=value`, comma-separated).
    Labels {
        /// `namespace/name` of the Prometheus.
        scraper: String,
        /// The labels it needs, as `key=value`.
        needs: String,
    },
}

impl std::fmt::Display for Unselected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Namespace { scraper } => write!(
                f,
                "Prometheus `{scraper}` does not watch the namespace (serviceMonitorNamespaceSelector)"
            ),
            Self::NoSelector { scraper } => write!(
                f,
                "Prometheus `{scraper}` has no serviceMonitorSelector, so it selects no ServiceMonitor"
            ),
            Self::Labels { scraper, needs } => {
                write!(f, "Prometheus `{scraper}` selects label `{needs}`")
            }
        }
    }
}

/// The labels a new `ServiceMonitor` gets, and which Prometheus objects will scrape it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    /// The labels to add for the selecting Prometheus objects.
    pub labels: BTreeMap<String, String>,
    /// The Prometheus objects that will scrape it, sorted by `namespace/name`.
    pub scrapers: Vec<Scraper>,
    /// The ones that will not, and why.
    pub unselected: Vec<Unselected>,
}

/// Chooses the labels of a `ServiceMonitor` in `namespace` (labelled `namespace_labels`) that
/// already carries `labels`, so that as many of `scrapers` as agree select it: each in turn
/// (sorted by `namespace/name`) whose required labels do not contradict those chosen so far.
#[must_use]
pub fn choose(
    scrapers: &[Scraper],
    namespace: &str,
    namespace_labels: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> Choice {
    let mut sorted: Vec<&Scraper> = scrapers.iter().collect();
    sorted.sort_by_key(|s| s.id());
    let mut choice = Choice::default();
    let mut all = labels.clone();
    for scraper in sorted {
        if !scraper.watches(namespace, namespace_labels) {
            choice.unselected.push(Unselected::Namespace {
                scraper: scraper.id(),
            });
            continue;
        }
        let Some(selector) = &scraper.selector else {
            choice.unselected.push(Unselected::NoSelector {
                scraper: scraper.id(),
            });
            continue;
        };
        let required = required_labels(selector);
        let mut candidate = all.clone();
        let agrees = required
            .iter()
            .all(|(key, value)| candidate.get(key).is_none_or(|v| v == value));
        candidate.extend(required.clone());
        if agrees && matches(selector, &candidate) {
            all = candidate;
            choice.labels.extend(required);
            choice.scrapers.push(scraper.clone());
        } else {
            choice.unselected.push(Unselected::Labels {
                scraper: scraper.id(),
                needs: describe(selector),
            });
        }
    }
    choice
}

/// What the live `ServiceMonitor` of an app is to the cluster's Prometheus objects.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scraped {
    /// The Prometheus objects that select it (`namespace/name`).
    pub by: Vec<String>,
    /// Why the others do not.
    pub unselected: Vec<Unselected>,
}

/// Returns which of `scrapers` select a monitor in `namespace` (labelled `namespace_labels`)
/// carrying `labels`.
#[must_use]
pub fn scraped_by(
    scrapers: &[Scraper],
    namespace: &str,
    namespace_labels: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> Scraped {
    let mut sorted: Vec<&Scraper> = scrapers.iter().collect();
    sorted.sort_by_key(|s| s.id());
    let mut scraped = Scraped::default();
    for scraper in sorted {
        if !scraper.watches(namespace, namespace_labels) {
            scraped.unselected.push(Unselected::Namespace {
                scraper: scraper.id(),
            });
        } else if let Some(selector) = &scraper.selector {
            if matches(selector, labels) {
                scraped.by.push(scraper.id());
            } else {
                scraped.unselected.push(Unselected::Labels {
                    scraper: scraper.id(),
                    needs: describe(selector),
                });
            }
        } else {
            scraped.unselected.push(Unselected::NoSelector {
                scraper: scraper.id(),
            });
        }
    }
    scraped
}

/// Writes a selector as kubectl's `-l` syntax (`release=main,team in (a,b)`).
#[must_use]
pub fn describe(selector: &LabelSelector) -> String {
    let mut parts: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    for e in selector.match_expressions.iter().flatten() {
        let values = e.values.as_deref().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            other => format!("{} {other} ({values})", e.key),
        });
    }
    if parts.is_empty() {
        "(any)".to_owned()
    } else {
        parts.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn selector(labels: &[(&str, &str)], expressions: &[(&str, &str, &[&str])]) -> LabelSelector {
        LabelSelector {
            match_labels: (!labels.is_empty()).then(|| map(labels)),
            match_expressions: (!expressions.is_empty()).then(|| {
                expressions
                    .iter()
                    .map(|(key, operator, values)| LabelSelectorRequirement {
                        key: (*key).to_owned(),
                        operator: (*operator).to_owned(),
                        values: Some(values.iter().map(|v| (*v).to_owned()).collect()),
                    })
                    .collect()
            }),
        }
    }

    fn scraper(
        namespace: &str,
        name: &str,
        selector: Option<LabelSelector>,
        namespace_selector: Option<LabelSelector>,
    ) -> Scraper {
        Scraper {
            namespace: namespace.into(),
            name: name.into(),
            selector,
            namespace_selector,
        }
    }

    #[test]
    fn the_release_label_of_a_helm_installed_prometheus_is_chosen() {
        let kube_prometheus = scraper(
            "monitoring",
            "kube-prometheus",
            Some(selector(&[("release", "kube-prometheus")], &[])),
            Some(LabelSelector::default()),
        );
        let app = map(&[("app.kubernetes.io/name", "web")]);
        let choice = choose(&[kube_prometheus], "shop", &map(&[]), &app);
        assert_eq!(choice.labels, map(&[("release", "kube-prometheus")]));
        assert_eq!(choice.scrapers.len(), 1);
        assert!(choice.unselected.is_empty());
        let mut live = app.clone();
        live.extend(choice.labels);
        let scraped = scraped_by(&choice.scrapers, "shop", &map(&[]), &live);
        assert_eq!(scraped.by, vec!["monitoring/kube-prometheus".to_owned()]);
        let unlabelled = scraped_by(&choice.scrapers, "shop", &map(&[]), &app);
        assert!(unlabelled.by.is_empty());
        assert_eq!(
            unlabelled.unselected[0].to_string(),
            "Prometheus `monitoring/kube-prometheus` selects label `release=kube-prometheus`"
        );
    }

    #[test]
    fn namespace_selectors_and_missing_selectors_are_honoured() {
        let own_namespace_only = scraper("monitoring", "a", Some(LabelSelector::default()), None);
        let no_selector = scraper("shop", "b", None, None);
        let team = scraper(
            "monitoring",
            "c",
            Some(selector(
                &[],
                &[("team", "In", &["web", "api"]), ("tier", "Exists", &[])],
            )),
            Some(selector(&[("kubernetes.io/metadata.name", "shop")], &[])),
        );
        let namespace_labels = map(&[("kubernetes.io/metadata.name", "shop")]);
        let choice = choose(
            &[own_namespace_only, no_selector, team],
            "shop",
            &namespace_labels,
            &map(&[]),
        );
        assert_eq!(choice.labels, map(&[("team", "web"), ("tier", "true")]));
        assert_eq!(
            choice.scrapers.iter().map(Scraper::id).collect::<Vec<_>>(),
            ["monitoring/c"]
        );
        let reasons: Vec<String> = choice.unselected.iter().map(ToString::to_string).collect();
        insta::assert_debug_snapshot!(reasons, @r#"
        [
            "Prometheus `monitoring/a` does not watch the namespace (serviceMonitorNamespaceSelector)",
            "Prometheus `shop/b` has no serviceMonitorSelector, so it selects no ServiceMonitor",
        ]
        "#);
    }

    #[test]
    fn contradicting_selectors_keep_the_first() {
        let a = scraper(
            "monitoring",
            "a",
            Some(selector(&[("release", "a")], &[])),
            Some(LabelSelector::default()),
        );
        let b = scraper(
            "monitoring",
            "b",
            Some(selector(&[("release", "b")], &[])),
            Some(LabelSelector::default()),
        );
        let not_web = scraper(
            "monitoring",
            "c",
            Some(selector(
                &[],
                &[("app.kubernetes.io/name", "NotIn", &["web"])],
            )),
            Some(LabelSelector::default()),
        );
        let choice = choose(
            &[b, a, not_web],
            "shop",
            &map(&[]),
            &map(&[("app.kubernetes.io/name", "web")]),
        );
        assert_eq!(choice.labels, map(&[("release", "a")]));
        let reasons: Vec<String> = choice.unselected.iter().map(ToString::to_string).collect();
        assert_eq!(
            reasons,
            [
                "Prometheus `monitoring/b` selects label `release=b`",
                "Prometheus `monitoring/c` selects label `app.kubernetes.io/name notin (web)`",
            ]
        );
    }
}
