//! Registry credentials from the Docker config (`$DOCKER_CONFIG/config.json`, by default
//! `~/.docker/config.json`), the way the docker CLI finds them, and their encodings for the Engine
//! (`X-Registry-Auth`) and for oci-client.
//!
//! Precedence for a registry host: `credHelpers[host]` > `credsStore` > `auths[host]`. Keys are
//! normalised before they are compared: scheme and path are stripped, `host:port` is kept, and
//! `https://index.docker.io/v1/`, `index.docker.io` and `registry-1.docker.io` all mean `docker.io`.
//!
//! Credential helpers are run as `docker-credential-NAME get` with the server on stdin and a
//! timeout. **A helper that is configured but not installed is an error**, unlike the docker CLI,
//! which silently goes anonymous: that turns a broken setup into a misleading "needs credentials"
//! failure later, at the registry. A helper that answers "credentials not found" means anonymous.
//!
//! Secrets live only in [`Secret`], whose `Debug` and `Display` print `<redacted>`; no error of
//! this module carries a secret, a helper's stdout, or a config value.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE};
use serde::Deserialize;

use super::RegistryError;
use super::reference::DOCKER_HUB;
use crate::process;

/// The key the docker CLI stores Docker Hub credentials under, and sends to helpers for the Hub.
pub const DOCKER_HUB_SERVER: &str = "https://index.docker.io/v1/";
/// How long a credential helper may take by default (`PAAS_CREDENTIAL_TIMEOUT` changes it).
pub const DEFAULT_HELPER_TIMEOUT: Duration = Duration::from_secs(60);

/// A secret string (password or token) whose `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    #[must_use]
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the one place that must send it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The credentials for one registry.
///
/// `Debug` shows `Basic { username: "u", password: "<redacted>" }`; `Display` says what kind of
/// credential it is and for whom, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// No credentials: the registry is used anonymously.
    Anonymous,
    /// A user name and password (or a token used as a password).
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An `OAuth2` refresh token (`identitytoken`, or a helper's `<token>` user).
    IdentityToken(Secret),
}

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Anonymous => f.write_str("no credentials"),
            Self::Basic { username, .. } => write!(f, "user `{username}` with a password"),
            Self::IdentityToken(_) => f.write_str("an identity token"),
        }
    }
}

impl Credential {
    /// Whether this is [`Credential::Anonymous`].
    #[must_use]
    pub fn is_anonymous(&self) -> bool {
        matches!(self, Self::Anonymous)
    }

    /// Converts to oci-client's form, for reading manifests.
    ///
    /// # Errors
    ///
    /// [`RegistryError::UnsupportedCredential`] for an identity token: oci-client cannot trade an
    /// `OAuth2` refresh token for an access token.
    pub fn to_oci_auth(
        &self,
        registry: &str,
    ) -> Result<oci_client::secrets::RegistryAuth, RegistryError> {
        use oci_client::secrets::RegistryAuth;
        match self {
            Self::Anonymous => Ok(RegistryAuth::Anonymous),
            Self::Basic { username, password } => Ok(RegistryAuth::Basic(
                username.clone(),
                password.expose().to_owned(),
            )),
            Self::IdentityToken(_) => Err(RegistryError::UnsupportedCredential {
                registry: registry.to_owned(),
                kind: "an identity token",
            }),
        }
    }
}

/// Returns the `X-Registry-Auth` header value for `credential` at `server`: base64url of the JSON
/// the Engine expects, or `e30=` (`{}`) for anonymous.
///
/// The value contains the secret: send it, never print it.
#[must_use]
pub fn x_registry_auth(credential: &Credential, server: &str) -> String {
    let json = match credential {
        Credential::Anonymous => return "e30=".to_owned(),
        Credential::Basic { username, password } => serde_json::json!({
            "username": username,
            "password": password.expose(),
            "serveraddress": server,
        }),
        Credential::IdentityToken(token) => serde_json::json!({
            "identitytoken": token.expose(),
            "serveraddress": server,
        }),
    };
    URL_SAFE.encode(json.to_string())
}

/// Returns the normalised form of a registry key or host: no scheme, no path, lowercase, and
/// `docker.io` for every Docker Hub alias.
#[must_use]
pub fn normalize_registry(key: &str) -> String {
    let key = key.trim();
    let without_scheme = key.split_once("://").map_or(key, |(_, rest)| rest);
    let host = without_scheme
        .split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    super::reference::canonical_registry(&host).to_owned()
}

