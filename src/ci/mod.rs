//! `paas ci`: the CI pipeline that deploys an app on every push to its main branch, and what a
//! cluster admin sets up for it (secrets, a namespaced `ServiceAccount`, its Role).
//!
//! Pure: a [`Plan`] in, the file's text and an [`Explanation`] out. The command layer writes
//! the file with [`crate::scaffold`] and prints the explanation.

mod github;
mod gitlab;

use std::fmt::Write as _;

/// actions/checkout, pinned by the commit of its release tag (the tag is in the comment).
pub const CHECKOUT_ACTION: &str = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683";
/// The release tag [`CHECKOUT_ACTION`] points to.
pub const CHECKOUT_VERSION: &str = "v4.2.2";
/// The `ServiceAccount` the pipeline deploys as, in each environment's namespace.
pub const SERVICE_ACCOUNT: &str = "paas-ci";
/// The Role that holds what `paas up` needs in the namespace.
pub const ROLE: &str = "paas-deployer";
/// The CI variable that names paas's sources when the file does not.
pub const INSTALL_URL_VARIABLE: &str = "PAAS_INSTALL_URL";
/// The secrets holding the registry's user name and password (when it needs a login).
pub const REGISTRY_USER_SECRET: &str = "REGISTRY_USERNAME";
/// See [`REGISTRY_USER_SECRET`].
pub const REGISTRY_PASSWORD_SECRET: &str = "REGISTRY_PASSWORD";
/// The name of the cluster and user in the kubeconfigs the pipeline uses.
const KUBECONFIG_NAME: &str = "paas-ci";

/// The CI service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// GitHub Actions.
    Github,
    /// GitLab CI/CD.
    Gitlab,
}

impl Platform {
    /// The file the pipeline lives in, relative to the repository root.
    #[must_use]
    pub fn path(self) -> &'static str {
        match self {
            Self::Github => ".github/workflows/paas.yml",
            Self::Gitlab => ".gitlab-ci.yml",
        }
    }

    /// The service's name, for people.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Github => "GitHub Actions",
            Self::Gitlab => "GitLab CI/CD",
        }
    }
}

/// How the pipeline installs paas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    /// Clone paas's sources at `tag` and run their `install.sh`; the URL is the CI variable
    /// [`INSTALL_URL_VARIABLE`] when `None`.
    Source {
        /// The git URL, when given.
        url: Option<String>,
        /// The tag to check out (`v` + this paas's version).
        tag: String,
    },
    /// The company's own command.
    Command(String),
}

/// How the pipeline gets into the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// A kubeconfig secret per environment.
    Kubeconfig,
    /// The CI's OIDC identity token, for a cluster that trusts the CI's issuer.
    Oidc {
        /// The token's audience.
        audience: String,
    },
}

/// One deploy job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The environment of `paas.toml` (`None`: the project's own values, no `--env`).
    pub environment: Option<String>,
    /// The namespace the app lives in there.
    pub namespace: String,
    /// The kube context `paas.toml` binds the environment to (the kubeconfig's context is
    /// named so), if any.
    pub context: Option<String>,
    /// Why it waits for an approval, when it does.
    pub gate: Option<String>,
}

impl Target {
    /// The job's name: `deploy-<env>`, or `deploy`.
    #[must_use]
    pub fn job(&self) -> String {
        self.environment
            .as_ref()
            .map_or_else(|| "deploy".to_owned(), |e| format!("deploy-{e}"))
    }

    /// The suffix of the secrets and variables of this environment: `_STAGING`, or nothing.
    fn suffix(&self) -> String {
        self.environment.as_ref().map_or_else(String::new, |e| {
            format!("_{}", e.to_ascii_uppercase().replace(['-', '.'], "_"))
        })
    }

    /// The secret holding the kubeconfig: `KUBECONFIG_<ENV>`, or `KUBECONFIG`.
    #[must_use]
    pub fn kubeconfig_secret(&self) -> String {
        format!("KUBECONFIG{}", self.suffix())
    }

    /// The variable holding the API server's URL (OIDC).
    #[must_use]
    pub fn server_variable(&self) -> String {
        format!("KUBE_SERVER{}", self.suffix())
    }

