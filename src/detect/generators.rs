//! Static-site generators that are not Node.js tools: Jekyll, Hugo and `MkDocs`.
//!
//! A project of one of them holds the *sources* of a site (templates, Markdown, a config
//! file), never the site itself: serving it as it is would publish templates and the
//! config. So each generator is recognised by its own evidence before any `index.html`
//! is taken for a page, and ends in one of two ways:
//! - a build stage: the generator runs in its image (a pack variable the user can
//!   override) and only its output folder, read from the generator's own config, is served;
//! - a refusal naming the generator and the file the user must add, when the project does
//!   not say which versions to build with (a Jekyll site without a `Gemfile`, an `MkDocs`
//!   site without a `requirements.txt`): installing whatever is newest would build a site
//!   nobody tested.
//!
//! The Node.js generators (Docusaurus, Eleventy, Astro…) are read from `package.json`
//! elsewhere. This module reads only the few config files named below, never the sources.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::walk::{Inventory, extension};
use super::{DetectError, Evidence, Found, Outcome, Refusal, read_text};

/// A generator this module recognises, with the defaults of its build stage.
#[derive(Debug)]
pub(crate) struct Generator {
    /// The value of the pack variable `generator`: `jekyll`.
    pub(crate) name: &'static str,
    /// Its name for people: `Jekyll`.
    pub(crate) title: &'static str,
    /// The image of the build stage unless the user sets `generator_image`. Each one is the
    /// vendor's image at a release under support: Ruby 3.4 (security fixes until 2028-03),
    /// the Hugo project's own image, Python 3.13 (security fixes until 2029-10).
    pub(crate) image: &'static str,
    /// The output folder when the config does not name one.
    pub(crate) output: &'static str,
}

/// Jekyll: `bundle exec jekyll build` in a Ruby image.
pub(crate) const JEKYLL: Generator = Generator {
    name: "jekyll",
    title: "Jekyll",
    image: "ruby:3.4",
    output: "_site",
};

/// Hugo: one binary, in the image the Hugo project publishes.
pub(crate) const HUGO: Generator = Generator {
    name: "hugo",
    title: "Hugo",
    image: "ghcr.io/gohugoio/hugo:v0.165.0",
    output: "public",
};

/// `MkDocs`: `pip install` of the project's requirements, then `mkdocs build`.
pub(crate) const MKDOCS: Generator = Generator {
    name: "mkdocs",
    title: "MkDocs",
    image: "python:3.13-slim",
    output: "site",
};

/// Jekyll's config files, in the order Jekyll reads them.
const JEKYLL_CONFIGS: &[&str] = &["_config.yml", "_config.yaml", "_config.toml"];

/// Folders only a Jekyll site has.
const JEKYLL_DIRS: &[&str] = &["_layouts", "_includes", "_posts"];

/// Hugo's config files: `hugo.*` names only Hugo reads; `config.*` needs more evidence.
const HUGO_CONFIGS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config/_default/hugo.toml",
    "config/_default/hugo.yaml",
    "config/_default/hugo.json",
];
const HUGO_LEGACY_CONFIGS: &[&str] = &[
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/config.toml",
    "config/_default/config.yaml",
    "config/_default/config.json",
];

/// Folders of a Hugo site, one of which must sit beside a `config.*`.
const HUGO_DIRS: &[&str] = &["content", "layouts", "themes", "archetypes"];

const MKDOCS_CONFIGS: &[&str] = &["mkdocs.yml", "mkdocs.yaml"];

/// Where `MkDocs` projects keep the list of what to `pip install`, in order of preference.
const MKDOCS_REQUIREMENTS: &[&str] = &[
    "requirements.txt",
    "docs/requirements.txt",
    "requirements-docs.txt",
    "docs-requirements.txt",
    "requirements/docs.txt",
];

/// Recognises a generator's sources in `root`: the outcome when one is found.
pub(crate) fn detect(root: &Path, inventory: &Inventory) -> Result<Option<Outcome>, DetectError> {
    if let Some(outcome) = jekyll(root, inventory)? {
        return Ok(Some(outcome));
    }
    if let Some(outcome) = hugo(root)? {
        return Ok(Some(outcome));
    }
    mkdocs(root, inventory)
}

