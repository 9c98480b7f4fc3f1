//! Build tools and site generators: which one a package uses, and the folder it writes,
//! read from the tool's own configuration.
//!
//! Configurations are JavaScript or TypeScript modules: they are read by a light parse that
//! finds `key: 'literal'`. A key whose value is not a string literal (a variable, a call) is
//! reported as such and the tool's default is used.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value};

use super::install::has_dependency;
use super::{Refusal, join, read_json};
use crate::detect::dotnet::normalize;
use crate::detect::{DetectError, Evidence, read_text};

/// The build tool of an app.
#[derive(Debug, Clone)]
pub(crate) struct Tool {
    /// `Vite`, `Docusaurus`…
    pub(crate) name: &'static str,
    /// The folder the build writes, relative to the project root.
    pub(crate) output: String,
    /// A single-page app (unknown paths answer `index.html`), not a multi-page site.
    pub(crate) spa: bool,
    /// The `package.json` script that builds.
    pub(crate) script: String,
}

/// Known tools: (dependency, name, the command its build script runs), generators first:
/// they often depend on a bundler too.
const TOOLS: &[(&str, &str, &str)] = &[
    ("next", "Next.js", "next build"),
    ("gatsby", "Gatsby", "gatsby build"),
    ("@docusaurus/core", "Docusaurus", "docusaurus build"),
    ("astro", "Astro", "astro build"),
    ("@sveltejs/kit", "SvelteKit", "vite build"),
    ("vitepress", "VitePress", "vitepress build"),
    ("vuepress", "VuePress", "vuepress build"),
    ("@vuepress/cli", "VuePress", "vuepress build"),
    ("vuepress-vite", "VuePress", "vuepress build"),
    ("@11ty/eleventy", "Eleventy", "eleventy"),
    ("@angular/cli", "Angular", "ng build"),
    ("@angular/build", "Angular", "ng build"),
    ("@angular-devkit/build-angular", "Angular", "ng build"),
    ("react-scripts", "Create React App", "react-scripts build"),
    ("@vue/cli-service", "Vue CLI", "vue-cli-service build"),
    ("vite", "Vite", "vite build"),
];

/// The configuration files each tool reads, by tool name.
fn config_files(name: &str) -> &'static [&'static str] {
    match name {
        "Vite" => &[
            "vite.config.ts",
            "vite.config.js",
            "vite.config.mts",
            "vite.config.mjs",
            "vite.config.cts",
            "vite.config.cjs",
        ],
        "SvelteKit" => &["svelte.config.js", "svelte.config.mjs", "svelte.config.ts"],
        "Next.js" => &[
            "next.config.js",
            "next.config.mjs",
            "next.config.ts",
            "next.config.cjs",
        ],
        "Astro" => &[
            "astro.config.mjs",
            "astro.config.js",
            "astro.config.ts",
            "astro.config.mts",
            "astro.config.cjs",
        ],
        "Eleventy" => &[
            "eleventy.config.js",
            "eleventy.config.mjs",
            "eleventy.config.cjs",
            ".eleventy.js",
        ],
        "Vue CLI" => &["vue.config.js", "vue.config.cjs", "vue.config.mjs"],
        "Docusaurus" => &[
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "docusaurus.config.mjs",
        ],
        "Gatsby" => &["gatsby-config.js", "gatsby-config.ts", "gatsby-config.mjs"],
        "Angular" => &["angular.json"],
        _ => &[],
    }
}

/// The known tool `package` depends on: (dependency, tool name).
pub(crate) fn known(package: &Map<String, Value>) -> Option<(&'static str, &'static str)> {
    TOOLS
        .iter()
        .find(|(dependency, _, _)| has_dependency(package, dependency))
        .map(|(dependency, name, _)| (*dependency, *name))
}

/// A tool known by its configuration file in `dir` (an Nx app without a `package.json`).
pub(crate) fn config_tool(root: &Path, dir: &str) -> Option<&'static str> {
    TOOLS.iter().map(|(_, name, _)| *name).find(|name| {
        config_files(name)
            .iter()
            .any(|file| *file != "angular.json" && root.join(join(dir, file)).is_file())
    })
}

/// What a light parse found for one key.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Literal {
    Absent,
    Value(String),
    /// The key is there with an expression that is not a string literal.
    Expression(String),
}