    /// The variable holding the cluster's CA certificate, base64 (OIDC).
    #[must_use]
    pub fn ca_variable(&self) -> String {
        format!("KUBE_CA{}", self.suffix())
    }

    /// The context of the pipeline's kubeconfig.
    #[must_use]
    pub fn context_name(&self) -> &str {
        self.context.as_deref().unwrap_or(KUBECONFIG_NAME)
    }

    /// What serialises the deploys: `paas-<app>-<env>`, or `paas-<app>`.
    #[must_use]
    pub fn lock_group(&self, app: &str) -> String {
        self.environment
            .as_ref()
            .map_or_else(|| format!("paas-{app}"), |e| format!("paas-{app}-{e}"))
    }

    /// The `paas up` command the job runs.
    #[must_use]
    pub fn deploy_command(&self) -> String {
        match &self.environment {
            Some(e) => format!("paas up --env {e} --yes --output json"),
            None => "paas up --yes --output json".to_owned(),
        }
    }
}

/// Everything the pipeline is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The service.
    pub platform: Platform,
    /// The app's name.
    pub app: String,
    /// The branch whose pushes deploy.
    pub branch: String,
    /// The deploy jobs, in order: each waits for the one before.
    pub targets: Vec<Target>,
    /// How paas is installed.
    pub install: Install,
    /// How the pipeline gets into the cluster.
    pub auth: Auth,
    /// The registry host to log in to, when it is not a local one.
    pub registry_login: Option<String>,
    /// The repository's `owner/name` (`group/project` on GitLab), when known.
    pub repository: Option<String>,
    /// How long the printed `ServiceAccount` tokens last, as `kubectl` reads it (`720h`).
    pub token_duration: String,
    /// The paas version that wrote the file.
    pub version: String,
    /// The project's folder relative to the repository root, `/`-separated, when `paas.toml`
    /// is not at the root (the jobs run there).
    pub project_dir: Option<String>,
}

/// Whether an environment is production: `protected = true`, or named `prod`/`production`.
/// Returns why.
#[must_use]
pub fn production_gate(name: &str, protected: bool) -> Option<String> {
    if protected {
        Some("`protected = true` in `paas.toml`".to_owned())
    } else if matches!(name, "prod" | "production") {
        Some(format!("it is named `{name}`"))
    } else {
        None
    }
}

/// Renders the pipeline file.
#[must_use]
pub fn render(plan: &Plan) -> String {
    match plan.platform {
        Platform::Github => github::render(plan),
        Platform::Gitlab => gitlab::render(plan),
    }
}

/// A secret or variable the pipeline reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Input {
    /// Its name.
    pub name: String,
    /// `secret` (masked, never printed) or `variable` (plain configuration).
    pub kind: &'static str,
    /// The environment it belongs to (a GitHub environment's secret, a GitLab variable's
    /// environment scope), if any.
    pub environment: Option<String>,
    /// What it holds.
    pub holds: String,
}

/// What a cluster admin runs for one environment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Setup {
    /// The environment, if any.
    pub environment: Option<String>,
    /// Its namespace.
    pub namespace: String,
    /// The job that deploys it.
    pub job: String,
    /// Why it waits for an approval, when it does.
    pub gate: Option<String>,
    /// The shell commands, in order.
    pub commands: Vec<String>,
    /// The Role the commands create, as a Kubernetes object.
    pub role: serde_json::Value,
}

/// What `paas ci` tells: the file, what it needs, how to make it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    /// The service.
    pub platform: Platform,
    /// The file, relative to the project root.
    pub file: &'static str,
    /// The branch whose pushes deploy.
    pub branch: String,
    /// `kubeconfig` or `oidc`.
    pub auth: &'static str,
    /// The secrets and variables to create.
    pub inputs: Vec<Input>,
    /// Per environment, the cluster side.
    pub setup: Vec<Setup>,
    /// How production's approval is switched on.
    pub approval: Option<String>,
    /// Other things to know.
    pub notes: Vec<String>,
}

