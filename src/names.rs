//! Checks for the names and values that end up in files and manifests.
//!
//! Bad input is rejected here rather than escaped later: an app name must be a DNS-1123
//! label, an image a plain reference, a host a DNS name. These are the only gates; every
//! template and manifest relies on them.

use std::sync::LazyLock;

use regex::Regex;

/// Why a name or value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Not a DNS-1123 label, and no label could be made from it.
    #[error("`{value}` is not a valid app name: {reason}")]
    AppName {
        /// The value given (control characters escaped).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A value of another kind is invalid.
    #[error("`{value}` is not a valid {what}: {reason}")]
    Invalid {
        /// What kind of value it should be.
        what: &'static str,
        /// The value given (control characters escaped).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// The longest DNS-1123 label.
pub const MAX_LABEL: usize = 63;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").expect("the label pattern is valid")
});

// A registry: host[:port][/path], no tag.
static REGISTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?",
        r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$"
    ))
    .expect("the registry pattern is valid")
});

static HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        .expect("the host pattern is valid")
});

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
        .expect("the quantity pattern is valid")
});

static ENV_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$").expect("the env name pattern is valid")
});

/// Shows a value in an error without letting control characters reach the terminal.
#[must_use]
pub fn shown(value: &str) -> String {
    value.escape_debug().to_string()
}

/// Returns whether `value` is a DNS-1123 label.
#[must_use]
pub fn is_label(value: &str) -> bool {
    value.len() <= MAX_LABEL && LABEL.is_match(value)
}

/// Checks an app name given by the user: it must already be a DNS-1123 label.
pub fn check_app_name(value: &str) -> Result<(), NameError> {
    let reason = if value.is_empty() {
        "it is empty"
    } else if value.len() > MAX_LABEL {
        "it is longer than 63 characters"
    } else if !value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        "it may hold only lowercase letters, digits and '-'"
    } else if value.starts_with('-') {
        "it must start with a lowercase letter or digit"
    } else if value.ends_with('-') {
        "it must end with a lowercase letter or digit"
    } else {
        return Ok(());
    };
    Err(NameError::AppName {
        value: shown(value),
        reason,
    })
}