/// Removes `//` and `/* */` comments, outside strings.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('/', Some('/')) => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut previous = ' ';
                for next in chars.by_ref() {
                    if previous == '*' && next == '/' {
                        break;
                    }
                    previous = next;
                }
            }
            ('"' | '\'' | '`', _) => {
                quote = Some(c);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Finds `key: 'value'` (or `"key": "value"`) in a JavaScript module.
pub(crate) fn literal(text: &str, key: &str) -> Literal {
    let text = strip_comments(text);
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find(key) {
        let start = from + found;
        from = start + key.len();
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.')
        {
            continue;
        }
        let mut rest = &text[from..];
        rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        let mut chars = rest.chars();
        if let Some(q @ ('"' | '\'' | '`')) = chars.next() {
            let body: String = chars.by_ref().take_while(|c| *c != q).collect();
            if q == '`' && body.contains("${") {
                return Literal::Expression(format!("`{body}`"));
            }
            return Literal::Value(body);
        }
        let mut depth = 0_i32;
        let expression: String = rest
            .chars()
            .take_while(|c| {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                depth >= 0 && !(depth == 0 && matches!(c, ',' | '\n'))
            })
            .collect();
        return Literal::Expression(expression.trim().to_owned());
    }
    Literal::Absent
}

/// The value of `--flag value` or `--flag=value` in a command line.
fn flag(command: &str, names: &[&str]) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    for (index, word) in words.iter().enumerate() {
        for name in names {
            if let Some(value) = word.strip_prefix(&format!("{name}=")) {
                return Some(value.trim_matches(['"', '\'']).to_owned());
            }
            if word == name {
                return words
                    .get(index + 1)
                    .map(|v| v.trim_matches(['"', '\'']).to_owned());
            }
        }
    }
    None
}

/// The first configuration file of `tool` present in `dir`.
fn config_file(root: &Path, dir: &str, tool: &str) -> Option<String> {
    config_files(tool)
        .iter()
        .map(|file| join(dir, file))
        .find(|path| root.join(path).is_file())
}

/// Reads `key` from the first config file of `tool`; records evidence and warnings.
struct Reader<'a> {
    root: &'a Path,
    dir: &'a str,
    evidence: &'a mut Vec<Evidence>,
    warnings: &'a mut Vec<String>,
}

impl Reader<'_> {
    /// The folder `key` names in `file`, relative to the root; else `default` (relative to
    /// the app's folder).
    fn folder(
        &mut self,
        file: Option<&str>,
        key: &str,
        default: &str,
    ) -> Result<String, DetectError> {
        let default = join(self.dir, default);
        let Some(file) = file else {
            return Ok(default);
        };
        let text = read_text(self.root, file)?;
        match literal(&text, key) {
            Literal::Absent => Ok(default),
            Literal::Value(value) => {
                let cleaned = value.trim_end_matches('/');
                if let Some(folder) = normalize(&join(self.dir, cleaned)) {
                    self.evidence.push(Evidence::new(
                        file,
                        format!("{key}: '{value}': output in `{folder}`"),
                    ));
                    Ok(folder)
                } else {
                    self.evidence.push(Evidence::new(
                        file,
                        format!("{key}: '{value}' leads outside the project: `{default}` used"),
                    ));
                    self.warnings.push(format!(
                        "`{file}` sets {key} to `{value}`, outside the project: paas assumed `{default}`; set `output_dir` if it differs"
                    ));
                    Ok(default)
                }
            }
            Literal::Expression(expression) => {
                self.evidence.push(Evidence::new(
                    file,
                    format!("{key}: {expression} is not a literal: `{default}` assumed"),
                ));
                self.warnings.push(format!(
                    "`{file}` computes {key} (`{expression}`): paas assumed `{default}`; set `output_dir` if it differs"
                ));
                Ok(default)
            }
        }
    }

    fn value(&mut self, file: Option<&str>, key: &str) -> Result<Literal, DetectError> {
        match file {
            Some(file) => Ok(literal(&read_text(self.root, file)?, key)),
            None => Ok(Literal::Absent),
        }
    }
}