/// What `paas up` reads and writes in its namespace, as RBAC rules: the objects the packs
/// render, the release records and deploy lock, and what diagnosing a rollout reads.
#[must_use]
pub fn role(namespace: &str) -> serde_json::Value {
    let write = [
        "get", "list", "watch", "create", "update", "patch", "delete",
    ];
    let read = ["get", "list", "watch"];
    serde_json::json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": { "name": ROLE, "namespace": namespace, "labels": { crate::labels::MANAGED_BY: crate::labels::MANAGER } },
        "rules": [
            { "apiGroups": [""], "resources": ["configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims"], "verbs": write },
            { "apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch", "delete"] },
            { "apiGroups": [""], "resources": ["pods/log", "events"], "verbs": read },
            { "apiGroups": [""], "resources": ["namespaces"], "resourceNames": [namespace], "verbs": ["get"] },
            { "apiGroups": ["apps"], "resources": ["deployments", "statefulsets"], "verbs": write },
            { "apiGroups": ["apps"], "resources": ["replicasets"], "verbs": ["get", "list", "watch", "delete"] },
            { "apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get", "list", "watch", "delete"] },
            { "apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "networkpolicies"], "verbs": write },
            { "apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers"], "verbs": write },
            { "apiGroups": ["policy"], "resources": ["poddisruptionbudgets"], "verbs": write },
            { "apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": write },
            { "apiGroups": ["monitoring.coreos.com"], "resources": ["servicemonitors"], "verbs": write },
        ],
    })
}

/// The Role as YAML, for `kubectl apply -f -`.
fn role_yaml(namespace: &str) -> String {
    serde_saphyr::to_string(&role(namespace)).unwrap_or_default()
}

/// The OIDC subject the cluster sees for a job.
fn oidc_subject(plan: &Plan, target: &Target) -> String {
    let repository = plan.repository.as_deref().unwrap_or(match plan.platform {
        Platform::Github => "OWNER/REPO",
        Platform::Gitlab => "GROUP/PROJECT",
    });
    match (plan.platform, &target.environment) {
        (Platform::Github, Some(e)) => format!("repo:{repository}:environment:{e}"),
        (Platform::Github, None) => format!("repo:{repository}:ref:refs/heads/{}", plan.branch),
        (Platform::Gitlab, _) => format!(
            "project_path:{repository}:ref_type:branch:ref:{}",
            plan.branch
        ),
    }
}