/// Makes a DNS-1123 label from a name found in the project (a folder, an assembly name):
/// lowercased, runs of other characters turned into one `-`, trimmed to 63 characters.
pub fn normalize_app_name(raw: &str) -> Result<String, NameError> {
    let mut out = String::with_capacity(raw.len());
    let mut dash = false;
    for c in raw.chars() {
        // Split CamelCase words: "ShopWeb" → "shop-web".
        if c.is_ascii_uppercase()
            && out.chars().last().is_some_and(|p| p.is_ascii_lowercase())
            && !dash
        {
            out.push('-');
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    let mut name: String = out.trim_matches('-').chars().take(MAX_LABEL).collect();
    while name.ends_with('-') {
        name.pop();
    }
    if name.is_empty() {
        return Err(NameError::AppName {
            value: shown(raw),
            reason: "no letters or digits to make a name from",
        });
    }
    Ok(name)
}

/// Checks a container image reference such as `registry.example.com/team/web:1.2`, with the
/// one parser of references ([`crate::registry::ImageRef`]).
pub fn check_image(value: &str) -> Result<(), NameError> {
    if value.len() > 512 || crate::registry::reference::ImageRef::parse(value).is_err() {
        return Err(NameError::Invalid {
            what: "image reference",
            value: shown(value),
            reason: "expected `[registry/]name[:tag][@sha256:digest]` in lowercase",
        });
    }
    Ok(())
}

/// Checks a registry such as `registry.example.com/team` or `127.0.0.1:5000`.
pub fn check_registry(value: &str) -> Result<(), NameError> {
    if value.len() > 255 || !REGISTRY.is_match(value) {
        return Err(NameError::Invalid {
            what: "registry",
            value: shown(value),
            reason: "expected `host[:port][/path]` without a scheme or tag",
        });
    }
    Ok(())
}

/// Checks a public host name such as `shop.example.com`: a DNS name of labels of at most
/// [`MAX_LABEL`] characters, not an IP address and not `localhost` (an Ingress rule matches
/// names, never addresses, and no outside client reaches `localhost`).
pub fn check_host(value: &str) -> Result<(), NameError> {
    let invalid = |reason| {
        Err(NameError::Invalid {
            what: "host name",
            value: shown(value),
            reason,
        })
    };
    if value.len() > 253 || !HOST.is_match(value) {
        return invalid("expected a lowercase DNS name such as `shop.example.com`");
    }
    if value.split('.').any(|label| label.len() > MAX_LABEL) {
        return invalid("a part between dots is longer than 63 characters");
    }
    if value.parse::<std::net::IpAddr>().is_ok()
        || value
            .split('.')
            .all(|label| label.bytes().all(|b| b.is_ascii_digit()))
    {
        return invalid("an IP address; an Ingress host is a DNS name such as `shop.example.com`");
    }
    if value == "localhost" || value.ends_with(".localhost") {
        return invalid(
            "`localhost` is not reachable from outside the cluster; use a public DNS name",
        );
    }
    Ok(())
}

/// Checks a Kubernetes resource quantity such as `100m` or `256Mi`.
pub fn check_quantity(value: &str) -> Result<(), NameError> {
    if !QUANTITY.is_match(value) {
        return Err(NameError::Invalid {
            what: "resource quantity",
            value: shown(value),
            reason: "expected a number with an optional unit, such as `250m` or `256Mi`",
        });
    }
    Ok(())
}

/// The amount a valid quantity (see [`check_quantity`]) stands for, in cores or bytes; `None`
/// when it is not one.
#[must_use]
pub fn quantity_amount(value: &str) -> Option<f64> {
    if !QUANTITY.is_match(value) {
        return None;
    }
    quantity_value(value)
}

/// The amount a Kubernetes quantity stands for (`250m` → 0.25, `1Ki` → 1024, `1e3` → 1000),
/// without checking its spelling first, as the API server's own values need no check.
#[must_use]
pub fn quantity_value(quantity: &str) -> Option<f64> {
    let (number, suffix) = split_quantity(quantity)?;
    Some(number * multiplier(suffix)?)
}

/// Splits a Kubernetes quantity into its number and suffix: `250m` → (250, `m`).
fn split_quantity(quantity: &str) -> Option<(f64, &str)> {
    let quantity = quantity.trim();
    let end = quantity
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(quantity.len());
    let (number, suffix) = quantity.split_at(end);
    // A decimal exponent (`1e3`, `2E-3`) is part of the number.
    if let Some(exponent) = suffix.strip_prefix(['e', 'E'])
        && !exponent.is_empty()
        && exponent
            .trim_start_matches(['+', '-'])
            .bytes()
            .all(|b| b.is_ascii_digit())
    {
        return quantity.parse().ok().map(|n| (n, ""));
    }
    Some((number.parse().ok()?, suffix))
}

/// The multiplier of a quantity suffix (`Ki` 1024, `k` 1000, `m` 0.001, …).
fn multiplier(suffix: &str) -> Option<f64> {
    Some(match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0_f64.powi(4),
        "Pi" => 1024.0_f64.powi(5),
        "Ei" => 1024.0_f64.powi(6),
        _ => return None,
    })
}

/// Returns the name of `app`'s `ConfigMap` (its `[deploy.env]` variables).
#[must_use]
pub fn config_name(app: &str) -> String {
    format!("{app}-env")
}

/// Returns the name of `app`'s own Secret, whose keys `paas secret` sets and its pods get as
/// environment variables: one per app in each namespace (so one per environment).
#[must_use]
pub fn secrets_name(app: &str) -> String {
    format!("{app}-secrets")
}

/// Returns the name of the Secret cert-manager writes `app`'s certificate into, when
/// `[ingress] issuer` is set and `tls_secret` is not.
#[must_use]
pub fn tls_secret_name(app: &str) -> String {
    format!("{app}-tls")
}

static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").expect("the secret key pattern is valid")
});

/// Checks the key of an app secret (`paas secret set KEY`): a name every shell and runtime
/// reads as an environment variable (letters, digits and `_`, not starting with a digit), at
/// most 253 characters (a Secret's key limit).
pub fn check_secret_key(value: &str) -> Result<(), NameError> {
    if value.len() > 253 || !SECRET_KEY.is_match(value) {
        return Err(NameError::Invalid {
            what: "secret key",
            value: shown(value),
            reason: "expected an environment variable name: letters, digits and '_', not starting with a digit, such as `API_TOKEN`",
        });
    }
    Ok(())
}

/// Checks an environment variable name for a `ConfigMap` key.
pub fn check_env_name(value: &str) -> Result<(), NameError> {
    if value.len() > 253 || !ENV_NAME.is_match(value) {
        return Err(NameError::Invalid {
            what: "environment variable name",
            value: shown(value),
            reason: "expected letters, digits, '_', '-' or '.', not starting with a digit",
        });
    }
    Ok(())
}

