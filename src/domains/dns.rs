//! Asking DNS servers about a host, with hickory-resolver: the configured (public) resolvers,
//! and the zone's authoritative servers, found from the zone's NS records. Each check makes
//! fresh resolvers, so nothing is answered from paas's own cache. Nothing here prints.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};

use super::plan::{self, Answer, Caa, Observed, Reply, ServerReply};

/// The resolvers used when none are configured: Cloudflare's, Google's and Quad9's.
pub const DEFAULT_RESOLVERS: [&str; 3] = ["1.1.1.1:53", "8.8.8.8:53", "9.9.9.9:53"];

/// Where and how to ask.
#[derive(Debug, Clone)]
pub struct DnsSettings {
    /// The public (recursive) resolvers to compare.
    pub resolvers: Vec<SocketAddr>,
    /// How long one query may take.
    pub timeout: Duration,
}

/// Why the DNS check could not start.
#[derive(Debug, thiserror::Error)]
pub enum DnsCheckError {
    /// A resolver could not be set up.
    #[error("failed to set up a DNS resolver for `{server}`")]
    Resolver {
        /// The server.
        server: SocketAddr,
        /// The cause.
        #[source]
        source: NetError,
    },
}

/// A zone's authoritative servers (name, address), or why they were not found.
type Servers = Result<Vec<(String, IpAddr)>, String>;

/// One round of checks: resolvers made fresh, shared by the hosts of the round.
pub struct Round {
    resolvers: Vec<(SocketAddr, TokioResolver)>,
    timeout: Duration,
    /// The authoritative servers of each zone, found once per round.
    zones: tokio::sync::Mutex<BTreeMap<String, Servers>>,
}

fn resolver(
    server: SocketAddr,
    timeout: Duration,
    recursion: bool,
) -> Result<TokioResolver, DnsCheckError> {
    let mut udp = ConnectionConfig::udp();
    udp.port = server.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = server.port();
    let config = ResolverConfig::from_name_servers(vec![NameServerConfig::new(
        server.ip(),
        true,
        vec![udp, tcp],
    )]);
    let mut options = ResolverOpts::default();
    options.timeout = timeout;
    options.attempts = 1;
    options.ndots = 0;
    options.use_hosts_file = ResolveHosts::Never;
    options.recursion_desired = recursion;
    options.preserve_intermediates = true;
    options.cache_size = if recursion { 256 } else { 0 };
    Resolver::builder_with_config(config, TokioRuntimeProvider::default())
        .with_options(options)
        .build()
        .map_err(|source| DnsCheckError::Resolver { server, source })
}

fn fqdn(host: &str) -> Option<Name> {
    let text = if host.ends_with('.') {
        host.to_owned()
    } else {
        format!("{host}.")
    };
    Name::from_ascii(&text).ok()
}

fn name_text(name: &Name) -> String {
    name.to_ascii().trim_end_matches('.').to_ascii_lowercase()
}

fn same(name: &Name, host: &str) -> bool {
    name_text(name) == host.trim_end_matches('.').to_ascii_lowercase()
}

/// What one query found: the records, or no records (with the negative TTL), or a failure.
enum Found {
    Records(Vec<hickory_resolver::proto::rr::Record>),
    Nothing {
        ttl: Option<u32>,
        zone: Option<String>,
    },
    Failed(String),
}

async fn query(resolver: &TokioResolver, host: &str, kind: RecordType) -> Found {
    let Some(name) = fqdn(host) else {
        return Found::Failed(format!("`{host}` is not a DNS name"));
    };
    match resolver.lookup(name, kind).await {
        Ok(lookup) => Found::Records(lookup.answers().to_vec()),
        Err(NetError::Dns(DnsError::NoRecordsFound(none))) => Found::Nothing {
            ttl: none.negative_ttl,
            zone: none.soa.as_ref().map(|soa| name_text(&soa.name)),
        },
        Err(NetError::Timeout) => Found::Failed("no answer (timed out)".to_owned()),
        Err(NetError::Dns(DnsError::ResponseCode(code))) => {
            Found::Failed(format!("answered {code}"))
        }
        Err(err) => Found::Failed(err.to_string()),
    }
}