/// Finds the build tool of the app in `dir` and the folder it writes.
pub(crate) fn tool(
    root: &Path,
    dir: &str,
    package: &Map<String, Value>,
    app_name: &str,
    nx_executor: Option<&str>,
    evidence: &mut Vec<Evidence>,
    warnings: &mut Vec<String>,
) -> Result<Result<Tool, Refusal>, DetectError> {
    let scripts = package.get("scripts").and_then(Value::as_object);
    let script_of = |name: &str| scripts.and_then(|s| s.get(name)).and_then(Value::as_str);
    let manifest = if root.join(join(dir, "package.json")).is_file() {
        join(dir, "package.json")
    } else {
        "package.json".to_owned()
    };
    let found = known(package);
    let (dependency, name) = match found {
        Some(found) => found,
        None => match config_tool(root, dir) {
            Some(name) => ("", name),
            None => ("", ""),
        },
    };
    let generator_command = TOOLS
        .iter()
        .find(|(_, tool, _)| *tool == name)
        .map_or("", |(_, _, command)| *command);
    // The script that builds: `build`, else one that runs the generator (`docs:build`).
    let script = if script_of("build").is_some() || nx_executor.is_some() {
        Some("build".to_owned())
    } else {
        scripts.and_then(|scripts| {
            scripts.iter().find_map(|(key, value)| {
                (!generator_command.is_empty()
                    && value
                        .as_str()
                        .is_some_and(|v| v.contains(generator_command)))
                .then(|| key.clone())
            })
        })
    };
    let Some(script) = script else {
        if name.is_empty() {
            return Ok(Err(Refusal {
                evidence: Vec::new(),
                summary: "Node.js project without a build".to_owned(),
                reason: format!("`{manifest}` has no `build` script"),
                fix: "add a `build` script to `package.json`".to_owned(),
            }));
        }
        return Ok(Err(Refusal {
            evidence: Vec::new(),
            summary: format!("{name} sources"),
            reason: format!(
                "`{manifest}` depends on `{dependency}` ({name}) but has no script that runs `{generator_command}`: serving the sources would publish templates, not a site"
            ),
            fix: format!("add `\"build\": \"{generator_command}\"` to `scripts` in `{manifest}`"),
        }));
    };
    let command = script_of(&script).unwrap_or_default().to_owned();
    match nx_executor {
        Some(executor) if command.is_empty() => evidence.push(Evidence::new(
            join(dir, "project.json"),
            format!("targets.build.executor = {executor}"),
        )),
        _ => evidence.push(Evidence::new(
            &manifest,
            format!("scripts.{script} = {command}"),
        )),
    }
    if name.is_empty() {
        evidence.push(Evidence::new(
            &manifest,
            "no known build tool among the dependencies: output in `dist` assumed",
        ));
        warnings.push(format!(
            "no known build tool in `{manifest}`: paas assumed the build writes `dist`; set `output_dir` if it does not"
        ));
        return Ok(Ok(Tool {
            name: "Node.js",
            output: join(dir, "dist"),
            spa: false,
            script,
        }));
    }
    let origin = if dependency.is_empty() {
        "configuration file".to_owned()
    } else {
        format!("dependency `{dependency}`")
    };
    evidence.push(Evidence::new(&manifest, format!("{origin}: {name}")));
    let file = config_file(root, dir, name);
    let mut reader = Reader {
        root,
        dir,
        evidence,
        warnings,
    };
    let tool = |output: String, spa: bool| {
        Ok(Ok(Tool {
            name,
            output,
            spa,
            script: script.clone(),
        }))
    };
    match name {
        "Next.js" => {
            let output = reader.value(file.as_deref(), "output")?;
            let exported = command.contains("next export");
            if output != Literal::Value("export".to_owned()) && !exported {
                let config = file.clone().unwrap_or_else(|| join(dir, "next.config.js"));
                let seen = match &output {
                    Literal::Absent => "no `output: 'export'`".to_owned(),
                    Literal::Value(value) => format!("`output: '{value}'`"),
                    Literal::Expression(expression) => {
                        format!("`output: {expression}`, not a literal")
                    }
                };
                return Ok(Err(Refusal {
                    evidence: Vec::new(),
                    summary: format!("Next.js app `{app_name}`"),
                    reason: format!(
                        "`{config}` has {seen}: `next build` makes a Node.js server, not a static site"
                    ),
                    fix: format!(
                        "add `output: 'export'` to `{config}` for a static export (the app must not use server features), or deploy it with a Node.js server image"
                    ),
                }));
            }
            let file_ref = file.as_deref();
            if exported {
                reader
                    .evidence
                    .push(Evidence::new(&manifest, "`next export`: static export"));
                let out = flag(&command, &["-o", "--outdir"]).unwrap_or_else(|| "out".to_owned());
                return tool(join(dir, &out), false);
            }
            if let Some(file) = file_ref {
                reader
                    .evidence
                    .push(Evidence::new(file, "output: 'export': static export"));
            }
            // With `output: 'export'`, a `distDir` other than `.next` is the export folder.
            let out = reader.folder(file_ref, "distDir", "out")?;
            let out = if out == join(dir, ".next") {
                join(dir, "out")
            } else {
                out
            };
            tool(out, false)
        }
        "Gatsby" => {
            reader
                .evidence
                .push(Evidence::new(&manifest, "Gatsby writes `public`"));
            tool(join(dir, "public"), false)
        }
        "Docusaurus" => {
            let out = flag(&command, &["--out-dir"]).unwrap_or_else(|| "build".to_owned());
            reader.evidence.push(Evidence::new(
                &manifest,
                format!("Docusaurus writes `{out}`"),
            ));
            tool(join(dir, &out), false)
        }
        "Astro" => {
            let file_ref = file.as_deref();
            match reader.value(file_ref, "output")? {
                Literal::Value(mode) if mode == "server" || mode == "hybrid" => {
                    let file = file.clone().unwrap_or_default();
                    return Ok(Err(Refusal {
                        evidence: Vec::new(),
                        summary: format!("Astro app `{app_name}`"),
                        reason: format!(
                            "`{file}` has `output: '{mode}'`: the build makes a server, not a static site"
                        ),
                        fix: format!(
                            "remove `output: '{mode}'` and the adapter from `{file}` for a static build, or deploy it with a Node.js server image"
                        ),
                    }));
                }
                _ => {}
            }
            if let Some(out) = flag(&command, &["--outDir"]) {
                return tool(join(dir, &out), false);
            }
            let out = reader.folder(file_ref, "outDir", "dist")?;
            tool(out, false)
        }
        "SvelteKit" => {
            let file_ref = file.as_deref();
            let text = match file_ref {
                Some(file) => read_text(root, file)?,
                None => String::new(),
            };
            if !text.contains("adapter-static") {
                let adapter = [
                    "adapter-auto",
                    "adapter-node",
                    "adapter-vercel",
                    "adapter-netlify",
                    "adapter-cloudflare",
                ]
                .into_iter()
                .find(|adapter| text.contains(adapter))
                .unwrap_or("no adapter-static");
                let config = file
                    .clone()
                    .unwrap_or_else(|| join(dir, "svelte.config.js"));
                return Ok(Err(Refusal {
                    evidence: Vec::new(),
                    summary: format!("SvelteKit app `{app_name}`"),
                    reason: format!(
                        "`{config}` uses `{adapter}`: the build makes a server, not a static site"
                    ),
                    fix: format!(
                        "use `@sveltejs/adapter-static` in `{config}` (with `export const prerender = true` in the root layout), or deploy it with a Node.js server image"
                    ),
                }));
            }
            let file = file_ref.unwrap_or_default();
            reader
                .evidence
                .push(Evidence::new(file, "adapter-static: static build"));
            let spa = matches!(reader.value(file_ref, "fallback")?, Literal::Value(_));
            let out = reader.folder(file_ref, "pages", "build")?;
            tool(out, spa)
        }
        "VitePress" | "VuePress" => {
            let verb = if name == "VitePress" {
                "vitepress build"
            } else {
                "vuepress build"
            };
            let source = command
                .split(verb)
                .nth(1)
                .and_then(|rest| rest.split_whitespace().find(|word| !word.starts_with('-')))
                .map_or(".", |word| word.trim_end_matches('/'))
                .split("&&")
                .next()
                .unwrap_or(".")
                .to_owned();
            let hidden = if name == "VitePress" {
                ".vitepress"
            } else {
                ".vuepress"
            };
            let config_dir = join(&join(dir, &source), hidden);
            let config = ["config.ts", "config.mts", "config.js", "config.mjs"]
                .iter()
                .map(|file| format!("{config_dir}/{file}"))
                .find(|path| root.join(path).is_file());
            let key = if name == "VitePress" {
                "outDir"
            } else {
                "dest"
            };
            let source_dir = join(dir, &source);
            let mut sub = Reader {
                root,
                dir: &source_dir,
                evidence: reader.evidence,
                warnings: reader.warnings,
            };
            let out = sub.folder(config.as_deref(), key, &format!("{hidden}/dist"))?;
            sub.evidence.push(Evidence::new(
                &manifest,
                format!("{name} sources in `{source_dir}`: output in `{out}`"),
            ));
            tool(out, false)
        }
        "Eleventy" => {
            if let Some(out) = flag(&command, &["--output"]) {
                return tool(join(dir, &out), false);
            }
            let out = reader.folder(file.as_deref(), "output", "_site")?;
            tool(out, false)
        }
        "Angular" => {
            let (out, fact) = angular_output(root, dir, app_name)?;
            if let Some(fact) = fact {
                reader
                    .evidence
                    .push(Evidence::new(join(dir, "angular.json"), fact));
            }
            tool(out, true)
        }
        "Create React App" => {
            let out = if let Some(path) = command
                .split_whitespace()
                .find_map(|w| w.strip_prefix("BUILD_PATH="))
            {
                path.trim_matches(['"', '\''])
                    .trim_start_matches("./")
                    .to_owned()
            } else {
                "build".to_owned()
            };
            reader.evidence.push(Evidence::new(
                &manifest,
                format!("Create React App writes `{out}`"),
            ));
            tool(join(dir, &out), true)
        }
        "Vue CLI" => {
            let out = reader.folder(file.as_deref(), "outputDir", "dist")?;
            tool(out, true)
        }
        _ => {
            if let Some(out) = flag(&command, &["--outDir"]) {
                reader
                    .evidence
                    .push(Evidence::new(&manifest, format!("--outDir {out}")));
                return tool(join(dir, &out), true);
            }
            let out = reader.folder(file.as_deref(), "outDir", "dist")?;
            if file.is_none() {
                reader.evidence.push(Evidence::new(
                    &manifest,
                    "no vite.config: Vite writes `dist`",
                ));
            }
            tool(out, true)
        }
    }
}

