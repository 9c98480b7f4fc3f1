//! `.github/workflows/paas.yml`.

use std::fmt::Write as _;

use super::{
    Auth, CHECKOUT_ACTION, CHECKOUT_VERSION, INSTALL_URL_VARIABLE, Install, Plan,
    REGISTRY_PASSWORD_SECRET, REGISTRY_USER_SECRET, block, oidc_kubeconfig_script, quoted,
    registry_login_script,
};

/// Where the jobs keep their kubeconfig.
const KUBECONFIG_PATH: &str = "$RUNNER_TEMP/paas-kubeconfig";

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
        "# Written by `paas ci github` (paas {}): deploys `{}` on every push to `{}`:\n# {}.\n# `paas ci github` lists the secrets this needs and the kubectl commands that make them.",
        plan.version,
        plan.app,
        plan.branch,
        order.join(", then ")
    );
    let _ = writeln!(
        out,
        "name: paas\n\non:\n  push:\n    branches:\n      - {}\n\npermissions:\n  contents: read\n\ndefaults:\n  run:\n    shell: bash{}\n\njobs:",
        quoted(&plan.branch),
        plan.project_dir
            .as_deref()
            .map_or_else(String::new, |d| format!(
                "\n    working-directory: {}",
                quoted(d)
            ))
    );
    let mut previous: Option<String> = None;
    for target in &plan.targets {
        let job = target.job();
        let _ = writeln!(out, "  {job}:");
        let _ = writeln!(
            out,
            "    name: Deploy to {}",
            target.environment.as_deref().unwrap_or(&plan.app)
        );
        if let Some(previous) = &previous {
            let _ = writeln!(out, "    needs: {previous}");
        }
        let _ = writeln!(out, "    runs-on: ubuntu-latest");
        if let Some(environment) = &target.environment {
            if target.gate.is_some() {
                let _ = writeln!(
                    out,
                    "    # waits for the environment's required reviewers (repository Settings > Environments)"
                );
            }
            let _ = writeln!(out, "    environment: {environment}");
        }
        if let Auth::Oidc { .. } = plan.auth {
            let _ = writeln!(
                out,
                "    permissions:\n      contents: read\n      id-token: write"
            );
        }
        let _ = writeln!(
            out,
            "    concurrency:\n      group: {}\n      cancel-in-progress: false",
            target.lock_group(&plan.app)
        );
        let _ = writeln!(out, "    steps:");
        let _ = writeln!(
            out,
            "      - name: Check out\n        uses: {CHECKOUT_ACTION} # {CHECKOUT_VERSION}\n        with:\n          persist-credentials: false"
        );
        let _ = writeln!(out, "      - name: Install paas");
        match &plan.install {
            Install::Source { url, tag } => {
                let value = url
                    .as_deref()
                    .map_or_else(|| format!("${{{{ vars.{INSTALL_URL_VARIABLE} }}}}"), quoted);
                let _ = writeln!(
                    out,
                    "        env:\n          {INSTALL_URL_VARIABLE}: {value}\n        run: |"
                );
                block(
                    &mut out,
                    10,
                    &format!(
                        r#": "${{{INSTALL_URL_VARIABLE}:?set the repository variable {INSTALL_URL_VARIABLE} to the git URL of the paas sources}}"
git clone --quiet --depth 1 --branch {tag} "${INSTALL_URL_VARIABLE}" "$RUNNER_TEMP/paas-src"
sh "$RUNNER_TEMP/paas-src/install.sh" --prefix "$HOME/.local" --no-completions
echo "$HOME/.local/bin" >> "$GITHUB_PATH"
"#
                    ),
                );
            }
            Install::Command(command) => {
                let _ = writeln!(out, "        run: |");
                block(&mut out, 10, command);
            }
        }
        let _ = writeln!(out, "      - name: Cluster credentials");
        match &plan.auth {
            Auth::Kubeconfig => {
                let secret = target.kubeconfig_secret();
                let _ = writeln!(
                    out,
                    "        env:\n          KUBECONFIG_DATA: ${{{{ secrets.{secret} }}}}\n        run: |"
                );
                block(
                    &mut out,
                    10,
                    &format!(
                        r#"if [ -z "$KUBECONFIG_DATA" ]; then
  echo "::error::the secret {secret} is not set: \`paas ci github\` says how to make it"
  exit 1
fi
umask 077
printf '%s\n' "$KUBECONFIG_DATA" > "{KUBECONFIG_PATH}"
chmod 600 "{KUBECONFIG_PATH}"
echo "KUBECONFIG={KUBECONFIG_PATH}" >> "$GITHUB_ENV"
"#
                    ),
                );
            }
            Auth::Oidc { audience } => {
                let _ = writeln!(
                    out,
                    "        env:\n          {server}: ${{{{ vars.{server} }}}}\n          {ca}: ${{{{ vars.{ca} }}}}\n        run: |",
                    server = target.server_variable(),
                    ca = target.ca_variable()
                );
                // The token is fetched by the kubeconfig's exec plugin each time paas connects,
                // so a long build does not outlive it.
                let mut script = format!(
                    r#"umask 077
cat > "$RUNNER_TEMP/paas-oidc-token" <<'EOF'
#!/bin/sh
set -eu
token=$(curl -fsS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience={audience}" | jq -r .value)
printf '{{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{{"token":"%s"}}}}\n' "$token"
EOF
chmod 700 "$RUNNER_TEMP/paas-oidc-token"
"#
                );
                script.push_str(&oidc_kubeconfig_script(
                    target,
                    KUBECONFIG_PATH,
                    "      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: $RUNNER_TEMP/paas-oidc-token\n        interactiveMode: Never",
                ));
                let _ = writeln!(
                    script,
                    "echo \"KUBECONFIG={KUBECONFIG_PATH}\" >> \"$GITHUB_ENV\""
                );
                block(&mut out, 10, &script);
            }
        }
        if let Some(host) = &plan.registry_login {
            let _ = writeln!(
                out,
                "      - name: Registry login\n        env:\n          {REGISTRY_USER_SECRET}: ${{{{ secrets.{REGISTRY_USER_SECRET} }}}}\n          {REGISTRY_PASSWORD_SECRET}: ${{{{ secrets.{REGISTRY_PASSWORD_SECRET} }}}}\n        run: |"
            );
            block(&mut out, 10, &registry_login_script(host));
        }
        let _ = writeln!(
            out,
            "      - name: Deploy\n        run: {}",
            target.deploy_command()
        );
        previous = Some(job);
    }
    out
}
