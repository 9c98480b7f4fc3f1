//! What DNS records each host needs, and how what the servers answer compares: pure functions
//! over plain data, so every rule is unit-tested without a DNS server.
//!
//! A host is an *apex* when it is the domain a company registers (`example.com`,
//! `shop.co.uk`), found with the public suffix list; an apex cannot have a CNAME (it holds the
//! zone's SOA and NS records), so a load balancer known by name is reached there with the DNS
//! provider's ALIAS/ANAME record or CNAME flattening, or with A records.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::net::IpAddr;

use serde::Serialize;

/// Returns the registered domain `host` belongs to (`www.shop.co.uk` → `shop.co.uk`), by the
/// public suffix list; `None` for a public suffix itself (`co.uk`).
#[must_use]
pub fn registered_domain(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = psl::domain_str(&host)?;
    Some(domain.to_owned())
}

/// Returns whether `host` is a registered domain itself (the zone's apex).
#[must_use]
pub fn is_apex(host: &str) -> bool {
    registered_domain(host).is_some_and(|d| d == host.trim_end_matches('.'))
}

/// Returns the other host of an apex/`www.` pair: `example.com` → `www.example.com`,
/// `www.example.com` → `example.com`; `None` for any other host.
#[must_use]
pub fn www_pair(host: &str) -> Option<String> {
    if is_apex(host) {
        return Some(format!("www.{host}"));
    }
    let rest = host.strip_prefix("www.")?;
    is_apex(rest).then(|| rest.to_owned())
}

/// Returns `hosts` with each apex followed by its `www.` host and each `www.` host by its apex
/// (`www = true`), in order and each once.
#[must_use]
pub fn pair_www(hosts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for host in hosts {
        for name in std::iter::once(host.clone()).chain(www_pair(host)) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Where the Ingress controller's load balancer answers, from the Ingress status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngressAddress {
    /// Its IP addresses (IPv4 and IPv6).
    pub ips: Vec<IpAddr>,
    /// Its host names (cloud load balancers that have no fixed IP).
    pub hostnames: Vec<String>,
}

impl IngressAddress {
    /// Returns whether the controller has published no address yet.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ips.is_empty() && self.hostnames.is_empty()
    }
}

/// A DNS record type as the plan names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum RecordType {
    /// An IPv4 address.
    A,
    /// An IPv6 address.
    #[allow(clippy::upper_case_acronyms, reason = "the DNS type's name")]
    AAAA,
    /// Another name.
    #[allow(clippy::upper_case_acronyms, reason = "the DNS type's name")]
    CNAME,
    /// The provider's ALIAS/ANAME record or CNAME flattening (no DNS type of its own).
    #[allow(clippy::upper_case_acronyms, reason = "as DNS providers name it")]
    ALIAS,
}

impl RecordType {
    /// The name shown.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::AAAA => "AAAA",
            Self::CNAME => "CNAME",
            Self::ALIAS => "ALIAS",
        }
    }
}

/// One record to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// Its type.
    #[serde(rename = "type")]
    pub kind: RecordType,
    /// The host it is created at.
    pub name: String,
    /// The address or host name it points to.
    pub value: String,
}

/// What `host` needs so that it reaches `address`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The host.
    pub host: String,
    /// Whether it is the apex of its domain.
    pub apex: bool,
    /// The records to create.
    pub records: Vec<Record>,
    /// The same, in words.
    pub instruction: String,
}

/// Plans the records of `host`: A/AAAA to the controller's IPs; a CNAME to its host name, or
/// at the apex an ALIAS (flattening) to it, else A records to what it resolves to.
#[must_use]
pub fn plan(host: &str, address: &IngressAddress) -> Plan {
    let apex = is_apex(host);
    let mut records = Vec::new();
    for ip in &address.ips {
        records.push(Record {
            kind: if ip.is_ipv4() {
                RecordType::A
            } else {
                RecordType::AAAA
            },
            name: host.to_owned(),
            value: ip.to_string(),
        });
    }
    if address.ips.is_empty()
        && let Some(target) = address.hostnames.first()
    {
        records.push(Record {
            kind: if apex {
                RecordType::ALIAS
            } else {
                RecordType::CNAME
            },
            name: host.to_owned(),
            value: target.clone(),
        });
    }
    let instruction = instruction(host, apex, &records);
    Plan {
        host: host.to_owned(),
        apex,
        records,
        instruction,
    }
}