/// Returns the Angular output folder (relative to the root) and what `angular.json` said.
fn angular_output(
    root: &Path,
    dir: &str,
    package_name: &str,
) -> Result<(String, Option<String>), DetectError> {
    let fallback = format!(
        "dist/{}",
        if package_name.is_empty() {
            "app"
        } else {
            package_name
        }
    );
    let path = join(dir, "angular.json");
    let Some(json) = read_json(root, &path)? else {
        return Ok((fallback, None));
    };
    let projects = json.get("projects").and_then(Value::as_object);
    let name = json
        .get("defaultProject")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            projects.and_then(|projects| {
                projects
                    .iter()
                    .find(|(_, p)| {
                        p.get("projectType").and_then(Value::as_str) == Some("application")
                    })
                    .or_else(|| projects.iter().next())
                    .map(|(name, _)| name.clone())
            })
        });
    let Some(name) = name else {
        return Ok((
            fallback.clone(),
            Some(format!("no project: `{fallback}` assumed")),
        ));
    };
    let build = projects
        .and_then(|projects| projects.get(&name))
        .and_then(|project| {
            project
                .pointer("/architect/build")
                .or_else(|| project.pointer("/targets/build"))
        });
    let builder = build
        .and_then(|build| build.get("builder").or_else(|| build.get("executor")))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let application = builder.ends_with(":application");
    let output = build.and_then(|build| build.pointer("/options/outputPath"));
    let dir_out = match output {
        Some(Value::String(path)) if application => {
            format!("{}/browser", path.trim_end_matches('/'))
        }
        Some(Value::String(path)) => path.trim_end_matches('/').to_owned(),
        Some(Value::Object(paths)) => {
            let base = paths
                .get("base")
                .and_then(Value::as_str)
                .unwrap_or("dist")
                .trim_end_matches('/');
            match paths
                .get("browser")
                .and_then(Value::as_str)
                .unwrap_or("browser")
            {
                "" => base.to_owned(),
                browser => format!("{base}/{browser}"),
            }
        }
        _ if application => format!("dist/{name}/browser"),
        _ => format!("dist/{name}"),
    };
    let dir_out = join(dir, &dir_out);
    let mut fact = format!("project `{name}`");
    if !builder.is_empty() {
        let _ = write!(fact, ", builder `{builder}`");
    }
    let _ = write!(fact, ": output in `{dir_out}`");
    Ok((dir_out, Some(fact)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_literals_of_js_configs() {
        let config = "// outDir: 'commented'\nexport default defineConfig({\n  build: { outDir: '../www', sourcemap: true },\n})\n";
        assert_eq!(
            literal(config, "outDir"),
            Literal::Value("../www".to_owned())
        );
        assert_eq!(literal("build: { outDir }", "outDir"), Literal::Absent);
        assert_eq!(
            literal("build: { outDir: resolve(__dirname, 'out') }", "outDir"),
            Literal::Expression("resolve(__dirname, 'out')".to_owned())
        );
        assert_eq!(
            literal(r#"{"outDir": "x"}"#, "outDir"),
            Literal::Value("x".to_owned())
        );
        assert_eq!(
            literal("const url = 'http://x'; output: \"export\"", "output"),
            Literal::Value("export".to_owned())
        );
        assert_eq!(literal("myoutput: 'a'", "output"), Literal::Absent);
    }

    #[test]
    fn reads_flags() {
        assert_eq!(
            flag("docusaurus build --out-dir site", &["--out-dir"]).as_deref(),
            Some("site")
        );
        assert_eq!(
            flag("vite build --outDir=www", &["--outDir"]).as_deref(),
            Some("www")
        );
        assert_eq!(flag("vite build", &["--outDir"]), None);
    }
}
