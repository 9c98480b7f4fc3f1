//! `paas init`: detect, ask for what detection cannot know, and write the project files.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::cli::InitArgs;
use crate::commands::detect::detect_interactive;
use crate::commands::output;
use crate::config::{
    AppSection, BuildSection, DeploySection, IngressSection, PROJECT_FILE, ProjectConfig,
};
use crate::detect::Detection;
use crate::error::{CliError, ExitStatus};
use crate::names;
use crate::pack::render::{self, AppValues, ProjectContext};
use crate::pack::{Pack, PackSet};
use crate::scaffold::templates::{self, Foreign};
use crate::scaffold::{self, PlannedAction, PlannedFile, ScaffoldError, WriteAction};
use crate::settings::{GlobalSettings, InitSettings, defaults, manifest_context};
use crate::ui::Printer;

/// The JSON result of `paas init`.
#[derive(Debug, Serialize)]
struct InitReport<'a> {
    app: &'a str,
    pack: &'a str,
    dry_run: bool,
    /// The folder of the manifest templates.
    templates: &'a str,
    /// What the default folder holds when the templates went elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    beside: Option<BesideReport<'a>>,
    files: Vec<FileReport<'a>>,
    detection: &'a Detection,
}

#[derive(Debug, Serialize)]
struct BesideReport<'a> {
    what: &'static str,
    file: &'a str,
}

#[derive(Debug, Serialize)]
struct FileReport<'a> {
    path: &'a str,
    action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    contents: Option<&'a str>,
}

/// What was done to a file, or with `--dry-run` what would be.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(untagged)]
enum Action {
    Written(WriteAction),
    Planned(PlannedAction),
}

/// Runs `paas init`.
pub(crate) fn run(
    args: &InitArgs,
    global: &GlobalSettings,
    printer: &Printer,
) -> Result<ExitStatus, CliError> {
    let settings = InitSettings::resolve(args, global)?;
    if !settings.dir.is_dir() {
        return Err(CliError::usage(anyhow::anyhow!(
            "`{}` is not a folder",
            settings.dir.display()
        ))
        .hinted("give the project folder, such as `paas init ./shop`"));
    }
    let packs = global.packs()?;
    let detection = detect_interactive(
        &settings.dir,
        &packs,
        settings.pack.clone(),
        settings.project.clone(),
        printer,
    )?;
    printer.status(
        "Detected",
        format_args!("{} ({})", detection.summary, detection.pack),
    );
    for evidence in &detection.evidence {
        printer.verbose(format_args!(
            "             {}: {}",
            evidence.path, evidence.fact
        ));
    }
    for warning in &detection.warnings {
        printer.warn(warning);
    }
    let pack = packs.get(&detection.pack).map_err(CliError::usage)?;

    let answers = ask(&settings, &detection, pack, printer)?;
    let config = project_config(&settings, pack, &answers)?;
    let files = plan(&settings, &packs, pack, &detection, &config, global)?;

    let actions: Vec<Action> = if settings.dry_run {
        scaffold::preview(&settings.dir, &files, settings.force)
            .map_err(scaffold_error)?
            .into_iter()
            .map(Action::Planned)
            .collect()
    } else {
        confirm(&settings, &files, printer)?;
        scaffold::write(&settings.dir, &files, settings.force)
            .map_err(scaffold_error)?
            .into_iter()
            .map(Action::Written)
            .collect()
    };
    let placement = &settings.templates;
    if let Some(beside) = &placement.beside
        && !printer.json()
    {
        printer.warn(format_args!(
            "`{}` holds {} (`{}`); paas's templates {} `{}/` instead, recorded as `templates` under `[app]` in `paas.toml`",
            templates::DEFAULT_DIR,
            beside.what(),
            beside.file(),
            if settings.dry_run { "would go to" } else { "go to" },
            placement.dir
        ));
    }

    if printer.json() {
        let report = InitReport {
            app: &config.app.name,
            pack: &config.app.pack,
            dry_run: settings.dry_run,
            templates: &placement.dir,
            beside: placement
                .beside
                .as_ref()
                .map(|beside: &Foreign| BesideReport {
                    what: beside.what(),
                    file: beside.file(),
                }),
            files: files
                .iter()
                .zip(&actions)
                .map(|(file, action)| FileReport {
                    path: &file.path,
                    action: *action,
                    contents: settings.dry_run.then_some(file.contents.as_str()),
                })
                .collect(),
            detection: &detection,
        };
        output(printer.data_json(&report))?;
    } else if settings.dry_run {
        let mut text = String::new();
        for file in &files {
            let _ = write!(text, "==> {} <==\n{}", file.path, file.contents);
            if !file.contents.ends_with('\n') {
                text.push('\n');
            }
        }
        output(printer.data(&text))?;
        let mut blocked = Vec::new();
        for (file, action) in files.iter().zip(&actions) {
            if let Action::Planned(action) = action {
                let verb = match action {
                    PlannedAction::Create => "Would create",
                    PlannedAction::Overwrite => "Would replace",
                    PlannedAction::Unchanged => "Unchanged",
                    PlannedAction::NeedsForce => "Needs --force",
                };
                printer.status(verb, format_args!("`{}`", file.path));
                if *action == PlannedAction::NeedsForce {
                    blocked.push(file.path.as_str());
                }
            }
        }
        printer.status(
            "Checked",
            format_args!("{} files; nothing written (`--dry-run`)", files.len()),
        );
        if !blocked.is_empty() {
            printer.note(format_args!(
                "{} existing file{} differ{}; `paas init --force` would replace {}",
                blocked.len(),
                if blocked.len() == 1 { "" } else { "s" },
                if blocked.len() == 1 { "s" } else { "" },
                if blocked.len() == 1 { "it" } else { "them" },
            ));
        }
    } else {
        for (file, action) in files.iter().zip(&actions) {
            let verb = match action {
                Action::Written(WriteAction::Created) => "Created",
                Action::Written(WriteAction::Overwritten) => "Overwrote",
                Action::Written(WriteAction::Unchanged) | Action::Planned(_) => "Unchanged",
            };
            printer.status(verb, format_args!("`{}`", file.path));
        }
        printer.note(format_args!(
            "\nNext: review `Dockerfile` and `{}/`, then run `paas render` to see the manifests for `{}`.",
            placement.dir, config.app.name
        ));
        if config.build.registry.is_none() {
            printer.warn("no registry is set: `paas up` runs the app on the local Docker engine; add `registry` under `[build]` in `paas.toml` before deploying to a cluster");
        }
    }
    Ok(ExitStatus::Success)
}

