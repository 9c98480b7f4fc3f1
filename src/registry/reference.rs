//! Image references: `[registry[:port]/]path[:tag][@sha256:digest]`, parsed and normalised the way
//! Docker does it (`docker.io` by default, `library/` for single-component Hub names).
//!
//! This module is pure: it never talks to a registry. It deliberately accepts only the forms Docker
//! accepts and rejects the rest (uppercase paths, empty components, malformed digests) instead of
//! "fixing" them.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;

use super::RegistryError;

/// The registry used when a reference names none.
pub const DOCKER_HUB: &str = "docker.io";

/// Other spellings of Docker Hub's host, which mean [`DOCKER_HUB`].
const DOCKER_HUB_ALIASES: [&str; 3] = [
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
];

/// A path component: lowercase alphanumerics, separated by `.`, `_`, `__` or runs of `-`.
static COMPONENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$").expect("a valid regex")
});
/// A tag: a word character, then up to 127 word characters, `.` or `-`.
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").expect("a valid regex"));
/// A registry host: DNS labels or an IPv4 address, or a bracketed IPv6 address, then an optional port.
static HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$",
    )
    .expect("a valid regex")
});

/// A parsed, normalised image reference.
///
/// The registry is always explicit after parsing (`nginx` becomes `docker.io/library/nginx`), so
/// [`Display`](fmt::Display) prints a fully qualified reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference such as `127.0.0.1:5000/team/web:1`, `nginx` or `web@sha256:…`.
    ///
    /// # Errors
    ///
    /// [`RegistryError::InvalidReference`] naming the input and what is wrong with it.
    pub fn parse(input: &str) -> Result<Self, RegistryError> {
        let invalid = |reason: String| RegistryError::InvalidReference {
            reference: input.to_owned(),
            reason,
        };
        if input.is_empty() {
            return Err(invalid("it is empty".into()));
        }
        if input.chars().any(char::is_whitespace) {
            return Err(invalid("it contains whitespace".into()));
        }
        let Parts { name, tag, digest } = split(input);
        if let Some(digest) = digest {
            validate_digest(digest).map_err(invalid)?;
        }
        if let Some(tag) = tag
            && !TAG.is_match(tag)
        {
            return Err(invalid(format!(
                "the tag `{tag}` is not valid (letters, digits, `_`, `.` and `-`, at most 128, not starting with `.` or `-`)"
            )));
        }
        if name.is_empty() {
            return Err(invalid("the name is empty".into()));
        }
        let (registry, path) = split_registry(name);
        if registry.is_empty() || !HOST.is_match(registry) {
            return Err(invalid(format!(
                "the registry `{registry}` is not a valid host[:port]"
            )));
        }
        let registry = canonical_registry(registry).to_owned();
        if path.is_empty() {
            return Err(invalid("the repository path is empty".into()));
        }
        for component in path.split('/') {
            if component.is_empty() {
                return Err(invalid("the repository path has an empty component".into()));
            }
            if component.chars().any(|c| c.is_ascii_uppercase()) {
                return Err(invalid(format!(
                    "the repository path `{path}` must be lowercase"
                )));
            }
            if !COMPONENT.is_match(component) {
                return Err(invalid(format!(
                    "`{component}` is not a valid path component (lowercase letters and digits, separated by `.`, `_`, `__` or `-`)"
                )));
            }
        }
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_owned()
        };
        if registry.len() + 1 + repository.len() > 255 {
            return Err(invalid("the name is longer than 255 characters".into()));
        }
        Ok(Self {
            registry,
            repository,
            tag: tag.map(str::to_owned),
            digest: digest.map(str::to_owned),
        })
    }

    /// Returns this reference pinned to `digest` (the tag is kept, as in `web:1@sha256:…`).
    ///
    /// # Errors
    ///
    /// [`RegistryError::InvalidReference`] if `digest` is not `sha256:<64 hex>` (or `sha512:<128 hex>`).
    pub fn with_digest(&self, digest: &str) -> Result<Self, RegistryError> {
        validate_digest(digest).map_err(|reason| RegistryError::InvalidReference {
            reference: format!("{}@{digest}", self.name()),
            reason,
        })?;
        Ok(Self {
            digest: Some(digest.to_owned()),
            ..self.clone()
        })
    }

    /// The registry host, with its port if any: `127.0.0.1:5000`, `ghcr.io`, `docker.io`.
    #[must_use]
    pub fn registry_host(&self) -> &str {
        &self.registry
    }

    /// The repository path inside the registry: `team/web`, `library/nginx`.
    #[must_use]
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// `registry/repository`, without tag or digest.
    #[must_use]
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The tag, if the reference has one.
    #[must_use]
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest (`sha256:…`), if the reference has one.
    #[must_use]
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// Whether the registry is on this machine (`localhost`, 127.0.0.0/8, `::1`), the only
    /// registries spoken to over plain HTTP.
    #[must_use]
    pub fn is_loopback_registry(&self) -> bool {
        is_loopback_host(&self.registry)
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

impl FromStr for ImageRef {
    type Err = RegistryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A reference cut where Docker cuts it, as written: nothing is checked or normalised, so
/// it serves text that is not (or not yet) known to be valid, and keeps its spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// `[registry/]path`.
    pub name: &'a str,
    /// The tag: what follows a `:` after the last `/` of the name.
    pub tag: Option<&'a str>,
    /// The digest: what follows the `@`.
    pub digest: Option<&'a str>,
}

/// Cuts `reference` into name, tag and digest. A `:` after the last `/` starts the tag; one
/// before it belongs to the registry's port.
#[must_use]
pub fn split(reference: &str) -> Parts<'_> {
    let (rest, digest) = match reference.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (reference, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    Parts { name, tag, digest }
}

/// Returns the registry host of `reference` as written (`127.0.0.1:5000`, `ghcr.io`), or
/// [`DOCKER_HUB`] when it names none, by Docker's rule. Unlike [`ImageRef::parse`] this
/// never fails, for references a cluster reports whatever their form.
#[must_use]
pub fn registry_of(reference: &str) -> &str {
    split_registry(split(reference).name).0
}

/// Returns [`DOCKER_HUB`] for each spelling of Docker Hub's host, else `host`.
#[must_use]
pub fn canonical_registry(host: &str) -> &str {
    if DOCKER_HUB_ALIASES.contains(&host) {
        DOCKER_HUB
    } else {
        host
    }
}

/// Whether `host` (`host[:port]`, `[v6]:port`) names this machine.
#[must_use]
pub fn is_loopback_host(host: &str) -> bool {
    let bare = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else if host.matches(':').count() > 1 {
        host // an unbracketed IPv6 address has no port
    } else {
        host.split(':').next().unwrap_or_default()
    };
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Docker's rule: the first component is a registry if there is more than one component and it
/// contains `.` or `:`, is `localhost`, or has uppercase letters.
fn split_registry(name: &str) -> (&str, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (first, rest)
        }
        _ => (DOCKER_HUB, name),
    }
}