/// The server name given to credential helpers for a registry host (Docker Hub's legacy URL for
/// the Hub, the host itself otherwise), as the docker CLI does.
#[must_use]
pub fn helper_server(registry_host: &str) -> String {
    if normalize_registry(registry_host) == DOCKER_HUB {
        DOCKER_HUB_SERVER.to_owned()
    } else {
        registry_host.to_owned()
    }
}

/// The parts of `config.json` that hold credentials.
#[derive(Debug, Default, Clone, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
}

/// One `auths` entry. Its `Debug` never shows the values.
#[derive(Default, Clone, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
}

impl fmt::Debug for AuthEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthEntry").finish_non_exhaustive()
    }
}

/// Where credentials come from for one registry, before any helper runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `credHelpers[host]`: the helper's name (`NAME` of `docker-credential-NAME`).
    Helper(String),
    /// `credsStore`: the default helper's name.
    Store(String),
    /// `auths[host]` in the file.
    Inline,
    /// Nothing configured for this registry.
    None,
}

/// A parsed Docker config.
#[derive(Debug, Clone, Default)]
pub struct DockerConfig {
    path: PathBuf,
    file: ConfigFile,
}

impl DockerConfig {
    /// The config directory: `$DOCKER_CONFIG`, else `$HOME/.docker`.
    #[must_use]
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir));
        }
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|home| PathBuf::from(home).join(".docker"))
    }

    /// Loads `config.json` from the default directory (see [`DockerConfig::default_dir`]); no
    /// directory or no file means no credentials.
    ///
    /// # Errors
    ///
    /// As [`DockerConfig::load_from_dir`].
    pub fn load() -> Result<Self, RegistryError> {
        match Self::default_dir() {
            Some(dir) => Self::load_from_dir(&dir),
            None => Ok(Self::default()),
        }
    }

    /// Loads `<dir>/config.json`; a missing file means no credentials.
    ///
    /// # Errors
    ///
    /// [`RegistryError::ReadDockerConfig`] if the file exists but cannot be read,
    /// [`RegistryError::ParseDockerConfig`] if it is not a Docker config.
    pub fn load_from_dir(dir: &Path) -> Result<Self, RegistryError> {
        let path = dir.join("config.json");
        match fs_err::read_to_string(&path) {
            Ok(text) => Self::from_json(&text, &path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self {
                path,
                file: ConfigFile::default(),
            }),
            Err(source) => Err(RegistryError::ReadDockerConfig { path, source }),
        }
    }

    /// Parses the text of a `config.json` read from `path`.
    ///
    /// # Errors
    ///
    /// [`RegistryError::ParseDockerConfig`] with the line and column only: serde's message can
    /// quote a value, and a value may be a secret.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, RegistryError> {
        let file = serde_json::from_str(text).map_err(|err| RegistryError::ParseDockerConfig {
            path: path.to_owned(),
            line: err.line(),
            column: err.column(),
        })?;
        Ok(Self {
            path: path.to_owned(),
            file,
        })
    }

    /// The file this config was read from (it may not exist).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the credentials for `registry_host` would come from.
    #[must_use]
    pub fn source_for(&self, registry_host: &str) -> Source {
        let wanted = normalize_registry(registry_host);
        if let Some((_, helper)) = self
            .file
            .cred_helpers
            .iter()
            .find(|(key, helper)| normalize_registry(key) == wanted && !helper.is_empty())
        {
            return Source::Helper(helper.clone());
        }
        if let Some(store) = self.file.creds_store.as_ref().filter(|s| !s.is_empty()) {
            return Source::Store(store.clone());
        }
        if self.auth_entry(&wanted).is_some() {
            return Source::Inline;
        }
        Source::None
    }

    /// Returns the credentials for `registry_host` (`127.0.0.1:5001`, `ghcr.io`, `docker.io`),
    /// running a credential helper through `helpers` if the config names one.
    ///
    /// # Errors
    ///
    /// A [`RegistryError`] naming the registry and the helper or config file when a helper is
    /// missing, fails, hangs or prints something that is not a credential, or when an `auths`
    /// entry is malformed. A helper's "credentials not found" is not an error: it means anonymous.
    pub fn credential_for(
        &self,
        registry_host: &str,
        helpers: &Helpers,
    ) -> Result<Credential, RegistryError> {
        match self.source_for(registry_host) {
            Source::Helper(name) | Source::Store(name) => helpers.get(&name, registry_host),
            Source::Inline => {
                let wanted = normalize_registry(registry_host);
                let entry = self.auth_entry(&wanted).expect("source_for found it");
                self.inline_credential(registry_host, entry)
            }
            Source::None => Ok(Credential::Anonymous),
        }
    }

    fn auth_entry(&self, normalized: &str) -> Option<&AuthEntry> {
        self.file
            .auths
            .iter()
            .find(|(key, _)| normalize_registry(key) == normalized)
            .map(|(_, entry)| entry)
    }

    fn inline_credential(
        &self,
        registry: &str,
        entry: &AuthEntry,
    ) -> Result<Credential, RegistryError> {
        let malformed = |what: &'static str| RegistryError::MalformedAuth {
            registry: registry.to_owned(),
            path: self.path.clone(),
            what,
        };
        if let Some(token) = entry.identitytoken.as_ref().filter(|t| !t.is_empty()) {
            return Ok(Credential::IdentityToken(Secret::new(token.clone())));
        }
        if let Some(auth) = entry.auth.as_ref().filter(|a| !a.is_empty()) {
            let auth = auth.trim();
            let bytes = STANDARD
                .decode(auth)
                .or_else(|_| STANDARD_NO_PAD.decode(auth))
                .map_err(|_| malformed("`auth` is not base64"))?;
            let text = String::from_utf8(bytes).map_err(|_| malformed("`auth` is not UTF-8"))?;
            let (username, password) = text
                .split_once(':')
                .ok_or_else(|| malformed("`auth` is not `user:password`"))?;
            if username.is_empty() {
                return Err(malformed("`auth` has an empty user name"));
            }
            return Ok(Credential::Basic {
                username: username.to_owned(),
                password: Secret::new(password.trim_end_matches('\0')),
            });
        }
        match (&entry.username, &entry.password) {
            (Some(username), Some(password)) if !username.is_empty() => Ok(Credential::Basic {
                username: username.clone(),
                password: Secret::new(password.clone()),
            }),
            (Some(_), None) => Err(malformed("`username` has no `password`")),
            (None, Some(_)) => Err(malformed("`password` has no `username`")),
            // `docker login` with a credsStore leaves an empty entry behind.
            _ => Ok(Credential::Anonymous),
        }
    }
}

