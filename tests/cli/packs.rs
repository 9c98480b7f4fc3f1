//! `paas packs list|show`, with and without a company pack folder.

use crate::paas_snapshot;
use crate::support::TestEnv;

#[test]
fn list_bundled() {
    let env = TestEnv::new();
    let output = paas_snapshot!(env, env.paas().args(["packs", "list"]), "packs_list");
    assert!(output.status.success());
    let output = env
        .paas()
        .args(["packs", "list", "--output", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let names: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["dotnet", "jexus", "nginx"]);
}

#[test]
fn show_each_pack() {
    let env = TestEnv::new();
    for pack in ["dotnet", "jexus", "nginx"] {
        let output = paas_snapshot!(
            env,
            env.paas().args(["packs", "show", pack]),
            format!("packs_show_{pack}")
        );
        assert!(output.status.success());
    }
    let output = paas_snapshot!(
        env,
        env.paas().args(["packs", "show", "rails"]),
        "packs_show_unknown"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn company_pack_overrides_and_adds() {
    let env = TestEnv::new();
    let company = env.temp.path().join("company");
    let java = company.join("java");
    fs_err::create_dir_all(&java).expect("dir");
    fs_err::write(
        java.join("pack.toml"),
        "name = \"java\"\ndescription = \"Spring Boot jar on the company JRE\"\n\
         [detect]\nmarkers = [\"pom.xml\"]\npriority = 15\n\
         [[variables]]\nname = \"base_image\"\ntype = \"image\"\ndefault = \"registry.corp/jre:21\"\ndescription = \"the JRE image\"\n\
         [[variables]]\nname = \"uid\"\ntype = \"integer\"\ndefault = 1000\ndescription = \"the user\"\n\
         [files]\nDockerfile = \"Dockerfile.j2\"\n",
    )
    .expect("pack.toml");
    fs_err::write(java.join("Dockerfile.j2"), "FROM {{ vars.base_image }}\nUSER {{ vars.uid }}\nCOPY target/app.jar /app.jar\nEXPOSE {{ app.port }}\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n").expect("template");
    let output = paas_snapshot!(
        env,
        env.paas()
            .args(["packs", "list"])
            .env("PAAS_PACK_PATH", &company),
        "packs_list_company"
    );
    assert!(output.status.success());

    env.write("pom.xml", "<project/>\n");
    let output = env
        .paas()
        .args(["init", "--name", "orders", "--yes"])
        .env("PAAS_PACK_PATH", &company)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        env.read("Dockerfile")
            .starts_with("FROM registry.corp/jre:21\n")
    );
    assert!(
        env.read("deploy/deployment.yaml")
            .contains("kind: Deployment")
    );
}

#[test]
fn broken_company_pack_is_a_clear_error() {
    let env = TestEnv::new();
    let company = env.temp.path().join("company");
    fs_err::create_dir_all(company.join("bad")).expect("dir");
    fs_err::write(company.join("bad/pack.toml"), "name = \"bad\"\n").expect("write");
    let output = paas_snapshot!(
        env,
        env.paas()
            .args(["packs", "list"])
            .env("PAAS_PACK_PATH", &company),
        "packs_broken"
    );
    assert_eq!(output.status.code(), Some(2));
}