/// Tells whether the text file `path` starts with YAML front matter (`---` on the first
/// line): the source of a page for a generator, not a page.
pub(crate) fn has_front_matter(root: &Path, path: &str) -> Result<bool, DetectError> {
    let text = read_text(root, path)?;
    Ok(text
        .lines()
        .next()
        .is_some_and(|line| line.trim_end() == "---"))
}

fn jekyll(root: &Path, inventory: &Inventory) -> Result<Option<Outcome>, DetectError> {
    let mut evidence = Vec::new();
    let config = JEKYLL_CONFIGS
        .iter()
        .copied()
        .find(|path| inventory.has(path));
    let gemfile = if inventory.has("Gemfile") {
        let text = read_text(root, "Gemfile")?;
        Some(
            gems(&text)
                .into_iter()
                .find(|gem| gem == "jekyll" || gem == "github-pages"),
        )
    } else {
        None
    };
    let dirs: Vec<&str> = JEKYLL_DIRS
        .iter()
        .copied()
        .filter(|dir| root.join(dir).is_dir())
        .collect();
    let mut templates = Vec::new();
    for page in ["index.html", "index.md", "index.markdown"] {
        if inventory.has(page) && has_front_matter(root, page)? {
            templates.push(page);
        }
    }
    let named_in_gemfile = matches!(gemfile, Some(Some(_)));
    if !(named_in_gemfile || (config.is_some() && !(dirs.is_empty() && templates.is_empty()))) {
        return Ok(None);
    }
    if let Some(config) = config {
        evidence.push(Evidence::new(config, "Jekyll config"));
    }
    for dir in &dirs {
        evidence.push(Evidence::new(format!("{dir}/"), "Jekyll folder"));
    }
    for page in &templates {
        evidence.push(Evidence::new(
            *page,
            "starts with front matter: a template, not a page",
        ));
    }
    let output = match config {
        Some(config) if extension(config).as_deref() == Some("toml") => None,
        Some(config) => yaml_top_level(&read_text(root, config)?, "destination"),
        None => None,
    };
    let output = output_dir(
        &JEKYLL,
        config.unwrap_or("_config.yml"),
        "destination",
        output,
        &mut evidence,
    );
    match gemfile {
        Some(Some(gem)) => {
            evidence.push(Evidence::new("Gemfile", format!("gem `{gem}`")));
            evidence.push(if inventory.has("Gemfile.lock") {
                Evidence::new("Gemfile.lock", "gem versions locked")
            } else {
                Evidence::new(
                    "Gemfile.lock",
                    "missing: the newest gems the Gemfile allows are installed (commit it for reproducible builds)",
                )
            });
            Ok(Some(build(&JEKYLL, &output, Some("Gemfile"), evidence)))
        }
        Some(None) => Ok(Some(refuse(
            &JEKYLL,
            evidence,
            "its `Gemfile` names neither `jekyll` nor `github-pages`, so the build would not know what to run",
            "add the generator to the Gemfile with `bundle add jekyll` and commit `Gemfile.lock`",
        ))),
        None => Ok(Some(refuse(
            &JEKYLL,
            evidence,
            "no `Gemfile` names the Jekyll version and plugins to build with",
            "add one with `bundle init && bundle add jekyll` (and the plugins `_config.yml` uses) and commit it with its `Gemfile.lock`",
        ))),
    }
}