/// Runs credential helpers (`docker-credential-NAME get`).
#[derive(Debug, Clone)]
pub struct Helpers {
    search_path: Option<OsString>,
    timeout: Duration,
}

impl Default for Helpers {
    /// Helpers found on `$PATH`, with [`DEFAULT_HELPER_TIMEOUT`].
    fn default() -> Self {
        Self {
            search_path: std::env::var_os("PATH"),
            timeout: DEFAULT_HELPER_TIMEOUT,
        }
    }
}

/// What a helper prints for `get`.
#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: String,
}

impl Helpers {
    /// Helpers looked up in `search_path` (a `PATH`-style list), with [`DEFAULT_HELPER_TIMEOUT`].
    #[must_use]
    pub fn with_search_path(search_path: impl Into<OsString>) -> Self {
        Self {
            search_path: Some(search_path.into()),
            timeout: DEFAULT_HELPER_TIMEOUT,
        }
    }

    /// The same helpers with another timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Finds `docker-credential-NAME` on the search path.
    #[must_use]
    pub fn find(&self, name: &str) -> Option<PathBuf> {
        let program = format!("docker-credential-{name}");
        if name.is_empty() || name.contains(['/', '\\']) {
            return None;
        }
        let path = self
            .search_path
            .as_deref()
            .unwrap_or_else(|| OsStr::new(""));
        std::env::split_paths(path)
            .map(|dir| dir.join(&program))
            .find(|candidate| is_executable(candidate))
    }