fn instruction(host: &str, apex: bool, records: &[Record]) -> String {
    let Some(first) = records.first() else {
        return "wait for the ingress controller to give the Ingress an address".to_owned();
    };
    let list = |kind: RecordType| {
        records
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| format!("`{}`", r.value))
            .collect::<Vec<_>>()
    };
    match first.kind {
        RecordType::CNAME => format!("create a CNAME record `{host}` → `{}`", first.value),
        RecordType::ALIAS => format!(
            "`{host}` is the domain's apex, where a CNAME is not allowed: create an ALIAS (or ANAME) record `{host}` → `{}` if your DNS provider has one (some call it CNAME flattening), else A records to the addresses `{}` resolves to (they may change)",
            first.value, first.value
        ),
        RecordType::A | RecordType::AAAA => {
            let mut text = String::new();
            for (kind, word) in [(RecordType::A, "an A"), (RecordType::AAAA, "an AAAA")] {
                let values = list(kind);
                if values.is_empty() {
                    continue;
                }
                if !text.is_empty() {
                    text.push_str(" and ");
                }
                let records = if values.len() == 1 {
                    format!("{word} record")
                } else {
                    format!("{} records", kind.as_str())
                };
                let _ = write!(text, "{records} `{host}` → {}", values.join(", "));
            }
            let apex = if apex { " (the domain's apex)" } else { "" };
            format!("create {text}{apex}")
        }
    }
}

/// What one DNS server answered for a host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The CNAME at the host, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cname: Option<String>,
    /// The addresses of A and AAAA records at the host itself (not reached through a CNAME).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<IpAddr>,
    /// The types of the other records at the host (`TXT`, `MX`, `SOA`…), beside a CNAME.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_types: Vec<String>,
    /// The addresses reached through the CNAME.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub through_cname: Vec<IpAddr>,
    /// The shortest TTL of the answer: how long a resolver keeps it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
}

impl Answer {
    /// Returns whether the server has no record for the host.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.cname.is_none() && self.addresses.is_empty()
    }

    /// Describes the answer in a few words: `10.0.0.1, 2001:db8::1`, `CNAME lb.example.net`,
    /// `no record`.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(cname) = &self.cname {
            parts.push(format!("CNAME `{cname}`"));
        }
        if !self.addresses.is_empty() {
            parts.push(join_ips(&self.addresses));
        }
        if parts.is_empty() {
            "no record".to_owned()
        } else {
            parts.join(" and ")
        }
    }
}

fn join_ips(ips: &[IpAddr]) -> String {
    ips.iter()
        .map(|ip| format!("`{ip}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a server answered: an answer, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// It answered (possibly with no record).
    Answer(Answer),
    /// It did not answer, or answered with an error (timeout, SERVFAIL, REFUSED).
    Failed(String),
}

/// One DNS server and its reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerReply {
    /// `ns1.example.com (192.0.2.53)` or `1.1.1.1:53`.
    pub server: String,
    /// What it said.
    pub reply: Reply,
}

/// The CAA records that apply to a host: the first set found from the host up to its domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caa {
    /// Where the set was found.
    pub at: String,
    /// The CAs its `issue` records allow (`letsencrypt.org`); empty with `issue ";"`.
    pub issuers: Vec<String>,
    /// Whether the set has `issue` records at all (without, any CA may issue for the host).
    pub restricts: bool,
}

/// What the DNS servers said about one host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Observed {
    /// The zone's authoritative servers; empty when none was found.
    pub authoritative: Vec<ServerReply>,
    /// Why no authoritative server was found, when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authoritative_missing: Option<String>,
    /// The public (configured) resolvers.
    pub resolvers: Vec<ServerReply>,
    /// What the Ingress's host name resolves to, for A records or flattening at an apex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_addresses: Vec<IpAddr>,
    /// The CAA set that applies, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caa: Option<Caa>,
}