/// What the pipeline needs and how to make it.
#[must_use]
pub fn explain(plan: &Plan) -> Explanation {
    let mut inputs = Vec::new();
    if let Install::Source { url: None, .. } = plan.install {
        inputs.push(Input {
            name: INSTALL_URL_VARIABLE.to_owned(),
            kind: "variable",
            environment: None,
            holds: "the git URL of paas's sources (cloned at this version's tag, installed with their `install.sh`)".to_owned(),
        });
    }
    let mut setup = Vec::new();
    for target in &plan.targets {
        let ns = &target.namespace;
        let env = target.environment.clone();
        let label = env.as_deref().unwrap_or("the app");
        let mut commands = vec![
            format!("kubectl create namespace {ns} --dry-run=client -o yaml | kubectl apply -f -"),
            format!("kubectl -n {ns} apply -f - <<'EOF'\n{}EOF", role_yaml(ns)),
        ];
        match &plan.auth {
            Auth::Kubeconfig => {
                inputs.push(Input {
                    name: target.kubeconfig_secret(),
                    kind: "secret",
                    environment: env.clone(),
                    holds: format!(
                        "a kubeconfig for the ServiceAccount `{SERVICE_ACCOUNT}` of namespace `{ns}`, with a token that expires after {} (the file `{}` the commands below write)",
                        plan.token_duration,
                        kubeconfig_file(target)
                    ),
                });
                let file = kubeconfig_file(target);
                commands.extend([
                    format!("kubectl -n {ns} create serviceaccount {SERVICE_ACCOUNT}"),
                    format!(
                        "kubectl -n {ns} create rolebinding {SERVICE_ACCOUNT} --role={ROLE} --serviceaccount={ns}:{SERVICE_ACCOUNT}"
                    ),
                    "kubectl config view --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d > paas-ci-ca.crt".to_owned(),
                    format!(
                        "kubectl config set-cluster {KUBECONFIG_NAME} --kubeconfig={file} --server=\"$(kubectl config view --minify -o jsonpath='{{.clusters[0].cluster.server}}')\" --certificate-authority=paas-ci-ca.crt --embed-certs=true"
                    ),
                    format!(
                        "kubectl config set-credentials {KUBECONFIG_NAME} --kubeconfig={file} --token=\"$(kubectl -n {ns} create token {SERVICE_ACCOUNT} --duration={})\"",
                        plan.token_duration
                    ),
                    format!(
                        "kubectl config set-context {} --kubeconfig={file} --cluster={KUBECONFIG_NAME} --user={KUBECONFIG_NAME} --namespace={ns}",
                        target.context_name()
                    ),
                    format!("kubectl config use-context {} --kubeconfig={file}", target.context_name()),
                    "rm paas-ci-ca.crt".to_owned(),
                ]);
            }
            Auth::Oidc { .. } => {
                inputs.push(Input {
                    name: target.server_variable(),
                    kind: "variable",
                    environment: env.clone(),
                    holds: format!(
                        "the URL of the API server {label} deploys to: `kubectl config view --minify -o jsonpath='{{.clusters[0].cluster.server}}'`"
                    ),
                });
                inputs.push(Input {
                    name: target.ca_variable(),
                    kind: "variable",
                    environment: env.clone(),
                    holds: "the cluster's CA certificate, base64: `kubectl config view --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}'`".to_owned(),
                });
                commands.push(format!(
                    "kubectl -n {ns} create rolebinding {SERVICE_ACCOUNT} --role={ROLE} --user='{}'",
                    oidc_subject(plan, target)
                ));
            }
        }
        setup.push(Setup {
            environment: env,
            namespace: ns.clone(),
            job: target.job(),
            gate: target.gate.clone(),
            commands,
            role: role(ns),
        });
    }
    if let Some(host) = &plan.registry_login {
        for (name, holds) in [
            (
                REGISTRY_USER_SECRET,
                format!("the user name paas pushes images to `{host}` as"),
            ),
            (
                REGISTRY_PASSWORD_SECRET,
                format!("that user's password or access token for `{host}` (push and pull)"),
            ),
        ] {
            inputs.push(Input {
                name: name.to_owned(),
                kind: "secret",
                environment: None,
                holds,
            });
        }
    }
    let gated: Vec<String> = plan
        .targets
        .iter()
        .filter(|t| t.gate.is_some())
        .filter_map(|t| t.environment.clone())
        .map(|e| format!("`{e}`"))
        .collect();
    let approval = (!gated.is_empty()).then(|| {
        let gated = gated.join(", ");
        match plan.platform {
            Platform::Github => format!(
                "the jobs of {gated} run in a GitHub environment of that name: add required reviewers to it (repository Settings > Environments), or the job deploys without waiting; keep its secret there, not in the repository's secrets"
            ),
            Platform::Gitlab => format!(
                "the jobs of {gated} are `when: manual`: protect the environment (Settings > CI/CD > Protected environments) so only the allowed people can run or approve them, and make its variables protected and scoped to it"
            ),
        }
    });
    let mut notes = Vec::new();
    match &plan.auth {
        Auth::Kubeconfig => {
            let mut note = String::new();
            let _ = write!(
                note,
                "the tokens expire after {}: run the `create token` line again and replace the secret before then; nothing long-lived is stored (no token Secret)",
                plan.token_duration
            );
            notes.push(note);
        }
        Auth::Oidc { audience } => notes.push(format!(
            "the cluster's API server must trust the issuer `{}` with audience `{audience}` (a JWT authenticator in its AuthenticationConfiguration) and map the `sub` claim to the user name; add the prefix it sets to the user in `create rolebinding`",
            match plan.platform {
                Platform::Github => "https://token.actions.githubusercontent.com",
                Platform::Gitlab => "your GitLab's URL (`$CI_SERVER_URL`, https://gitlab.com)",
            }
        )),
    }
    if plan.repository.is_none() && matches!(plan.auth, Auth::Oidc { .. }) {
        notes.push(
            "no `origin` remote: replace the repository placeholder in the user name".to_owned(),
        );
    }
    notes.push(
        "the Role lets `paas up` manage the app's objects in its namespace and nothing else; `paas up --major` also needs `pods/exec` (create) there; components and deploy records live in the same namespace".to_owned(),
    );
    if plan.platform == Platform::Gitlab {
        notes.push("the jobs build the image with Docker in a `docker:dind` service: the runner must allow privileged containers".to_owned());
    }
    if let Install::Command(_) = plan.install {
        notes.push("the install command must leave `paas` on PATH for the later steps".to_owned());
    }
    Explanation {
        platform: plan.platform,
        file: plan.platform.path(),
        branch: plan.branch.clone(),
        auth: match plan.auth {
            Auth::Kubeconfig => "kubeconfig",
            Auth::Oidc { .. } => "oidc",
        },
        inputs,
        setup,
        approval,
        notes,
    }
}