    /// Asks helper `name` for the credentials of `registry_host`.
    ///
    /// This blocks (up to the timeout) while the helper runs: call it from
    /// `tokio::task::spawn_blocking` inside a runtime.
    ///
    /// # Errors
    ///
    /// [`RegistryError::HelperNotFound`], [`RegistryError::HelperFailed`],
    /// [`RegistryError::HelperTimedOut`], [`RegistryError::HelperGarbage`] or
    /// [`RegistryError::HelperIo`], each naming the helper and the registry.
    pub fn get(&self, name: &str, registry_host: &str) -> Result<Credential, RegistryError> {
        let helper = format!("docker-credential-{name}");
        let registry = registry_host.to_owned();
        let program = self
            .find(name)
            .ok_or_else(|| RegistryError::HelperNotFound {
                helper: helper.clone(),
                registry: registry.clone(),
            })?;
        let io = |source: std::io::Error| RegistryError::HelperIo {
            helper: helper.clone(),
            registry: registry.clone(),
            source,
        };
        let mut command = Command::new(&program);
        command.arg("get");
        let server = helper_server(registry_host);
        let finished = match process::run(
            command,
            Some(server.as_bytes()),
            process::Stderr::Capture,
            self.timeout,
        ) {
            Ok(finished) => finished,
            Err(process::RunError::Io(source)) => return Err(io(source)),
            Err(process::RunError::TimedOut(timeout)) => {
                return Err(RegistryError::HelperTimedOut {
                    helper,
                    registry,
                    timeout,
                });
            }
        };
        let status = finished.status;
        let stdout = String::from_utf8_lossy(&finished.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&finished.stderr).into_owned();
        if !status.success() {
            // The protocol: exit 1 and "credentials not found in native keychain" on stdout.
            if stdout.contains("credentials not found") || stderr.contains("credentials not found")
            {
                return Ok(Credential::Anonymous);
            }
            return Err(RegistryError::HelperFailed {
                helper,
                registry,
                status: process::describe(status),
                // docker-credential-helpers print their errors on stdout; others use stderr.
                message: Some(first_line(&stderr))
                    .filter(|line| !line.is_empty())
                    .unwrap_or_else(|| first_line(&stdout)),
            });
        }
        let answer: HelperAnswer =
            serde_json::from_str(stdout.trim()).map_err(|_| RegistryError::HelperGarbage {
                helper: helper.clone(),
                registry: registry.clone(),
            })?;
        if answer.secret.is_empty() {
            return Ok(Credential::Anonymous);
        }
        if answer.username == "<token>" {
            return Ok(Credential::IdentityToken(Secret::new(answer.secret)));
        }
        if answer.username.is_empty() {
            return Err(RegistryError::HelperGarbage { helper, registry });
        }
        Ok(Credential::Basic {
            username: answer.username,
            password: Secret::new(answer.secret),
        })
    }
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    line.chars().take(200).collect()
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    fs_err::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> DockerConfig {
        DockerConfig::from_json(json, Path::new("/home/u/.docker/config.json"))
            .expect("valid config")
    }

    fn no_helpers() -> Helpers {
        Helpers::with_search_path("")
    }

    fn basic(username: &str, password: &str) -> Credential {
        Credential::Basic {
            username: username.into(),
            password: Secret::new(password),
        }
    }

    #[test]
    fn key_normalisation() {
        for (key, expected) in [
            ("https://index.docker.io/v1/", "docker.io"),
            ("index.docker.io", "docker.io"),
            ("registry-1.docker.io", "docker.io"),
            ("docker.io", "docker.io"),
            ("http://127.0.0.1:5001", "127.0.0.1:5001"),
            ("https://127.0.0.1:5001/v2/", "127.0.0.1:5001"),
            ("127.0.0.1:5001", "127.0.0.1:5001"),
            ("GHCR.io", "ghcr.io"),
            (" ghcr.io/org ", "ghcr.io"),
        ] {
            assert_eq!(normalize_registry(key), expected, "{key}");
        }
        assert_eq!(helper_server("docker.io"), DOCKER_HUB_SERVER);
        assert_eq!(helper_server("127.0.0.1:5001"), "127.0.0.1:5001");
    }