/// How one host's records stand, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The Ingress has no address yet: nothing to point the records at.
    NoAddress,
    /// `paas.toml` names the host, but the deployed Ingress does not route it.
    NotDeployed,
    /// A DNS server did not answer, so the host could not be checked.
    Unchecked,
    /// The authoritative servers have no record for the host.
    Missing,
    /// A CNAME sits beside other records at the host.
    CnameConflict,
    /// The record points elsewhere.
    WrongValue,
    /// The A records are right, but an AAAA record sends IPv6 clients elsewhere.
    StrayAaaa,
    /// A CAA record does not allow the certificate issuer's CA.
    CaaRefuses,
    /// The authoritative servers are right; resolvers still have an older answer cached.
    Propagating,
    /// Every server answers what the Ingress needs.
    Ok,
}

impl State {
    /// The name shown (and in JSON).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoAddress => "no-address",
            Self::NotDeployed => "not-deployed",
            Self::Unchecked => "unchecked",
            Self::Missing => "missing",
            Self::CnameConflict => "cname-conflict",
            Self::WrongValue => "wrong-value",
            Self::StrayAaaa => "stray-aaaa",
            Self::CaaRefuses => "caa-refuses",
            Self::Propagating => "propagating",
            Self::Ok => "ok",
        }
    }
}

/// One thing found about a host, with what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of problem (or `ok`).
    pub state: State,
    /// What was found, and what to do, in words.
    pub message: String,
}

/// The CA that issues the host's certificate, for the CAA check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuerCa {
    /// The issuer, as the Ingress's annotation names it.
    pub issuer: String,
    /// The CA's CAA domain (`letsencrypt.org`), when known.
    pub ca: Option<String>,
}

/// What the host's records should be, and whether it is deployed.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    /// The Ingress's address.
    pub address: &'a IngressAddress,
    /// The plan made from it.
    pub plan: &'a Plan,
    /// Whether the deployed Ingress routes the host.
    pub deployed: bool,
    /// The certificate issuer, when cert-manager issues the host's certificate.
    pub issuer: Option<&'a IssuerCa>,
}