fn validate_digest(digest: &str) -> Result<(), String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(format!("the digest `{digest}` is not `sha256:<hex>`"));
    };
    let expected = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        _ => {
            return Err(format!(
                "the digest algorithm `{algorithm}` is not `sha256` or `sha512`"
            ));
        }
    };
    if hex.len() != expected
        || !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!(
            "the digest `{digest}` is not `{algorithm}:` and {expected} lowercase hex digits"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parts(input: &str) -> (String, String, Option<String>, Option<String>) {
        let r = ImageRef::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        (r.registry, r.repository, r.tag, r.digest)
    }

    fn err(input: &str) -> String {
        ImageRef::parse(input).expect_err(input).to_string()
    }

    #[test]
    fn docker_hub_normalisation() {
        assert_eq!(
            parts("nginx"),
            ("docker.io".into(), "library/nginx".into(), None, None)
        );
        assert_eq!(
            parts("nginx:1.27"),
            (
                "docker.io".into(),
                "library/nginx".into(),
                Some("1.27".into()),
                None
            )
        );
        assert_eq!(
            parts("team/web"),
            ("docker.io".into(), "team/web".into(), None, None)
        );
        assert_eq!(
            parts("docker.io/nginx"),
            ("docker.io".into(), "library/nginx".into(), None, None)
        );
        assert_eq!(parts("index.docker.io/nginx:1").1, "library/nginx");
        assert_eq!(parts("index.docker.io/nginx:1").0, "docker.io");
        assert_eq!(parts("registry-1.docker.io/a/b").0, "docker.io");
        assert_eq!(
            ImageRef::parse("nginx").unwrap().to_string(),
            "docker.io/library/nginx"
        );
    }

    #[test]
    fn registries_are_recognised() {
        assert_eq!(parts("localhost/web").0, "localhost");
        assert_eq!(
            parts("localhost:5000/web:1"),
            (
                "localhost:5000".into(),
                "web".into(),
                Some("1".into()),
                None
            )
        );
        assert_eq!(parts("127.0.0.1:5000/ns/app:1").0, "127.0.0.1:5000");
        assert_eq!(parts("ghcr.io/org/team/web").1, "org/team/web");
        assert_eq!(parts("registry:5000/web").0, "registry:5000");
        assert_eq!(parts("Registry/web").0, "Registry");
        assert_eq!(parts("[::1]:5000/web").0, "[::1]:5000");
        // A first component without `.`, `:` or uppercase is a Hub namespace, not a host.
        assert_eq!(parts("myhost/web").0, "docker.io");
    }

    #[test]
    fn tags_and_digests() {
        assert_eq!(parts(&format!("web@{D}")).3.as_deref(), Some(D));
        let (_, _, tag, digest) = parts(&format!("127.0.0.1:5000/web:1@{D}"));
        assert_eq!((tag.as_deref(), digest.as_deref()), (Some("1"), Some(D)));
        assert_eq!(parts("localhost:5000/web").2, None, "the port is not a tag");
        assert_eq!(
            parts("web:_under.score-1").2.as_deref(),
            Some("_under.score-1")
        );
        assert_eq!(
            parts("web:UPPER").2.as_deref(),
            Some("UPPER"),
            "tags may be uppercase"
        );
    }

    #[test]
    fn display_round_trips() {
        for input in [
            "127.0.0.1:5000/ns/app:1",
            "ghcr.io/org/web",
            "docker.io/library/nginx:1.27",
            &format!("localhost:5000/web:1@{D}"),
            &format!("ghcr.io/a/b@{D}"),
        ] {
            let parsed = ImageRef::parse(input).unwrap();
            assert_eq!(parsed.to_string(), input);
            assert_eq!(ImageRef::parse(&parsed.to_string()).unwrap(), parsed);
        }
    }

    #[test]
    fn with_digest_keeps_the_tag() {
        let r = ImageRef::parse("127.0.0.1:5000/ns/app:1")
            .unwrap()
            .with_digest(D)
            .unwrap();
        assert_eq!(r.to_string(), format!("127.0.0.1:5000/ns/app:1@{D}"));
        assert_eq!(r.digest(), Some(D));
        assert_eq!(r.name(), "127.0.0.1:5000/ns/app");
        let e = ImageRef::parse("web")
            .unwrap()
            .with_digest("sha256:xyz")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sha256:xyz"), "{e}");
    }

    #[test]
    fn bad_input_is_rejected_with_a_reason() {
        assert!(err("").contains("empty"));
        assert!(
            err("Web").contains("lowercase") || err("Web").contains("path component"),
            "{}",
            err("Web")
        );
        assert!(err("ghcr.io/Org/web").contains("lowercase"));
        assert!(err("ghcr.io//web").contains("empty component"));
        assert!(err("web/").contains("empty component"));
        assert!(err("ghcr.io/").contains("empty"));
        assert!(err(":1").contains("empty"));
        assert!(err("web:").contains("tag"));
        assert!(err("web:-bad").contains("tag"));
        assert!(err(&format!("web:{}", "a".repeat(129))).contains("tag"));
        assert!(err("web@sha256:abc").contains("hex"));
        assert!(err("web@md5:0123").contains("algorithm"));
        assert!(err("web@0123").contains("sha256"));
        assert!(
            err(&format!(
                "web@{}",
                D.to_uppercase().replace("SHA256", "sha256")
            ))
            .contains("hex")
        );
        assert!(err("we b").contains("whitespace"));
        assert!(err("web--_x").contains("path component"));
        assert!(err("-web").contains("path component"));
        assert!(err("a_b..c/x").contains("registry") || err("a_b..c/x").contains("path"));
        assert!(err("bad_host.io/web").contains("registry"));
        assert!(err(&format!("ghcr.io/{}", "a".repeat(260))).contains("255"));
        // The input is named in the message.
        assert!(err("ghcr.io/Org/web").contains("`ghcr.io/Org/web`"));
    }

    #[test]
    fn split_keeps_the_spelling() {
        assert_eq!(
            split(&format!("127.0.0.1:5000/ns/app:1@{D}")),
            Parts {
                name: "127.0.0.1:5000/ns/app",
                tag: Some("1"),
                digest: Some(D)
            }
        );
        assert_eq!(
            split("localhost:5000/web"),
            Parts {
                name: "localhost:5000/web",
                tag: None,
                digest: None
            },
            "the port is not a tag"
        );
        assert_eq!(split(&format!("web@{D}")).tag, None);
        assert_eq!(split("app:v2").name, "app", "no `docker.io/library/` added");
        assert_eq!(split("app:").tag, Some(""), "nothing is checked");
        // `parse` cuts the same way.
        for input in ["127.0.0.1:5000/ns/app:1", "ghcr.io/a/b", "nginx:1.27"] {
            let parsed = ImageRef::parse(input).unwrap();
            assert_eq!(parsed.tag(), split(input).tag, "{input}");
        }
    }

    #[test]
    fn registry_of_follows_docker() {
        assert_eq!(registry_of("127.0.0.1:5000/shop/web:1"), "127.0.0.1:5000");
        assert_eq!(registry_of("ghcr.io/acme/web"), "ghcr.io");
        assert_eq!(registry_of("localhost/web"), "localhost");
        assert_eq!(registry_of("library/nginx"), "docker.io");
        assert_eq!(registry_of("nginx:1"), "docker.io");
        assert_eq!(registry_of("Bad Image/x"), "Bad Image", "never fails");
        assert_eq!(registry_of(&format!("web@{D}")), "docker.io");
    }

    #[test]
    fn docker_hub_spellings() {
        for alias in DOCKER_HUB_ALIASES {
            assert_eq!(canonical_registry(alias), DOCKER_HUB);
            assert_eq!(parts(&format!("{alias}/nginx")).0, DOCKER_HUB);
        }
        assert_eq!(canonical_registry("ghcr.io"), "ghcr.io");
    }

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "localhost:5000",
            "127.0.0.1:5001",
            "127.1.2.3",
            "[::1]:5000",
            "::1",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "ghcr.io",
            "10.0.0.1:5000",
            "docker.io",
            "localhost.example.com",
            "[fe80::1]:5000",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    proptest::proptest! {
        /// Every reference built from valid parts parses back to those parts and prints the same.
        #[test]
        fn valid_references_round_trip(
            registry in "(ghcr\\.io|127\\.0\\.0\\.1:50[0-9]{2}|localhost(:[1-9][0-9]{0,3})?|registry\\.example\\.com)",
            path in "[a-z0-9]{1,8}((\\.|_|__|-{1,2})[a-z0-9]{1,8}){0,2}(/[a-z0-9]{1,8}){0,3}",
            tag in proptest::option::of("[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}"),
            digest in proptest::option::of("[0-9a-f]{64}"),
        ) {
            let mut text = format!("{registry}/{path}");
            if let Some(tag) = &tag {
                text = format!("{text}:{tag}");
            }
            if let Some(hex) = &digest {
                text = format!("{text}@sha256:{hex}");
            }
            let parsed = ImageRef::parse(&text).unwrap();
            proptest::prop_assert_eq!(parsed.registry_host(), registry.as_str());
            proptest::prop_assert_eq!(parsed.repository(), path.as_str());
            proptest::prop_assert_eq!(parsed.tag(), tag.as_deref());
            proptest::prop_assert_eq!(parsed.digest().map(|d| d.trim_start_matches("sha256:")), digest.as_deref());
            proptest::prop_assert_eq!(parsed.to_string(), text);
        }

        /// Arbitrary text never panics the parser.
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
            let _ = ImageRef::parse(&text);
        }
    }
}