/// What the user chose or paas decided for the values detection cannot know.
struct Answers {
    name: String,
    registry: Option<String>,
    host: Option<String>,
}

fn ask(
    settings: &InitSettings,
    detection: &Detection,
    pack: &Pack,
    printer: &Printer,
) -> Result<Answers, CliError> {
    let folder = settings
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suggestion = detection
        .app_name
        .as_deref()
        .and_then(|raw| names::normalize_app_name(raw).ok())
        .or_else(|| names::normalize_app_name(&folder).ok());
    let interactive = printer.interactive() && !settings.yes;
    let name = match (&settings.name, interactive) {
        (Some(name), _) => name.clone(),
        (None, true) => printer
            .ask_text("App name", suggestion, false, |value| {
                names::check_app_name(value).map_err(|err| err.to_string())
            })
            .map_err(with_flags_hint)?,
        (None, false) => suggestion.ok_or_else(|| {
            CliError::usage(anyhow::anyhow!(
                "no app name can be made from the folder name `{}`",
                names::shown(&folder)
            ))
            .hinted("give one with `--name NAME` (lowercase letters, digits and '-')")
        })?,
    };
    let registry = match (&settings.registry, interactive) {
        (Some(registry), _) => Some(registry.clone()),
        (None, true) => optional_input(
            printer,
            "Registry to push images to (empty to set later)",
            |v| names::check_registry(v).map_err(|e| e.to_string()),
        )?,
        (None, false) => None,
    };
    let host = match (&settings.host, interactive) {
        (Some(host), _) => Some(host.clone()),
        (None, true) => optional_input(printer, "Public host name (empty for none)", |v| {
            names::check_host(v).map_err(|e| e.to_string())
        })?,
        (None, false) => None,
    };
    let _ = pack;
    Ok(Answers {
        name,
        registry,
        host,
    })
}