fn hugo(root: &Path) -> Result<Option<Outcome>, DetectError> {
    let mut evidence = Vec::new();
    let config = if let Some(config) = HUGO_CONFIGS
        .iter()
        .copied()
        .find(|path| root.join(path).is_file())
    {
        evidence.push(Evidence::new(config, "Hugo config"));
        config
    } else {
        let dirs: Vec<&str> = HUGO_DIRS
            .iter()
            .copied()
            .filter(|dir| root.join(dir).is_dir())
            .collect();
        if dirs.is_empty() {
            return Ok(None);
        }
        let Some((config, base_url)) = HUGO_LEGACY_CONFIGS
            .iter()
            .copied()
            .filter(|path| root.join(path).is_file())
            .find_map(|path| {
                let text = read_text(root, path).ok()?;
                config_value(path, &text, "baseurl").map(|url| (path, url))
            })
        else {
            return Ok(None);
        };
        evidence.push(Evidence::new(
            config,
            format!("baseURL = {base_url}: Hugo config"),
        ));
        for dir in dirs {
            evidence.push(Evidence::new(format!("{dir}/"), "Hugo folder"));
        }
        config
    };
    let text = read_text(root, config)?;
    let output = config_value(config, &text, "publishdir");
    let output = output_dir(&HUGO, config, "publishDir", output, &mut evidence);
    // A theme is a folder of `themes/`, or a Hugo module (fetched by the build, with `go.mod`).
    if let Some(theme) = config_value(config, &text, "theme")
        && !root.join("go.mod").is_file()
    {
        let dir = format!("themes/{theme}");
        let checked_out =
            fs_err::read_dir(root.join(&dir)).is_ok_and(|mut entries| entries.next().is_some());
        if !checked_out {
            evidence.push(Evidence::new(config, format!("theme = {theme}")));
            return Ok(Some(refuse(
                &HUGO,
                evidence,
                &format!(
                    "its theme `{theme}` is not in `{dir}/` (a git submodule not checked out?)"
                ),
                "check it out with `git submodule update --init --recursive` (or vendor the theme into `themes/`)",
            )));
        }
        evidence.push(Evidence::new(format!("{dir}/"), "the theme"));
    }
    Ok(Some(build(&HUGO, &output, None, evidence)))
}

fn mkdocs(root: &Path, inventory: &Inventory) -> Result<Option<Outcome>, DetectError> {
    let Some(config) = MKDOCS_CONFIGS
        .iter()
        .copied()
        .find(|path| inventory.has(path))
    else {
        return Ok(None);
    };
    let mut evidence = vec![Evidence::new(config, "MkDocs config")];
    let output = yaml_top_level(&read_text(root, config)?, "site_dir");
    let output = output_dir(&MKDOCS, config, "site_dir", output, &mut evidence);
    for path in MKDOCS_REQUIREMENTS {
        if !root.join(path).is_file() {
            continue;
        }
        let text = read_text(root, path)?;
        if text.to_ascii_lowercase().contains("mkdocs") {
            evidence.push(Evidence::new(*path, "lists `mkdocs`: installed with pip"));
            return Ok(Some(build(&MKDOCS, &output, Some(path), evidence)));
        }
        evidence.push(Evidence::new(*path, "does not list `mkdocs`"));
    }
    Ok(Some(refuse(
        &MKDOCS,
        evidence,
        "no `requirements.txt` lists the MkDocs version, theme and plugins to build with",
        "add one (for example `pip freeze > requirements.txt` where the site builds) and commit it",
    )))
}

/// Returns the output folder, and says where it came from.
fn output_dir(
    generator: &Generator,
    config: &str,
    key: &str,
    read: Option<String>,
    evidence: &mut Vec<Evidence>,
) -> String {
    let read = read.map(|dir| {
        dir.trim_start_matches("./")
            .trim_end_matches('/')
            .to_owned()
    });
    match read.as_deref().and_then(super::dotnet::normalize) {
        Some(dir) if dir != "." => {
            evidence.push(Evidence::new(
                config,
                format!("{key} = {dir}: output in `{dir}`"),
            ));
            dir
        }
        _ => {
            if let Some(dir) = read {
                evidence.push(Evidence::new(
                    config,
                    format!(
                        "{key} = {dir} is not a folder of the project: `{}` is used",
                        generator.output
                    ),
                ));
            } else {
                evidence.push(Evidence::new(
                    config,
                    format!("no `{key}`: output in `{}`", generator.output),
                ));
            }
            generator.output.to_owned()
        }
    }
}