/// Asks one server what `host` is: its CNAME, the addresses at the host and through the CNAME,
/// and, beside a CNAME, what else is there.
async fn answer(resolver: &TokioResolver, host: &str, apex: bool) -> Reply {
    let (cname, a, aaaa) = tokio::join!(
        query(resolver, host, RecordType::CNAME),
        query(resolver, host, RecordType::A),
        query(resolver, host, RecordType::AAAA),
    );
    let mut answer = Answer::default();
    let mut ttls = Vec::new();
    let mut failures = Vec::new();
    let mut negative = Vec::new();
    for found in [cname, a, aaaa] {
        match found {
            Found::Records(records) => {
                for record in records {
                    let at_host = same(&record.name, host);
                    match record.data {
                        RData::CNAME(target) if at_host => {
                            answer.cname = Some(name_text(&target.0));
                            ttls.push(record.ttl);
                        }
                        RData::A(a) if at_host => {
                            push(&mut answer.addresses, IpAddr::V4(a.0));
                            ttls.push(record.ttl);
                        }
                        RData::AAAA(a) if at_host => {
                            push(&mut answer.addresses, IpAddr::V6(a.0));
                            ttls.push(record.ttl);
                        }
                        RData::A(a) => push(&mut answer.through_cname, IpAddr::V4(a.0)),
                        RData::AAAA(a) => push(&mut answer.through_cname, IpAddr::V6(a.0)),
                        _ => {}
                    }
                }
            }
            Found::Nothing { ttl, .. } => negative.extend(ttl),
            Found::Failed(why) => failures.push(why),
        }
    }
    if answer.is_empty() && !failures.is_empty() {
        failures.dedup();
        return Reply::Failed(failures.join("; "));
    }
    if answer.cname.is_some() && apex {
        // The apex always holds the zone's SOA and NS records.
        answer.other_types = vec!["NS".to_owned(), "SOA".to_owned()];
    }
    answer.ttl = ttls.into_iter().min().or_else(|| {
        if answer.is_empty() {
            negative.into_iter().min()
        } else {
            None
        }
    });
    Reply::Answer(answer)
}

fn push(list: &mut Vec<IpAddr>, ip: IpAddr) {
    if !list.contains(&ip) {
        list.push(ip);
    }
}

impl Round {
    /// Makes the resolvers of one round.
    pub fn new(settings: &DnsSettings) -> Result<Self, DnsCheckError> {
        let resolvers = settings
            .resolvers
            .iter()
            .map(|&server| Ok((server, resolver(server, settings.timeout, true)?)))
            .collect::<Result<Vec<_>, DnsCheckError>>()?;
        Ok(Self {
            resolvers,
            timeout: settings.timeout,
            zones: tokio::sync::Mutex::default(),
        })
    }

    /// Asks the resolvers, in order, until one answers.
    async fn ask(&self, host: &str, kind: RecordType) -> Found {
        let mut last = Found::Failed("no resolver is configured".to_owned());
        for (_, resolver) in &self.resolvers {
            match query(resolver, host, kind).await {
                Found::Failed(why) => last = Found::Failed(why),
                found => return found,
            }
        }
        last
    }

    /// Finds the zone `host` is in, by its SOA record.
    async fn zone_of(&self, host: &str) -> Result<String, String> {
        let mut name = host.trim_end_matches('.').to_ascii_lowercase();
        // A resolver that cannot follow a CNAME fails the SOA query of the host; its parent
        // still tells the zone.
        let mut first_failure = None;
        loop {
            match self.ask(&name, RecordType::SOA).await {
                Found::Records(records) => {
                    if let Some(soa) = records.iter().find(|r| matches!(r.data, RData::SOA(_))) {
                        let owner = name_text(&soa.name);
                        if owner == name {
                            return Ok(owner);
                        }
                    }
                }
                Found::Nothing {
                    zone: Some(zone), ..
                } => return Ok(zone),
                Found::Nothing { zone: None, .. } => {}
                Found::Failed(why) => {
                    first_failure.get_or_insert(why);
                }
            }
            // A CNAME (or an answer without the SOA): look one label up.
            match name.split_once('.') {
                Some((_, parent)) if parent.contains('.') => name = parent.to_owned(),
                _ => {
                    return Err(first_failure.map_or_else(
                        || format!("no zone holds `{host}`"),
                        |why| format!("the resolvers did not say which zone `{host}` is in: {why}"),
                    ));
                }
            }
        }
    }

    /// Returns the authoritative servers of the zone `host` is in: name and address.
    async fn authoritative(&self, host: &str) -> Result<Vec<(String, IpAddr)>, String> {
        let zone = self.zone_of(host).await?;
        if let Some(known) = self.zones.lock().await.get(&zone) {
            return known.clone();
        }
        let found = self.name_servers(host, &zone).await;
        self.zones.lock().await.insert(zone, found.clone());
        found
    }

