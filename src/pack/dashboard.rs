//! The app's Grafana dashboard: a JSON model with the panels every app gets (targets up, CPU,
//! memory) and the pack's own (`[monitoring] panels` of `pack.toml`).
//!
//! The dashboard reads a Prometheus data source chosen in Grafana (the `datasource` variable);
//! every query selects the app's series by namespace and pod name, which both the labels a
//! `ServiceMonitor` gives and the usual `kubernetes-pods` relabelling carry. It is written into
//! a `ConfigMap` that Grafana's dashboard sidecar loads (label `grafana_dashboard: "1"`).

use serde_json::{Value, json};

use super::manifest::PanelSpec;

/// The panels every app's dashboard starts with.
fn standard_panels() -> Vec<PanelSpec> {
    let panel = |title: &str, expr: &str, unit: &str| PanelSpec {
        title: title.to_owned(),
        expr: expr.to_owned(),
        unit: Some(unit.to_owned()),
    };
    vec![
        panel("Targets up", "sum(up{$selector})", "short"),
        panel(
            "CPU (cores)",
            "sum by (pod) (rate(container_cpu_usage_seconds_total{$selector,container!=\"\"}[5m]))",
            "short",
        ),
        panel(
            "Memory (working set)",
            "sum by (pod) (container_memory_working_set_bytes{$selector,container!=\"\"})",
            "bytes",
        ),
    ]
}

/// Returns the matchers of `app`'s series: its pods' names (`<app>-<hash>-<id>`), and its
/// namespace when known.
#[must_use]
pub fn selector(app: &str, namespace: Option<&str>) -> String {
    let pods = format!("pod=~\"{app}-[a-z0-9]+-[a-z0-9]+\"");
    match namespace {
        Some(namespace) => format!("namespace=\"{namespace}\",{pods}"),
        None => pods,
    }
}

/// Returns the dashboard JSON of `app` (in `namespace`, when known) with the standard panels
/// and `panels`, two to a row.
#[must_use]
pub fn json(app: &str, namespace: Option<&str>, panels: &[PanelSpec]) -> String {
    let selector = selector(app, namespace);
    let all: Vec<Value> = standard_panels()
        .iter()
        .chain(panels)
        .enumerate()
        .map(|(index, panel)| {
            let id = index + 1;
            json!({
                "id": id,
                "type": "timeseries",
                "title": panel.title,
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "gridPos": {"h": 8, "w": 12, "x": (index % 2) * 12, "y": (index / 2) * 8},
                "fieldConfig": {"defaults": {"unit": panel.unit.as_deref().unwrap_or("short")}, "overrides": []},
                "targets": [{
                    "refId": "A",
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "expr": panel.expr.replace("$selector", &selector),
                }],
            })
        })
        .collect();
    let title = match namespace {
        Some(namespace) => format!("{app} ({namespace})"),
        None => app.to_owned(),
    };
    let dashboard = json!({
        "uid": format!("paas-{}", crate::labels::label_value(&title.replace(' ', "-").replace(['(', ')'], ""))).chars().take(40).collect::<String>(),
        "title": title,
        "tags": ["paas", app],
        "timezone": "browser",
        "schemaVersion": 39,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [{
            "name": "datasource",
            "type": "datasource",
            "query": "prometheus",
            "label": "Prometheus",
        }]},
        "panels": all,
    });
    serde_json::to_string(&dashboard).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_selects_the_app_and_the_panels_tile() {
        let panels = vec![PanelSpec {
            title: "Requests per second".into(),
            expr: "sum(rate(nginx_http_requests_total{$selector}[5m]))".into(),
            unit: Some("reqps".into()),
        }];
        let text = json("web", Some("shop"), &panels);
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["uid"], "paas-web-shop");
        let panels = value["panels"].as_array().expect("panels");
        assert_eq!(panels.len(), 4);
        for panel in panels {
            let expr = panel["targets"][0]["expr"].as_str().expect("expr");
            assert!(
                expr.contains(r#"namespace="shop",pod=~"web-[a-z0-9]+-[a-z0-9]+""#),
                "{expr}"
            );
            assert!(!expr.contains("$selector"));
        }
        assert_eq!(
            panels[3]["targets"][0]["expr"],
            r#"sum(rate(nginx_http_requests_total{namespace="shop",pod=~"web-[a-z0-9]+-[a-z0-9]+"}[5m]))"#
        );
        assert_eq!(
            panels[3]["gridPos"],
            json!({"h": 8, "w": 12, "x": 12, "y": 8})
        );
    }
}