fn build(
    generator: &'static Generator,
    output: &str,
    dependencies: Option<&str>,
    evidence: Vec<Evidence>,
) -> Outcome {
    let mut values = BTreeMap::new();
    values.insert("spa".to_owned(), json!(false));
    values.insert("site_dir".to_owned(), json!(output));
    values.insert("output_dir".to_owned(), json!(output));
    values.insert("generator".to_owned(), json!(generator.name));
    values.insert("generator_image".to_owned(), json!(generator.image));
    values.insert("generator_dependencies".to_owned(), json!(dependencies));
    Outcome::Found(Found {
        summary: format!(
            "{} site, built by `{}` into `{output}`",
            generator.title, generator.name
        ),
        evidence,
        values,
        app_name: None,
        project: None,
        jexus_site_config: false,
        warnings: Vec::new(),
    })
}

fn refuse(generator: &Generator, evidence: Vec<Evidence>, reason: &str, fix: &str) -> Outcome {
    Outcome::Refused(Refusal {
        summary: format!("the sources of a {} site", generator.title),
        evidence,
        reason: reason.to_owned(),
        fix: fix.to_owned(),
    })
}

/// Returns the names of the gems a Gemfile asks for (`gem "jekyll", "~> 4.3"` → `jekyll`).
fn gems(gemfile: &str) -> Vec<String> {
    gemfile
        .lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("gem")?;
            let rest = rest.strip_prefix(['(', ' ', '\t'])?.trim_start();
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let name = rest[1..].split(quote).next()?;
            Some(name.to_owned())
        })
        .collect()
}