    #[test]
    fn auths_inline_forms() {
        let c = config(
            r#"{"auths": {
                "https://index.docker.io/v1/": {"auth": "aHViOmh1YnBhc3M="},
                "http://127.0.0.1:5001/v2/": {"auth": "dTpwOmFzcw"},
                "ghcr.io": {"username": "me", "password": "tok"},
                "id.example.com": {"identitytoken": "refresh"},
                "empty.example.com": {}
            }}"#,
        );
        let h = no_helpers();
        assert_eq!(
            c.credential_for("docker.io", &h).unwrap(),
            basic("hub", "hubpass")
        );
        // Unpadded base64, and a password containing `:`.
        assert_eq!(
            c.credential_for("127.0.0.1:5001", &h).unwrap(),
            basic("u", "p:ass")
        );
        assert_eq!(c.credential_for("ghcr.io", &h).unwrap(), basic("me", "tok"));
        assert_eq!(
            c.credential_for("id.example.com", &h).unwrap(),
            Credential::IdentityToken(Secret::new("refresh"))
        );
        assert_eq!(
            c.credential_for("empty.example.com", &h).unwrap(),
            Credential::Anonymous
        );
        assert_eq!(
            c.credential_for("127.0.0.1:5000", &h).unwrap(),
            Credential::Anonymous
        );
        assert_eq!(c.source_for("127.0.0.1:5000"), Source::None);
    }

    #[test]
    fn precedence_helper_over_store_over_auths() {
        let c = config(
            r#"{"auths": {"a.io": {"auth": "dTpw"}, "b.io": {"auth": "dTpw"}},
                "credsStore": "desktop",
                "credHelpers": {"https://a.io": "pass", "c.io": ""}}"#,
        );
        assert_eq!(c.source_for("a.io"), Source::Helper("pass".into()));
        assert_eq!(c.source_for("b.io"), Source::Store("desktop".into()));
        assert_eq!(c.source_for("c.io"), Source::Store("desktop".into()));
        let c = config(r#"{"auths": {"a.io": {"auth": "dTpw"}}, "credsStore": ""}"#);
        assert_eq!(c.source_for("a.io"), Source::Inline);
    }

    #[test]
    fn a_missing_helper_is_an_error_naming_it() {
        let c = config(r#"{"credsStore": "nope"}"#);
        let err = c
            .credential_for("127.0.0.1:5001", &no_helpers())
            .unwrap_err();
        assert!(
            matches!(err, RegistryError::HelperNotFound { .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "credential helper `docker-credential-nope` for registry `127.0.0.1:5001` is not on PATH"
        );
    }

    #[test]
    fn malformed_entries_never_quote_the_value() {
        for (json, what) in [
            (r#"{"auths": {"a.io": {"auth": "!!S3NTINEL!!"}}}"#, "base64"),
            (
                r#"{"auths": {"a.io": {"auth": "UzNOVElORUw="}}}"#,
                "user:password",
            ),
            (
                r#"{"auths": {"a.io": {"username": "S3NTINEL"}}}"#,
                "password",
            ),
        ] {
            let err = config(json)
                .credential_for("a.io", &no_helpers())
                .unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(text.contains(what), "{text}");
            assert!(
                !text.contains("S3NTINEL") && !text.contains("UzNOVElORUw"),
                "{text}"
            );
        }
        // serde would quote the string in "invalid type: string \"S3NTINEL\"".
        let err =
            DockerConfig::from_json(r#"{"auths": {"a.io": "S3NTINEL"}}"#, Path::new("c.json"))
                .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains("c.json") && text.contains("line 1"), "{text}");
        assert!(!text.contains("S3NTINEL"), "{text}");
    }

    #[test]
    fn missing_config_file_means_no_credentials() {
        let dir = tempfile::tempdir().unwrap();
        let c = DockerConfig::load_from_dir(dir.path()).unwrap();
        assert_eq!(
            c.credential_for("ghcr.io", &no_helpers()).unwrap(),
            Credential::Anonymous
        );
        assert_eq!(c.path(), dir.path().join("config.json"));
    }

    #[test]
    fn x_registry_auth_encoding() {
        assert_eq!(x_registry_auth(&Credential::Anonymous, "a.io"), "e30=");
        let value = x_registry_auth(&basic("u", "p?>~"), "127.0.0.1:5001");
        assert!(!value.contains(['+', '/']), "base64url: {value}");
        let json: serde_json::Value =
            serde_json::from_slice(&URL_SAFE.decode(&value).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"username": "u", "password": "p?>~", "serveraddress": "127.0.0.1:5001"})
        );
        let value = x_registry_auth(&Credential::IdentityToken(Secret::new("tok")), "docker.io");
        let json: serde_json::Value =
            serde_json::from_slice(&URL_SAFE.decode(&value).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"identitytoken": "tok", "serveraddress": "docker.io"})
        );
    }

    #[test]
    fn redaction() {
        let c = basic("alice", "S3NTINEL-pw");
        assert_eq!(
            format!("{c:?}"),
            r#"Basic { username: "alice", password: "<redacted>" }"#
        );
        assert_eq!(c.to_string(), "user `alice` with a password");
        let t = Credential::IdentityToken(Secret::new("TOK-S3NTINEL"));
        assert_eq!(format!("{t:?}"), r#"IdentityToken("<redacted>")"#);
        assert_eq!(format!("{t:#?}").matches("S3NTINEL").count(), 0);
        assert_eq!(t.to_string(), "an identity token");
        let c = config(r#"{"auths": {"a.io": {"auth": "YWxpY2U6UzNOVElORUwtcHc="}}}"#);
        assert!(
            !format!("{c:?}").contains("YWxpY2U6UzNOVElORUwtcHc"),
            "{c:?}"
        );
        let auth = c
            .credential_for("a.io", &no_helpers())
            .unwrap()
            .to_oci_auth("a.io")
            .unwrap();
        assert!(!format!("{auth:?}").contains("S3NTINEL"));
        let err = t.to_oci_auth("a.io").unwrap_err();
        assert!(!format!("{err} {err:?}").contains("S3NTINEL"));
    }
}
