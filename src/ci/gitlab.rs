//! `.gitlab-ci.yml`.

use std::fmt::Write as _;

use super::{
    Auth, INSTALL_URL_VARIABLE, Install, Plan, block, oidc_kubeconfig_script, quoted,
    registry_login_script,
};

/// The image the jobs run in: it has git, curl and cargo (for `install.sh`).
const IMAGE: &str = "rust:1-bookworm";
/// The Docker Engine the jobs build images with.
const DIND: &str = "docker:27-dind";
/// Where the jobs keep their kubeconfig.
const KUBECONFIG_PATH: &str = "/tmp/paas-kubeconfig";
/// The variable GitLab puts the OIDC identity token in.
const ID_TOKEN: &str = "PAAS_ID_TOKEN";

pub(super) fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let order: Vec<String> = plan
        .targets
        .iter()
        .map(|t| {
            t.environment
                .clone()
                .unwrap_or_else(|| "the app".to_owned())
        })
        .collect();
    let _ = writeln!(
        out,
        "# Written by `paas ci gitlab` (paas {}): deploys `{}` on every push to `{}`:\n# {}.\n# `paas ci gitlab` lists the variables this needs and the kubectl commands that make them.",
        plan.version,
        plan.app,
        plan.branch,
        order.join(", then ")
    );
    let _ = writeln!(out, "stages:");
    for target in &plan.targets {
        let _ = writeln!(out, "  - {}", target.job());
    }
    let _ = writeln!(
        out,
        "\n.paas-deploy:\n  image: {IMAGE}\n  services:\n    - name: {DIND}\n      alias: docker\n  variables:\n    DOCKER_HOST: tcp://docker:2375\n    DOCKER_TLS_CERTDIR: \"\""
    );
    if let Install::Source { url: Some(url), .. } = &plan.install {
        let _ = writeln!(out, "    {INSTALL_URL_VARIABLE}: {}", quoted(url));
    }
    let _ = writeln!(out, "  before_script:");
    if let Some(dir) = &plan.project_dir {
        let _ = writeln!(out, "    - cd {}", quoted(dir));
    }
    let _ = writeln!(out, "    - |");
    match &plan.install {
        Install::Source { tag, .. } => block(
            &mut out,
            6,
            &format!(
                r#": "${{{INSTALL_URL_VARIABLE}:?set the CI/CD variable {INSTALL_URL_VARIABLE} to the git URL of the paas sources}}"
git clone --quiet --depth 1 --branch {tag} "${INSTALL_URL_VARIABLE}" /tmp/paas-src
sh /tmp/paas-src/install.sh --prefix "$HOME/.local" --no-completions
export PATH="$HOME/.local/bin:$PATH"
"#
            ),
        ),
        Install::Command(command) => block(&mut out, 6, command),
    }
    if let Some(host) = &plan.registry_login {
        let _ = writeln!(out, "    - |");
        block(&mut out, 6, &registry_login_script(host));
    }
    let rule = format!(
        "$CI_COMMIT_BRANCH == \"{}\" && $CI_PIPELINE_SOURCE == \"push\"",
        plan.branch
    );
    for target in &plan.targets {
        let _ = writeln!(
            out,
            "\n{}:\n  extends: .paas-deploy\n  stage: {}",
            target.job(),
            target.job()
        );
        if let Some(environment) = &target.environment {
            let _ = writeln!(out, "  environment:\n    name: {environment}");
            if target.gate.is_some() {
                let _ = writeln!(out, "    deployment_tier: production");
            }
        }
        let _ = writeln!(out, "  resource_group: {}", target.lock_group(&plan.app));
        let _ = writeln!(out, "  rules:\n    - if: {}", quoted(&rule));
        if target.gate.is_some() {
            let _ = writeln!(
                out,
                "      # a person starts it; protect the environment to say who may\n      when: manual\n  allow_failure: false"
            );
        }
        if let Auth::Oidc { audience } = &plan.auth {
            let _ = writeln!(
                out,
                "  id_tokens:\n    {ID_TOKEN}:\n      aud: {}",
                quoted(audience)
            );
        }
        let _ = writeln!(out, "  script:\n    - |");
        match &plan.auth {
            Auth::Kubeconfig => {
                let secret = target.kubeconfig_secret();
                block(
                    &mut out,
                    6,
                    &format!(
                        r#"if [ -z "${{{secret}:-}}" ]; then
  echo "the CI/CD variable {secret} is not set: \`paas ci gitlab\` says how to make it" >&2
  exit 1
fi
umask 077
if [ -f "${secret}" ]; then cp "${secret}" "{KUBECONFIG_PATH}"; else printf '%s\n' "${secret}" > "{KUBECONFIG_PATH}"; fi
chmod 600 "{KUBECONFIG_PATH}"
export KUBECONFIG="{KUBECONFIG_PATH}"
"#
                    ),
                );
            }
            Auth::Oidc { .. } => {
                let mut script = oidc_kubeconfig_script(
                    target,
                    KUBECONFIG_PATH,
                    &format!("      token: ${ID_TOKEN}"),
                );
                let _ = writeln!(script, "export KUBECONFIG=\"{KUBECONFIG_PATH}\"");
                block(&mut out, 6, &script);
            }
        }
        let _ = writeln!(out, "    - {}", target.deploy_command());
    }
    out
}