fn optional_input(
    printer: &Printer,
    prompt: &str,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<Option<String>, CliError> {
    let value = printer
        .ask_text(prompt, None, true, check)
        .map_err(with_flags_hint)?;
    Ok((!value.is_empty()).then_some(value))
}

/// A question that could not be answered: the flags answer it instead.
fn with_flags_hint(err: CliError) -> CliError {
    err.hinted("pass the values as flags (`--name`, `--registry`, `--host`) and `--yes`")
}

fn project_config(
    settings: &InitSettings,
    pack: &Pack,
    answers: &Answers,
) -> Result<ProjectConfig, CliError> {
    let manifest = &pack.manifest;
    let mut pack_values = BTreeMap::new();
    for (name, text) in &settings.set {
        let Some(variable) = manifest.variables.iter().find(|v| &v.name == name) else {
            return Err(CliError::usage(crate::pack::PackError::UnknownVariable {
                pack: manifest.name.clone(),
                variable: name.clone(),
                known: manifest.variables.iter().map(|v| v.name.clone()).collect(),
            })
            .hinted(format!(
                "`paas packs show {}` lists the variables",
                manifest.name
            )));
        };
        let value =
            render::parse_set_value(&manifest.name, variable, text).map_err(CliError::usage)?;
        pack_values.insert(name.clone(), value);
    }
    Ok(ProjectConfig {
        app: AppSection {
            name: answers.name.clone(),
            pack: manifest.name.clone(),
            port: settings.port.unwrap_or(manifest.port),
            templates: (settings.templates.dir != templates::DEFAULT_DIR)
                .then(|| settings.templates.dir.clone()),
        },
        build: BuildSection {
            registry: answers.registry.clone(),
        },
        deploy: DeploySection {
            replicas: Some(settings.replicas.unwrap_or(defaults::REPLICAS)),
            health_path: manifest.health_path.clone(),
            ..DeploySection::default()
        },
        ingress: answers.host.clone().map(|host| IngressSection {
            host: Some(host),
            class: settings.ingress_class.clone(),
            ..IngressSection::default()
        }),
        access: None,
        monitoring: None,
        pack: pack_values,
        env: BTreeMap::new(),
        components: BTreeMap::new(),
    })
}

/// Builds every file `init` writes, and proves the manifests render before anything is
/// written.
fn plan(
    settings: &InitSettings,
    packs: &PackSet,
    pack: &Pack,
    detection: &Detection,
    config: &ProjectConfig,
    global: &GlobalSettings,
) -> Result<Vec<PlannedFile>, CliError> {
    let company = settings
        .company
        .get(&pack.manifest.name)
        .cloned()
        .unwrap_or_default();
    let detected = render::detected_layer(pack, &detection.values);
    let values =
        render::resolve_variables(pack, &[&company, &detected, &config.pack]).map_err(|err| {
            CliError::usage(err).hinted(format!(
                "`paas packs show {}` lists the variables and their types",
                pack.manifest.name
            ))
        })?;
    let context = ProjectContext {
        app: AppValues {
            name: config.app.name.clone(),
            port: config.app.port,
        },
        health_path: config.deploy.health_path.clone(),
        vars: render::template_values(&values),
    };
    let mut files: Vec<PlannedFile> = render::render_project_files(pack, &context)
        .map_err(|err| {
            CliError::failed(err)
                .hinted("the pack's templates are broken; report it to the pack's owner")
        })?
        .into_iter()
        .map(|file| PlannedFile {
            path: file.path,
            contents: file.contents,
        })
        .collect();
    // Every template is written, whether it applies now or not: each renders to nothing until
    // `paas.toml` asks for it (a host, `[access]`, `autoscale`, two replicas or more), so that
    // `paas.toml` decides what is deployed after `init` as well.
    let dir = &settings.templates.dir;
    let wanted: BTreeMap<String, String> = packs
        .manifest_templates(pack)
        .into_iter()
        .map(|(name, text)| (format!("{dir}/{name}"), templates::mark(&text)))
        .collect();
    let (manifest_values, _) =
        manifest_context(config, None, None, None, &settings.dir, global, packs)?;
    crate::manifests::render(&wanted, &manifest_values).map_err(|err| {
        CliError::failed(err)
            .hinted("the pack's manifest templates are broken; report it to the pack's owner")
    })?;
    for (path, contents) in wanted {
        files.push(PlannedFile { path, contents });
    }
    files.push(PlannedFile {
        path: PROJECT_FILE.to_owned(),
        contents: config.to_commented_toml(),
    });
    Ok(files)
}

fn confirm(
    settings: &InitSettings,
    files: &[PlannedFile],
    printer: &Printer,
) -> Result<(), CliError> {
    if settings.yes || !printer.interactive() {
        return Ok(());
    }
    let list: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    printer.note(format_args!("paas will write: {}", list.join(", ")));
    let yes = printer
        .ask_yes_no("Write these files?", true)
        .map_err(with_flags_hint)?;
    if yes == Some(true) {
        Ok(())
    } else {
        Err(crate::ui::prompt::interrupted("nothing was written"))
    }
}

fn scaffold_error(err: ScaffoldError) -> CliError {
    match &err {
        ScaffoldError::Exists { .. } => {
            CliError::failed(err).hinted("nothing was written; pass `--force` to replace them, or `--dry-run` to see the new files")
        }
        ScaffoldError::Symlink { .. } | ScaffoldError::Outside { .. } | ScaffoldError::NotAFile { .. } => {
            CliError::failed(err).hinted("nothing was written; remove the link or file, then run `paas init` again")
        }
        ScaffoldError::Io { .. } => {
            CliError::failed(err).hinted("check that the folder is writable and the disk has room")
        }
    }
}