/// Checks an HTTP path such as `/healthz`.
pub fn check_http_path(value: &str) -> Result<(), NameError> {
    let plain = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '/' | '-'));
    if !value.starts_with('/') || !plain || value.len() > 256 {
        return Err(NameError::Invalid {
            what: "HTTP path",
            value: shown(value),
            reason: "expected an absolute path of letters, digits and `/._~-`, such as `/healthz`",
        });
    }
    Ok(())
}

/// Checks a one-line text value: no control characters.
pub fn check_line(what: &'static str, value: &str) -> Result<(), NameError> {
    if value.chars().any(char::is_control) {
        return Err(NameError::Invalid {
            what,
            value: shown(value),
            reason: "it contains a control character",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_project_names() {
        for (raw, expected) in [
            ("My_App", "my-app"),
            ("app.v2", "app-v2"),
            ("-lead", "lead"),
            ("ShopWeb", "shop-web"),
            ("Shop.Web", "shop-web"),
            ("ünï", "n"),
            ("web", "web"),
        ] {
            assert_eq!(normalize_app_name(raw).unwrap(), expected, "{raw}");
        }
        let long = "a".repeat(80);
        assert_eq!(normalize_app_name(&long).unwrap().len(), 63);
        assert!(normalize_app_name("..").is_err());
        assert!(normalize_app_name("").is_err());
        assert!(normalize_app_name("ü").is_err());
    }

    #[test]
    fn app_names_must_be_labels() {
        assert!(check_app_name("shop-web").is_ok());
        for bad in [
            "My_App",
            "-lead",
            "lead-",
            "",
            &"a".repeat(64),
            "a\"\nkind: Secret",
            "app.v2",
        ] {
            assert!(check_app_name(bad).is_err(), "{bad}");
        }
        let err = check_app_name("a\nb").unwrap_err().to_string();
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn images() {
        for good in [
            "nginx",
            "nginxinc/nginx-unprivileged:1.27-alpine",
            "127.0.0.1:5000/web:abc123",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "reg.example.com/team/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(check_image(good).is_ok(), "{good}");
        }
        for bad in [
            "Nginx",
            "nginx:",
            "a b",
            "x\nFROM evil",
            "nginx:1\nRUN x",
            "--build-arg",
            "",
        ] {
            assert!(check_image(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn registries_hosts_quantities() {
        assert!(check_registry("registry.example.com/team").is_ok());
        assert!(check_registry("127.0.0.1:5000").is_ok());
        assert!(check_registry("https://x").is_err());
        assert!(check_host("shop.example.com").is_ok());
        assert!(check_host("Shop.example.com").is_err());
        assert!(check_host("a.com\nx: y").is_err());
        for refused in [
            "10.0.0.1",
            "127.0.0.1",
            "localhost",
            "app.localhost",
            &format!("{}.example.com", "a".repeat(64)),
        ] {
            assert!(check_host(refused).is_err(), "{refused}");
        }
        assert!(check_host(&format!("{}.example.com", "a".repeat(63))).is_ok());
        assert!(check_host("*.example.com").is_ok());
        assert_eq!(quantity_amount("500m"), Some(0.5));
        assert_eq!(quantity_amount("2"), Some(2.0));
        assert_eq!(quantity_amount("256Mi"), Some(268_435_456.0));
        assert_eq!(quantity_amount("1G"), Some(1e9));
        assert_eq!(quantity_amount("lots"), None);
        assert!(check_quantity("250m").is_ok());
        assert!(check_quantity("1.5Gi").is_ok());
        assert!(check_quantity("lots").is_err());
        assert!(check_env_name("ASPNETCORE_ENVIRONMENT").is_ok());
        assert!(check_env_name("1X").is_err());
        assert!(check_http_path("/healthz").is_ok());
        assert!(check_http_path("healthz").is_err());
    }

    #[test]
    fn secret_keys_are_environment_variable_names() {
        for good in ["API_TOKEN", "_X", "a1", "DATABASE_URL"] {
            assert!(check_secret_key(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "1X",
            "API-TOKEN",
            "a.b",
            "KEY=VALUE",
            "X Y",
            "X\nY",
            "É",
            &"A".repeat(254),
        ] {
            assert!(check_secret_key(bad).is_err(), "{bad}");
        }
        assert_eq!(secrets_name("web"), "web-secrets");
        assert_eq!(config_name("web"), "web-env");
    }
}
