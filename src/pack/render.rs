//! Filling a pack's templates: typed variables in, file texts out.
//!
//! Values are checked against their declared [`VariableType`] before any template sees
//! them, so a Dockerfile can never receive a newline or a bad image reference. Nothing is
//! written here; the caller decides where the texts go.

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, syntax::SyntaxConfig};
use serde::Serialize;
use serde_json::Value;

use super::{Pack, PackError, Variable, VariableType};
use crate::names;

/// One rendered file: where it goes in the project, and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedFile {
    /// The destination, relative to the project root, `/`-separated.
    pub path: String,
    /// The text.
    pub contents: String,
}

/// What the project-file templates (Dockerfile, server config) see.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectContext {
    /// `app.name`, `app.port`.
    pub app: AppValues,
    /// The health check path, if the app has one.
    pub health_path: Option<String>,
    /// The pack's variables, resolved and checked.
    pub vars: BTreeMap<String, Value>,
}

/// The app's identity as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct AppValues {
    /// The DNS-1123 app name.
    pub name: String,
    /// The container port.
    pub port: u16,
}

/// Makes the template environment paas uses everywhere: strict about undefined values,
/// Jinja-style block trimming, the final newline kept. With `json_escape`, every `{{ }}`
/// prints a JSON value (strings quoted), which is how YAML manifests stay injection-free.
#[must_use]
pub fn environment(json_escape: bool) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .expect("the default delimiters are valid");
    env.set_syntax(syntax);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    if json_escape {
        env.set_formatter(json_formatter);
    }
    env
}

/// Prints every value as JSON with everything outside printable ASCII escaped as `\uXXXX`,
/// which is valid in both JSON and a YAML double-quoted scalar (YAML forbids raw C1 controls
/// and some other characters that plain JSON output would carry through).
fn json_formatter(
    out: &mut minijinja::Output,
    _: &mut minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    use std::fmt::Write as _;
    if value.is_safe() {
        return out
            .write_str(value.as_str().unwrap_or_default())
            .map_err(minijinja::Error::from);
    }
    let json = serde_json::to_string(value).map_err(|err| {
        minijinja::Error::new(
            minijinja::ErrorKind::BadSerialization,
            "cannot print this value",
        )
        .with_source(err)
    })?;
    let mut escaped = String::with_capacity(json.len());
    for c in json.chars() {
        if (' '..='~').contains(&c) {
            escaped.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(escaped, "\\u{unit:04x}");
            }
        }
    }
    out.write_str(&escaped).map_err(minijinja::Error::from)
}

/// Checks a value against a variable's type.
pub fn check_value(pack: &str, variable: &Variable, value: &toml::Value) -> Result<(), PackError> {
    let fail = |message: String| PackError::Variable {
        pack: pack.to_owned(),
        variable: variable.name.clone(),
        message,
    };
    match (variable.kind, value) {
        (VariableType::Integer, toml::Value::Integer(_))
        | (VariableType::Boolean, toml::Value::Boolean(_)) => Ok(()),
        (VariableType::String, toml::Value::String(s)) => {
            names::check_line("string", s).map_err(|err| fail(err.to_string()))
        }
        (VariableType::Image, toml::Value::String(s)) => {
            names::check_image(s).map_err(|err| fail(err.to_string()))
        }
        (VariableType::Path, toml::Value::String(s)) => check_relative_path(s).map_err(fail),
        (kind, other) => Err(fail(format!(
            "expected {}, found {}",
            type_name(kind),
            other.type_str()
        ))),
    }
}

fn type_name(kind: VariableType) -> &'static str {
    match kind {
        VariableType::String => "a string",
        VariableType::Image => "an image reference",
        VariableType::Path => "a relative path",
        VariableType::Integer => "an integer",
        VariableType::Boolean => "a boolean",
    }
}

fn check_relative_path(value: &str) -> Result<(), String> {
    if value.chars().any(char::is_control) {
        return Err(format!(
            "`{}` contains a control character",
            names::shown(value)
        ));
    }
    if value.starts_with('/') || value.contains('\\') {
        return Err(format!(
            "`{value}` must be a relative path with `/` separators"
        ));
    }
    if value.split('/').any(|part| part == "..") {
        return Err(format!("`{value}` must stay inside the project (no `..`)"));
    }
    if value
        .chars()
        .any(|c| matches!(c, '"' | '\'' | '$' | '`' | ' ' | '*' | '?' | '[' | ']'))
    {
        return Err(format!(
            "`{value}` may not contain quotes, spaces, `$` or wildcards"
        ));
    }
    Ok(())
}