/// Reads a top-level key of a YAML file line by line: `MkDocs` configs carry
/// `!!python/name:` tags that YAML libraries refuse, and only plain values matter here.
fn yaml_top_level(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if line.starts_with([' ', '\t', '#']) || !name.trim().eq_ignore_ascii_case(key) {
            return None;
        }
        let value = value.split(" #").next().unwrap_or_default().trim();
        let value = value.trim_matches(['"', '\'']);
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// Reads a top-level key of a Hugo config (TOML, YAML or JSON), whatever its case
/// (Hugo's keys are case-insensitive: `baseURL`, `baseurl`).
fn config_value(path: &str, text: &str, key: &str) -> Option<String> {
    let string = |value: &Value| value.as_str().map(str::to_owned);
    let kind = extension(path);
    if kind.as_deref() == Some("toml") {
        let table: toml::Table = text.parse().ok()?;
        table
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .and_then(|(_, value)| match value {
                toml::Value::Array(items) => items.first().and_then(toml::Value::as_str),
                other => other.as_str(),
            })
            .map(str::to_owned)
    } else if kind.as_deref() == Some("json") {
        let Value::Object(map) = serde_json::from_str(text).ok()? else {
            return None;
        };
        map.iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .and_then(|(_, value)| string(value))
    } else {
        yaml_top_level(text, key)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::detect::{DetectOptions, Detection, detect as detect_project};
    use crate::pack::manifest::{DetectSpec, PackManifest};

    /// The built-in packs' detectors and priorities, as their `pack.toml` files declare them.
    fn builtin() -> Vec<PackManifest> {
        [("dotnet", 20), ("jexus", 30), ("nginx", 10)]
            .into_iter()
            .map(|(name, priority)| PackManifest {
                name: name.to_owned(),
                description: String::new(),
                detect: DetectSpec {
                    detector: Some(name.to_owned()),
                    markers: Vec::new(),
                    priority,
                },
                port: 8080,
                health_path: None,
                connection_strings: false,
                logs: crate::pack::manifest::LogsSpec::default(),
                monitoring: crate::pack::manifest::MonitoringSpec::default(),
                variables: Vec::new(),
                files: BTreeMap::new(),
            })
            .collect()
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/projects")
            .join(name)
    }

    fn detect_in(root: &Path) -> Result<Detection, DetectError> {
        detect_project(root, &builtin(), &DetectOptions::default())
    }

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        fs_err::create_dir_all(full.parent().expect("has a parent")).expect("create dir");
        fs_err::write(full, text).expect("write file");
    }

    /// The refusal's message and hint, as `paas` shows them.
    fn refusal(error: &DetectError) -> (String, String) {
        let DetectError::Refused { fix, .. } = error else {
            panic!("not a refusal: {error:?}")
        };
        (error.to_string(), fix.clone())
    }

    #[test]
    fn fixture_jekyll_blog_is_built_by_jekyll() {
        let detection = detect_in(&fixture("jekyll-blog")).expect("detects");
        assert_eq!(detection.values["generator"], json!("jekyll"));
        assert_eq!(detection.values["output_dir"], json!("_site"));
        assert_eq!(detection.values["generator_dependencies"], json!("Gemfile"));
        insta::assert_yaml_snapshot!("jekyll-blog", detection);
    }

    #[test]
    fn fixture_jekyll_pages_without_gemfile_is_refused() {
        let error = detect_in(&fixture("jekyll-pages")).expect_err("refused");
        insta::assert_debug_snapshot!("jekyll-pages", refusal(&error));
    }

    #[test]
    fn fixture_hugo_site_is_built_by_hugo() {
        let detection = detect_in(&fixture("hugo-site")).expect("detects");
        assert_eq!(detection.values["generator"], json!("hugo"));
        assert_eq!(detection.values["output_dir"], json!("public"));
        insta::assert_yaml_snapshot!("hugo-site", detection);
    }

    #[test]
    fn fixture_mkdocs_docs_reads_site_dir() {
        let detection = detect_in(&fixture("mkdocs-docs")).expect("detects");
        assert_eq!(detection.values["output_dir"], json!("build/site"));
        assert_eq!(
            detection.values["generator_dependencies"],
            json!("docs/requirements.txt")
        );
        insta::assert_yaml_snapshot!("mkdocs-docs", detection);
    }

    #[test]
    fn fixture_static_multipage_is_served_as_is() {
        // A `_config.yml` (GitHub Pages settings) beside plain pages is not a Jekyll site.
        let detection = detect_in(&fixture("static-multipage")).expect("detects");
        assert_eq!(detection.values["generator"], json!(null));
        assert_eq!(detection.values["site_dir"], json!("."));
        insta::assert_yaml_snapshot!("static-multipage", detection);
    }

    #[test]
    fn a_template_index_html_is_never_served() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "index.html",
            "---\nlayout: home\n---\n<h1>{{ site.title }}</h1>\n",
        );
        let error = detect_in(dir.path()).expect_err("refused");
        insta::assert_debug_snapshot!("template-index", refusal(&error));
        // A Staticfile says what to serve: the user's word beats the guess.
        write(dir.path(), "Staticfile", "root: _site\n");
        write(dir.path(), "_site/index.html", "<h1>Built</h1>\n");
        let detection = detect_in(dir.path()).expect("detects");
        assert_eq!(detection.values["site_dir"], json!("_site"));
        assert_eq!(detection.values["generator"], json!(null));
    }

    #[test]
    fn jekyll_needs_a_gemfile_that_names_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "_config.yml", "title: x\ndestination: ./out/\n");
        write(dir.path(), "_posts/2026-01-01-a.md", "---\n---\n");
        write(
            dir.path(),
            "Gemfile",
            "source 'https://rubygems.org'\ngem 'rake'\n",
        );
        let (message, fix) = refusal(&detect_in(dir.path()).expect_err("refused"));
        assert_eq!(
            message,
            "pack `nginx` cannot deploy the sources of a Jekyll site: its `Gemfile` names neither `jekyll` nor `github-pages`, so the build would not know what to run"
        );
        assert!(fix.contains("`bundle add jekyll`"), "{fix}");
        write(
            dir.path(),
            "Gemfile",
            "source 'https://rubygems.org'\ngem 'github-pages', group: :jekyll_plugins\n",
        );
        write(dir.path(), "Gemfile.lock", "GEM\n");
        let detection = detect_in(dir.path()).expect("detects");
        assert_eq!(detection.values["output_dir"], json!("out"));
        assert!(detection.evidence.contains(&Evidence::new(
            "_config.yml",
            "destination = out: output in `out`"
        )));
        assert!(
            detection
                .evidence
                .contains(&Evidence::new("Gemfile.lock", "gem versions locked"))
        );
    }

    #[test]
    fn hugo_legacy_config_needs_a_hugo_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "config.toml",
            "baseURL = 'https://example.org/'\npublishDir = 'docs'\n",
        );
        write(dir.path(), "index.html", "<h1>plain</h1>\n");
        // `config.toml` alone is not Hugo's (many tools have one).
        assert_eq!(
            detect_in(dir.path()).expect("detects").values["generator"],
            json!(null)
        );
        write(dir.path(), "content/_index.md", "# Home\n");
        let detection = detect_in(dir.path()).expect("detects");
        assert_eq!(detection.values["generator"], json!("hugo"));
        assert_eq!(detection.values["output_dir"], json!("docs"));
        assert_eq!(
            detection.evidence,
            [
                Evidence::new("config.toml", "baseURL = https://example.org/: Hugo config"),
                Evidence::new("content/", "Hugo folder"),
                Evidence::new("config.toml", "publishDir = docs: output in `docs`"),
            ]
        );
        // A theme that is a git submodule not checked out: the build would fail, say why now.
        write(
            dir.path(),
            "config.toml",
            "baseURL = '/'\ntheme = ['ananke']\n",
        );
        fs_err::create_dir_all(dir.path().join("themes/ananke")).expect("mkdir");
        let (message, fix) = refusal(&detect_in(dir.path()).expect_err("refused"));
        assert_eq!(
            message,
            "pack `nginx` cannot deploy the sources of a Hugo site: its theme `ananke` is not in `themes/ananke/` (a git submodule not checked out?)"
        );
        assert!(
            fix.contains("`git submodule update --init --recursive`"),
            "{fix}"
        );
        write(dir.path(), "themes/ananke/theme.toml", "name = 'Ananke'\n");
        let detection = detect_in(dir.path()).expect("detects");
        assert!(
            detection
                .evidence
                .contains(&Evidence::new("themes/ananke/", "the theme"))
        );
        // An output folder outside the project is never copied from.
        write(
            dir.path(),
            "config.toml",
            "baseURL = '/'\npublishDir = '../www'\n",
        );
        let detection = detect_in(dir.path()).expect("detects");
        assert_eq!(detection.values["output_dir"], json!("public"));
    }

    #[test]
    fn mkdocs_without_requirements_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "mkdocs.yml",
            "site_name: x\ntheme:\n  name: material\n",
        );
        write(dir.path(), "docs/index.md", "# x\n");
        write(dir.path(), "requirements.txt", "requests\n");
        let error = detect_in(dir.path()).expect_err("refused");
        let DetectError::Refused { evidence, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(
            evidence.last(),
            Some(&Evidence::new("requirements.txt", "does not list `mkdocs`"))
        );
        insta::assert_debug_snapshot!("mkdocs-bare", refusal(&error));
    }

    #[test]
    fn reads_gem_names() {
        assert_eq!(
            gems(
                "source \"https://rubygems.org\"\ngem \"jekyll\", \"~> 4.3\"\n  gem 'github-pages', group: :jekyll_plugins\ngemspec\n# gem \"x\"\n"
            ),
            ["jekyll", "github-pages"]
        );
    }

    #[test]
    fn reads_top_level_values() {
        let mkdocs = "site_name: Docs\nsite_dir: 'build/site'  # out\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n";
        assert_eq!(
            yaml_top_level(mkdocs, "site_dir").as_deref(),
            Some("build/site")
        );
        assert_eq!(yaml_top_level(mkdocs, "emoji_index"), None);
        assert_eq!(
            config_value(
                "hugo.toml",
                "baseURL = 'https://example.org/'\n[params]\npublishDir = 'x'\n",
                "publishdir"
            ),
            None
        );
        assert_eq!(
            config_value(
                "config.toml",
                "baseurl = \"/\"\npublishDir = \"docs\"\n",
                "publishdir"
            )
            .as_deref(),
            Some("docs")
        );
        assert_eq!(
            config_value(
                "config.json",
                r#"{ "baseURL": "/", "publishDir": "out" }"#,
                "publishdir"
            )
            .as_deref(),
            Some("out")
        );
    }
}