/// The kubeconfig file the setup commands write for a target.
fn kubeconfig_file(target: &Target) -> String {
    match &target.environment {
        Some(e) => format!("paas-ci-{e}.kubeconfig"),
        None => "paas-ci.kubeconfig".to_owned(),
    }
}

/// A duration as Go (`kubectl --duration`) writes it: `720h`, `1h30m`, `90s`.
#[must_use]
pub fn go_duration(duration: std::time::Duration) -> String {
    let total = duration.as_secs();
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    let mut out = String::new();
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if m > 0 {
        let _ = write!(out, "{m}m");
    }
    if s > 0 || out.is_empty() {
        let _ = write!(out, "{s}s");
    }
    out
}

/// Quotes a string for YAML (single quotes).
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Appends `text` as the lines of a block scalar indented by `indent` spaces.
fn block(out: &mut String, indent: usize, text: &str) {
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{:indent$}{line}", "");
        }
    }
}

/// The shell lines that write the registry's credentials where paas reads them
/// (`~/.docker/config.json`), from the two secrets in the environment.
fn registry_login_script(host: &str) -> String {
    format!(
        r#"mkdir -p "$HOME/.docker"
umask 077
auth=$(printf '%s:%s' "${REGISTRY_USER_SECRET}" "${REGISTRY_PASSWORD_SECRET}" | base64 | tr -d '\n')
printf '{{"auths":{{"{host}":{{"auth":"%s"}}}}}}\n' "$auth" > "$HOME/.docker/config.json"
"#
    )
}

/// The shell lines that write a kubeconfig whose user runs `token_command` for its token.
fn oidc_kubeconfig_script(target: &Target, path: &str, token: &str) -> String {
    format!(
        r#"umask 077
cat > "{path}" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: {KUBECONFIG_NAME}
    cluster:
      server: ${server}
      certificate-authority-data: ${ca}
users:
  - name: {KUBECONFIG_NAME}
    user:
{token}
contexts:
  - name: {context}
    context:
      cluster: {KUBECONFIG_NAME}
      user: {KUBECONFIG_NAME}
      namespace: {namespace}
current-context: {context}
EOF
chmod 600 "{path}"
"#,
        server = target.server_variable(),
        ca = target.ca_variable(),
        context = target.context_name(),
        namespace = target.namespace,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_writes_them() {
        assert_eq!(
            go_duration(std::time::Duration::from_secs(720 * 3600)),
            "720h"
        );
        assert_eq!(go_duration(std::time::Duration::from_secs(5400)), "1h30m");
        assert_eq!(go_duration(std::time::Duration::from_secs(610)), "10m10s");
    }

    #[test]
    fn production_is_protected_or_named_so() {
        assert!(production_gate("prod", false).is_some());
        assert!(production_gate("production", false).is_some());
        assert!(production_gate("live", true).is_some());
        assert!(production_gate("staging", false).is_none());
    }

    #[test]
    fn secrets_are_named_after_the_environment() {
        let target = Target {
            environment: Some("eu-prod".to_owned()),
            namespace: "shop".to_owned(),
            context: None,
            gate: None,
        };
        assert_eq!(target.kubeconfig_secret(), "KUBECONFIG_EU_PROD");
        assert_eq!(target.lock_group("web"), "paas-web-eu-prod");
        assert_eq!(
            target.deploy_command(),
            "paas up --env eu-prod --yes --output json"
        );
    }

    #[test]
    fn the_role_is_limited_to_its_namespace() {
        let role = role("shop");
        assert_eq!(role["metadata"]["namespace"], "shop");
        assert!(
            role["rules"]
                .as_array()
                .expect("rules")
                .iter()
                .all(|r| r["verbs"] != serde_json::json!(["*"]))
        );
    }
}