    async fn name_servers(&self, host: &str, zone: &str) -> Result<Vec<(String, IpAddr)>, String> {
        if let Some(domain) = plan::registered_domain(host)
            && zone.len() < domain.len()
        {
            return Err(format!(
                "the domain `{domain}` has no name servers (is it registered, and delegated to a DNS provider?)"
            ));
        }
        let names: Vec<String> = match self.ask(zone, RecordType::NS).await {
            Found::Records(records) => records
                .iter()
                .filter_map(|r| match &r.data {
                    RData::NS(ns) => Some(name_text(&ns.0)),
                    _ => None,
                })
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            Found::Nothing { .. } => Vec::new(),
            Found::Failed(why) => {
                return Err(format!(
                    "the resolvers did not give the name servers of `{zone}`: {why}"
                ));
            }
        };
        if names.is_empty() {
            return Err(format!("the zone `{zone}` has no NS records"));
        }
        let mut servers = Vec::new();
        for ns in names {
            for kind in [RecordType::A, RecordType::AAAA] {
                if let Found::Records(records) = self.ask(&ns, kind).await {
                    for record in records {
                        match record.data {
                            RData::A(a) => servers.push((ns.clone(), IpAddr::V4(a.0))),
                            RData::AAAA(a) => servers.push((ns.clone(), IpAddr::V6(a.0))),
                            _ => {}
                        }
                    }
                }
            }
        }
        if servers.is_empty() {
            return Err(format!(
                "the name servers of `{zone}` have no addresses the resolvers know"
            ));
        }
        Ok(servers)
    }

    /// What every server says about `host`; `target` is the Ingress's host name, if it has one
    /// and no IP, and `caa` asks for the CAA records that apply.
    pub async fn observe(&self, host: &str, target: Option<&str>, caa: bool) -> Observed {
        let apex = plan::is_apex(host);
        let resolvers = futures_util::future::join_all(self.resolvers.iter().map(
            |(server, resolver)| async move {
                ServerReply {
                    server: server.to_string(),
                    reply: answer(resolver, host, apex).await,
                }
            },
        ));
        let authoritative = async {
            match self.authoritative(host).await {
                Ok(servers) => {
                    let replies = futures_util::future::join_all(servers.into_iter().map(
                        |(name, ip)| async move {
                            let server = format!("{name} ({ip})");
                            let reply = match resolver(SocketAddr::new(ip, 53), self.timeout, false)
                            {
                                Ok(resolver) => answer(&resolver, host, apex).await,
                                Err(err) => Reply::Failed(err.to_string()),
                            };
                            ServerReply { server, reply }
                        },
                    ))
                    .await;
                    (replies, None)
                }
                Err(why) => (Vec::new(), Some(why)),
            }
        };
        let target_addresses = async {
            let Some(target) = target else {
                return Vec::new();
            };
            let mut ips = Vec::new();
            for kind in [RecordType::A, RecordType::AAAA] {
                if let Found::Records(records) = self.ask(target, kind).await {
                    for record in records {
                        match record.data {
                            RData::A(a) => push(&mut ips, IpAddr::V4(a.0)),
                            RData::AAAA(a) => push(&mut ips, IpAddr::V6(a.0)),
                            _ => {}
                        }
                    }
                }
            }
            ips
        };
        let caa_set = async { if caa { self.caa(host).await } else { None } };
        let (resolvers, (authoritative, authoritative_missing), target_addresses, caa) =
            tokio::join!(resolvers, authoritative, target_addresses, caa_set);
        Observed {
            authoritative,
            authoritative_missing,
            resolvers,
            target_addresses,
            caa,
        }
    }

    /// The CAA set that applies to `host`: the first found from the host up to its domain.
    async fn caa(&self, host: &str) -> Option<Caa> {
        let domain = plan::registered_domain(host)?;
        let mut name = host.trim_end_matches('.').to_ascii_lowercase();
        loop {
            if let Found::Records(records) = self.ask(&name, RecordType::CAA).await {
                let mut issuers = Vec::new();
                let mut restricts = false;
                for record in &records {
                    if let RData::CAA(caa) = &record.data
                        && caa.tag.eq_ignore_ascii_case("issue")
                    {
                        restricts = true;
                        if let Some(ca) = plan::caa_issuer(&String::from_utf8_lossy(&caa.value)) {
                            issuers.push(ca);
                        }
                    }
                }
                if records.iter().any(|r| matches!(r.data, RData::CAA(_))) {
                    return Some(Caa {
                        at: name,
                        issuers,
                        restricts,
                    });
                }
            }
            if name == domain {
                return None;
            }
            name = name.split_once('.')?.1.to_owned();
        }
    }
}