/// Judges one answer against what the host needs. `None`: it is right.
fn judge(answer: &Answer, expected: &Expected<'_>, observed: &Observed) -> Option<Finding> {
    let host = &expected.plan.host;
    if answer.cname.is_some() && (!answer.addresses.is_empty() || !answer.other_types.is_empty()) {
        let mut others: Vec<String> = answer
            .addresses
            .iter()
            .map(|ip| if ip.is_ipv4() { "A" } else { "AAAA" }.to_owned())
            .chain(answer.other_types.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        others.dedup();
        let apex = if expected.plan.apex {
            " (at the apex, the zone's SOA and NS records are always there: a CNAME cannot be used)"
        } else {
            ""
        };
        return Some(Finding {
            state: State::CnameConflict,
            message: format!(
                "`{host}` has a CNAME to `{}` beside {} records{apex}; resolvers answer one or the other. Keep only {}",
                answer.cname.as_deref().unwrap_or_default(),
                others.join(", "),
                describe_records(expected.plan),
            ),
        });
    }
    if answer.is_empty() {
        return Some(Finding {
            state: State::Missing,
            message: format!("no record for `{host}` yet: {}", expected.plan.instruction),
        });
    }
    let want_ips: BTreeSet<IpAddr> = expected.address.ips.iter().copied().collect();
    if !want_ips.is_empty() {
        let got: BTreeSet<IpAddr> = if answer.addresses.is_empty() {
            answer.through_cname.iter().copied().collect()
        } else {
            answer.addresses.iter().copied().collect()
        };
        let (got4, got6): (BTreeSet<IpAddr>, BTreeSet<IpAddr>) =
            got.iter().partition(|ip| ip.is_ipv4());
        let (want4, want6): (BTreeSet<IpAddr>, BTreeSet<IpAddr>) =
            want_ips.iter().partition(|ip| ip.is_ipv4());
        let v4_right = got4 == want4;
        let v6_right = got6 == want6;
        if v4_right && v6_right {
            return None;
        }
        if v4_right && !want4.is_empty() && want6.is_empty() {
            let stray: Vec<IpAddr> = got6.into_iter().collect();
            return Some(Finding {
                state: State::StrayAaaa,
                message: format!(
                    "`{host}` has the right A record, but also an AAAA record to {}: IPv6 clients go there instead of the Ingress. Delete the AAAA record (the load balancer has no IPv6 address)",
                    join_ips(&stray)
                ),
            });
        }
        return Some(Finding {
            state: State::WrongValue,
            message: format!(
                "`{host}` points to {} instead of {}: {}",
                answer.describe(),
                join_ips(&want_ips.into_iter().collect::<Vec<_>>()),
                fix(expected.plan)
            ),
        });
    }
    // The load balancer is known by name.
    let target = expected.address.hostnames.first()?;
    let same_name = |name: &str| {
        name.trim_end_matches('.')
            .eq_ignore_ascii_case(target.trim_end_matches('.'))
    };
    if let Some(cname) = &answer.cname {
        if same_name(cname) {
            return None;
        }
        return Some(Finding {
            state: State::WrongValue,
            message: format!(
                "`{host}` is a CNAME to `{cname}` instead of `{target}`: {}",
                fix(expected.plan)
            ),
        });
    }
    // A records (or an ALIAS, which answers as A records) must match what the target resolves to.
    let got: BTreeSet<IpAddr> = answer.addresses.iter().copied().collect();
    let want: BTreeSet<IpAddr> = observed.target_addresses.iter().copied().collect();
    if !want.is_empty() && got == want {
        return None;
    }
    Some(Finding {
        state: State::WrongValue,
        message: format!(
            "`{host}` points to {} but `{target}` resolves to {}: {}",
            answer.describe(),
            if want.is_empty() {
                "no address".to_owned()
            } else {
                join_ips(&want.into_iter().collect::<Vec<_>>())
            },
            fix(expected.plan)
        ),
    })
}

fn describe_records(plan: &Plan) -> String {
    plan.records
        .iter()
        .map(|r| format!("the {} record", r.kind.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
        .join(" and ")
}

fn fix(plan: &Plan) -> String {
    let text = &plan.instruction;
    text.strip_prefix("create ")
        .map_or_else(|| text.clone(), |rest| format!("change it to {rest}"))
}

/// Classifies a host from what the servers said: every finding, worst first (one `ok`
/// finding when all is right).
#[must_use]
pub fn classify(expected: &Expected<'_>, observed: &Observed) -> Vec<Finding> {
    let host = &expected.plan.host;
    let mut findings = Vec::new();
    if !expected.deployed {
        findings.push(Finding {
            state: State::NotDeployed,
            message: format!(
                "`{host}` is in `paas.toml` but not on the deployed Ingress: run `paas up` to add it"
            ),
        });
    }
    if expected.address.is_empty() {
        findings.push(Finding {
            state: State::NoAddress,
            message: "the Ingress has no address yet: the ingress controller publishes one once it serves the Ingress (check that one runs for the Ingress's class)".to_owned(),
        });
        findings.sort_by_key(|f| f.state);
        return findings;
    }
    let answered: Vec<(&str, &Answer)> = observed
        .authoritative
        .iter()
        .filter_map(|s| match &s.reply {
            Reply::Answer(answer) => Some((s.server.as_str(), answer)),
            Reply::Failed(_) => None,
        })
        .collect();
    if let Some(why) = &observed.authoritative_missing {
        findings.push(Finding {
            state: State::Missing,
            message: format!("{why}: {}", expected.plan.instruction),
        });
    } else if answered.is_empty() {
        let why = observed
            .authoritative
            .iter()
            .map(|s| match &s.reply {
                Reply::Failed(why) => format!("{}: {why}", s.server),
                Reply::Answer(_) => String::new(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        findings.push(Finding {
            state: State::Unchecked,
            message: format!("no authoritative name server of `{host}` answered ({why})"),
        });
    } else {
        let (first_server, first) = answered[0];
        if let Some(finding) = judge(first, expected, observed) {
            findings.push(finding);
        } else {
            {
                // The authoritative servers are right; where do others lag?
                for (server, answer) in &answered[1..] {
                    if judge(answer, expected, observed).is_some() {
                        findings.push(Finding {
                            state: State::Propagating,
                            message: format!(
                                "name server {server} still answers {} ({first_server} has the new record): it gets the zone soon",
                                answer.describe()
                            ),
                        });
                    }
                }
                for resolver in &observed.resolvers {
                    match &resolver.reply {
                        Reply::Answer(answer) => {
                            if judge(answer, expected, observed).is_some() {
                                let how_long = answer.ttl.map_or_else(String::new, |ttl| {
                                    format!(", cached for up to {} more", seconds(ttl))
                                });
                                findings.push(Finding {
                                    state: State::Propagating,
                                    message: format!(
                                        "resolver {} still answers {}{how_long}; the authoritative servers are right",
                                        resolver.server,
                                        answer.describe()
                                    ),
                                });
                            }
                        }
                        Reply::Failed(why) => findings.push(Finding {
                            state: State::Unchecked,
                            message: format!("resolver {} did not answer: {why}", resolver.server),
                        }),
                    }
                }
            }
        }
    }
    if let (Some(issuer), Some(caa)) = (expected.issuer, &observed.caa)
        && caa.restricts
    {
        match &issuer.ca {
            Some(ca) if !caa.issuers.iter().any(|i| i.eq_ignore_ascii_case(ca)) => {
                let allowed = if caa.issuers.is_empty() {
                    "no CA".to_owned()
                } else {
                    caa.issuers
                        .iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                findings.push(Finding {
                    state: State::CaaRefuses,
                    message: format!(
                        "the CAA records at `{}` allow only {allowed}, so issuer `{}` (CA `{ca}`) cannot get a certificate for `{host}`: add a CAA record `{}` `0 issue \"{ca}\"`",
                        caa.at, issuer.issuer, caa.at
                    ),
                });
            }
            _ => {}
        }
    }
    if findings.is_empty() {
        findings.push(Finding {
            state: State::Ok,
            message: format!("`{host}` resolves to the Ingress everywhere"),
        });
    }
    findings.sort_by_key(|f| f.state);
    findings
}

/// `90s`, `5m`, `2h 5m`.
fn seconds(ttl: u32) -> String {
    match ttl {
        0..=119 => format!("{ttl}s"),
        120..=7199 => format!("{}m", ttl / 60),
        _ => format!("{}h {}m", ttl / 3600, ttl % 3600 / 60),
    }
}

/// Maps an ACME server URL to the domain its CA checks CAA records for.
#[must_use]
pub fn acme_ca(server: &str) -> Option<String> {
    let host = server
        .split("://")
        .nth(1)
        .unwrap_or(server)
        .split(['/', ':'])
        .next()?
        .to_ascii_lowercase();
    let known = [
        ("letsencrypt.org", "letsencrypt.org"),
        ("zerossl.com", "sectigo.com"),
        ("sectigo.com", "sectigo.com"),
        ("pki.goog", "pki.goog"),
        ("buypass.com", "buypass.com"),
        ("buypass.no", "buypass.com"),
        ("digicert.com", "digicert.com"),
        ("ssl.com", "ssl.com"),
    ];
    for (suffix, ca) in known {
        if host == suffix || host.ends_with(&format!(".{suffix}")) {
            return Some(ca.to_owned());
        }
    }
    registered_domain(&host)
}

/// Parses the value of a CAA `issue` record to the CA's domain: `letsencrypt.org;
/// validationmethods=dns-01` → `letsencrypt.org`; `;` → none.
#[must_use]
pub fn caa_issuer(value: &str) -> Option<String> {
    let domain = value.split(';').next()?.trim();
    (!domain.is_empty()).then(|| domain.trim_end_matches('.').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an IP")
    }

    #[test]
    fn the_public_suffix_list_finds_the_apex() {
        assert!(is_apex("example.com"));
        assert!(!is_apex("www.example.com"));
        assert!(is_apex("shop.co.uk"));
        assert!(!is_apex("api.shop.co.uk"));
        assert!(!is_apex("co.uk"));
        assert_eq!(
            registered_domain("a.b.shop.co.uk").as_deref(),
            Some("shop.co.uk")
        );
        // A private suffix: each user's domain is an apex of its own.
        assert!(is_apex("team.github.io"));
        // Unknown top-level domains follow the default rule: one label plus the TLD.
        assert!(is_apex("dns-ok.test"));
    }

    #[test]
    fn www_pairs_the_apex_and_its_www_host() {
        assert_eq!(www_pair("example.com").as_deref(), Some("www.example.com"));
        assert_eq!(www_pair("www.example.com").as_deref(), Some("example.com"));
        assert_eq!(www_pair("api.example.com"), None);
        assert_eq!(www_pair("www.api.example.com"), None);
        let hosts = vec![
            "www.shop.co.uk".to_owned(),
            "api.shop.co.uk".to_owned(),
            "shop.co.uk".to_owned(),
            "example.org".to_owned(),
        ];
        assert_eq!(
            pair_www(&hosts),
            [
                "www.shop.co.uk",
                "shop.co.uk",
                "api.shop.co.uk",
                "example.org",
                "www.example.org"
            ]
        );
    }

    fn by_ip(ips: &[&str]) -> IngressAddress {
        IngressAddress {
            ips: ips.iter().map(|i| ip(i)).collect(),
            hostnames: Vec::new(),
        }
    }

    fn by_name(name: &str) -> IngressAddress {
        IngressAddress {
            ips: Vec::new(),
            hostnames: vec![name.to_owned()],
        }
    }

    #[test]
    fn records_are_planned_in_words() {
        let cases = [
            plan("shop.example.com", &by_ip(&["203.0.113.10"])),
            plan("example.com", &by_ip(&["203.0.113.10", "2001:db8::10"])),
            plan(
                "shop.example.com",
                &by_ip(&["203.0.113.10", "203.0.113.11"]),
            ),
            plan("www.shop.example.com", &by_name("lb-1.elb.example.net")),
            plan("example.com", &by_name("lb-1.elb.example.net")),
            plan("example.com", &IngressAddress::default()),
        ];
        let text: Vec<String> = cases.iter().map(|p| p.instruction.clone()).collect();
        insta::assert_snapshot!(text.join("\n"), @r"
        create an A record `shop.example.com` → `203.0.113.10`
        create an A record `example.com` → `203.0.113.10` and an AAAA record `example.com` → `2001:db8::10` (the domain's apex)
        create A records `shop.example.com` → `203.0.113.10`, `203.0.113.11`
        create a CNAME record `www.shop.example.com` → `lb-1.elb.example.net`
        `example.com` is the domain's apex, where a CNAME is not allowed: create an ALIAS (or ANAME) record `example.com` → `lb-1.elb.example.net` if your DNS provider has one (some call it CNAME flattening), else A records to the addresses `lb-1.elb.example.net` resolves to (they may change)
        wait for the ingress controller to give the Ingress an address
        ");
        assert_eq!(cases[4].records[0].kind, RecordType::ALIAS);
        assert_eq!(cases[3].records[0].kind, RecordType::CNAME);
    }

    fn answer(cname: Option<&str>, ips: &[&str]) -> Answer {
        Answer {
            cname: cname.map(str::to_owned),
            addresses: if cname.is_some() {
                Vec::new()
            } else {
                ips.iter().map(|i| ip(i)).collect()
            },
            through_cname: if cname.is_some() {
                ips.iter().map(|i| ip(i)).collect()
            } else {
                Vec::new()
            },
            ttl: Some(300),
            ..Answer::default()
        }
    }

    fn observed(auth: Answer, resolver: Answer) -> Observed {
        Observed {
            authoritative: vec![ServerReply {
                server: "ns1".into(),
                reply: Reply::Answer(auth),
            }],
            resolvers: vec![ServerReply {
                server: "r1".into(),
                reply: Reply::Answer(resolver),
            }],
            ..Observed::default()
        }
    }

    fn states(host: &str, address: &IngressAddress, observed: &Observed) -> Vec<State> {
        let plan = plan(host, address);
        let expected = Expected {
            address,
            plan: &plan,
            deployed: true,
            issuer: None,
        };
        classify(&expected, observed)
            .into_iter()
            .map(|f| f.state)
            .collect()
    }

    #[test]
    fn each_state_is_told_apart() {
        let lb = by_ip(&["203.0.113.10"]);
        let right = answer(None, &["203.0.113.10"]);
        let old = answer(None, &["198.51.100.7"]);
        assert_eq!(
            states(
                "a.example.com",
                &lb,
                &observed(right.clone(), right.clone())
            ),
            [State::Ok]
        );
        assert_eq!(
            states("a.example.com", &lb, &observed(right.clone(), old.clone())),
            [State::Propagating]
        );
        assert_eq!(
            states(
                "a.example.com",
                &lb,
                &observed(right.clone(), Answer::default())
            ),
            [State::Propagating]
        );
        assert_eq!(
            states("a.example.com", &lb, &observed(old.clone(), old)),
            [State::WrongValue]
        );
        assert_eq!(
            states(
                "a.example.com",
                &lb,
                &observed(Answer::default(), Answer::default())
            ),
            [State::Missing]
        );
        let stray = answer(None, &["203.0.113.10", "2001:db8::99"]);
        assert_eq!(
            states("a.example.com", &lb, &observed(stray.clone(), stray)),
            [State::StrayAaaa]
        );
        // With an IPv6 address on the load balancer, a missing AAAA is a wrong value.
        let dual = by_ip(&["203.0.113.10", "2001:db8::10"]);
        assert_eq!(
            states(
                "a.example.com",
                &dual,
                &observed(right.clone(), right.clone())
            ),
            [State::WrongValue]
        );
        let mut conflict = answer(Some("lb.example.net"), &[]);
        conflict.addresses = vec![ip("203.0.113.10")];
        assert_eq!(
            states(
                "a.example.com",
                &by_name("lb.example.net"),
                &observed(conflict.clone(), conflict)
            ),
            [State::CnameConflict]
        );
        assert_eq!(
            states(
                "a.example.com",
                &IngressAddress::default(),
                &Observed::default()
            ),
            [State::NoAddress]
        );
    }

    #[test]
    fn a_host_name_target_takes_a_cname_or_matching_addresses() {
        let lb = by_name("lb.example.net");
        let cname = answer(Some("lb.example.net."), &["203.0.113.10"]);
        assert_eq!(
            states("www.example.com", &lb, &observed(cname.clone(), cname)),
            [State::Ok]
        );
        let other = answer(Some("old-lb.example.net"), &["198.51.100.7"]);
        assert_eq!(
            states("www.example.com", &lb, &observed(other.clone(), other)),
            [State::WrongValue]
        );
        // At the apex, flattening answers with the target's addresses.
        let mut flat = observed(
            answer(None, &["203.0.113.10"]),
            answer(None, &["203.0.113.10"]),
        );
        flat.target_addresses = vec![ip("203.0.113.10")];
        assert_eq!(states("example.com", &lb, &flat), [State::Ok]);
    }

    #[test]
    fn a_caa_set_without_the_issuers_ca_refuses_it() {
        let lb = by_ip(&["203.0.113.10"]);
        let right = answer(None, &["203.0.113.10"]);
        let plan = plan("a.example.com", &lb);
        let issuer = IssuerCa {
            issuer: "letsencrypt-prod".into(),
            ca: Some("letsencrypt.org".into()),
        };
        let mut seen = observed(right.clone(), right);
        seen.caa = Some(Caa {
            at: "example.com".into(),
            issuers: vec!["sectigo.com".into()],
            restricts: true,
        });
        let expected = Expected {
            address: &lb,
            plan: &plan,
            deployed: true,
            issuer: Some(&issuer),
        };
        let findings = classify(&expected, &seen);
        assert_eq!(findings[0].state, State::CaaRefuses);
        assert!(
            findings[0].message.contains("0 issue \"letsencrypt.org\""),
            "{}",
            findings[0].message
        );
        seen.caa = Some(Caa {
            at: "example.com".into(),
            issuers: vec!["letsencrypt.org".into()],
            restricts: true,
        });
        assert_eq!(classify(&expected, &seen)[0].state, State::Ok);
    }

    #[test]
    fn acme_servers_map_to_their_caa_domain() {
        assert_eq!(
            acme_ca("https://acme-v02.api.letsencrypt.org/directory").as_deref(),
            Some("letsencrypt.org")
        );
        assert_eq!(
            acme_ca("https://acme-staging-v02.api.letsencrypt.org/directory").as_deref(),
            Some("letsencrypt.org")
        );
        assert_eq!(
            acme_ca("https://acme.zerossl.com/v2/DV90").as_deref(),
            Some("sectigo.com")
        );
        assert_eq!(
            acme_ca("https://dv.acme-v02.api.pki.goog/directory").as_deref(),
            Some("pki.goog")
        );
        assert_eq!(
            caa_issuer("letsencrypt.org; validationmethods=dns-01").as_deref(),
            Some("letsencrypt.org")
        );
        assert_eq!(caa_issuer(";"), None);
    }
}