/// Parses a `--set NAME=VALUE` value as the variable's type.
pub fn parse_set_value(
    pack: &str,
    variable: &Variable,
    text: &str,
) -> Result<toml::Value, PackError> {
    let value = match variable.kind {
        VariableType::Integer => {
            text.parse::<i64>()
                .map(toml::Value::Integer)
                .map_err(|_| PackError::Variable {
                    pack: pack.to_owned(),
                    variable: variable.name.clone(),
                    message: format!("`{}` is not an integer", names::shown(text)),
                })?
        }
        VariableType::Boolean => text
            .parse::<bool>()
            .map(toml::Value::Boolean)
            .map_err(|_| PackError::Variable {
                pack: pack.to_owned(),
                variable: variable.name.clone(),
                message: format!("`{}` is not `true` or `false`", names::shown(text)),
            })?,
        VariableType::String | VariableType::Image | VariableType::Path => {
            toml::Value::String(text.to_owned())
        }
    };
    check_value(pack, variable, &value)?;
    Ok(value)
}

/// Resolves the pack's variables: each declared default, replaced in turn by each layer
/// (lowest precedence first). Every value is type-checked; a name the pack does not
/// declare is an error.
pub fn resolve_variables(
    pack: &Pack,
    layers: &[&BTreeMap<String, toml::Value>],
) -> Result<BTreeMap<String, toml::Value>, PackError> {
    let manifest = &pack.manifest;
    let mut values: BTreeMap<String, toml::Value> = manifest
        .variables
        .iter()
        .map(|v| (v.name.clone(), v.default.clone()))
        .collect();
    for layer in layers {
        for (name, value) in *layer {
            let Some(variable) = manifest.variables.iter().find(|v| &v.name == name) else {
                return Err(PackError::UnknownVariable {
                    pack: manifest.name.clone(),
                    variable: name.clone(),
                    known: manifest.variables.iter().map(|v| v.name.clone()).collect(),
                });
            };
            check_value(&manifest.name, variable, value)?;
            values.insert(name.clone(), value.clone());
        }
    }
    Ok(values)
}

/// Converts detected values (JSON) to the TOML values of the pack's variables, keeping
/// only the ones the pack declares and turning `null` into the declared default.
#[must_use]
pub fn detected_layer(
    pack: &Pack,
    detected: &BTreeMap<String, Value>,
) -> BTreeMap<String, toml::Value> {
    let mut layer = BTreeMap::new();
    for variable in &pack.manifest.variables {
        let value = match detected.get(&variable.name) {
            Some(Value::String(s)) => toml::Value::String(s.clone()),
            Some(Value::Bool(b)) => toml::Value::Boolean(*b),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => toml::Value::Integer(i),
                None => continue,
            },
            _ => continue,
        };
        layer.insert(variable.name.clone(), value);
    }
    layer
}

/// Converts resolved TOML values into the JSON values templates see.
#[must_use]
pub fn template_values(values: &BTreeMap<String, toml::Value>) -> BTreeMap<String, Value> {
    values
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or(Value::Null)))
        .collect()
}

/// Renders the pack's project files (`[files]` of `pack.toml`).
pub fn render_project_files(
    pack: &Pack,
    context: &ProjectContext,
) -> Result<Vec<RenderedFile>, PackError> {
    let env = environment(false);
    let mut out = Vec::new();
    for (destination, template) in &pack.manifest.files {
        let source = pack.files.get(template).map_or("", String::as_str);
        let fail = |source| PackError::Template {
            pack: pack.manifest.name.clone(),
            template: template.clone(),
            source,
        };
        let compiled = env
            .template_from_named_str(template.as_str(), source)
            .map_err(fail)?;
        let contents = compiled
            .render(minijinja::value::Serde(context))
            .map_err(fail)?;
        // A template that renders to nothing does not apply to this project (for example
        // the Jexus site config when the project already has its own).
        if contents.trim().is_empty() {
            continue;
        }
        out.push(RenderedFile {
            path: destination.clone(),
            contents,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(kind: VariableType) -> Variable {
        Variable {
            name: "v".into(),
            kind,
            default: toml::Value::String(String::new()),
            description: String::new(),
        }
    }

    #[test]
    fn values_are_type_checked() {
        let image = variable(VariableType::Image);
        assert!(check_value("p", &image, &toml::Value::String("nginx:1.27".into())).is_ok());
        assert!(
            check_value(
                "p",
                &image,
                &toml::Value::String("nginx\nRUN rm -rf /".into())
            )
            .is_err()
        );
        let path = variable(VariableType::Path);
        assert!(
            check_value(
                "p",
                &path,
                &toml::Value::String("src/Web/Web.csproj".into())
            )
            .is_ok()
        );
        assert!(check_value("p", &path, &toml::Value::String("../etc".into())).is_err());
        assert!(check_value("p", &path, &toml::Value::String("/etc".into())).is_err());
        let string = variable(VariableType::String);
        assert!(check_value("p", &string, &toml::Value::String("a\nb".into())).is_err());
        assert!(check_value("p", &string, &toml::Value::Integer(1)).is_err());
        let int = variable(VariableType::Integer);
        assert!(parse_set_value("p", &int, "12").is_ok());
        assert!(parse_set_value("p", &int, "twelve").is_err());
    }
}
