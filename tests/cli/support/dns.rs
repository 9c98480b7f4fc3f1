//! Real DNS servers on 127.0.0.0/8 for the `paas domains` tests: an authoritative server (NSD,
//! or Unbound's `auth-zone` for zone data NSD refuses to load) and a recursive Unbound that
//! reaches it through a stub zone and refuses every other name, so no query leaves the machine.
//!
//! Each [`DnsLab`] gets its own pair of addresses `127.53.N.1` (authoritative) and `127.53.N.2`
//! (resolver), both on port 53, so tests run side by side. The test writes the zone's records;
//! [`DnsLab::set_records`] rewrites them and restarts the authoritative server, while the
//! resolver keeps what it cached: that is how a test makes a change "propagate".
//!
//! Without `nsd` or `unbound` on `PATH` [`DnsLab::start`] prints one `skipped: …` line and
//! returns `None`; with `PAAS_TEST_REQUIRE_PLATFORM=1` that is a panic instead.

#![allow(dead_code)]

use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

/// Which program serves the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Authoritative {
    /// NSD, as most tests use.
    Nsd,
    /// Unbound's `auth-zone`, which loads a CNAME beside other records (NSD refuses to).
    UnboundAuthZone,
}

/// An authoritative server for one zone and a recursive resolver in front of it.
pub(crate) struct DnsLab {
    dir: tempfile::TempDir,
    /// The zone, such as `shop.test`.
    pub(crate) zone: String,
    /// The authoritative server's address (port 53).
    pub(crate) authoritative_ip: String,
    /// The resolver, `127.53.N.2:53`: what `PAAS_DNS_RESOLVERS` names.
    pub(crate) resolver: String,
    kind: Authoritative,
    serial: u32,
    records: String,
    auth: Option<Child>,
    recursive: Option<Child>,
}

const SKIP: &str = "skipped: needs `nsd` and `unbound` (Debian packages nsd, unbound): tests/test-all.sh installs them";

/// Whether the DNS servers are installed; prints the skip line when not (and panics instead with
/// `PAAS_TEST_REQUIRE_PLATFORM=1`).
#[allow(clippy::print_stderr)]
pub(crate) fn dns_servers_present() -> bool {
    let found = |name: &str| {
        std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| dir.join(name).is_file())
                || Path::new("/usr/sbin").join(name).is_file()
        })
    };
    let present = found("nsd") && found("unbound");
    if !present {
        let required = std::env::var("PAAS_TEST_REQUIRE_PLATFORM").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "PAAS_TEST_REQUIRE_PLATFORM=1 but the DNS servers are missing: {SKIP}"
        );
        eprintln!("{SKIP}");
    }
    present
}

fn program(name: &str) -> PathBuf {
    let sbin = Path::new("/usr/sbin").join(name);
    if sbin.is_file() {
        sbin
    } else {
        PathBuf::from(name)
    }
}

/// A fresh `N` for `127.53.N.x`, different for each lab of this process (and, by the process
/// id, likely from a concurrent run's).
fn next_subnet() -> u8 {
    static NEXT: AtomicU8 = AtomicU8::new(0);
    let base = u8::try_from(std::process::id() % 100).unwrap_or(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    1 + (base.wrapping_add(n.wrapping_mul(7)) % 250)
}

impl DnsLab {
    /// Starts the servers for `zone` with `records` (zone-file lines relative to the zone,
    /// such as `www 300 A 203.0.113.10`); the SOA, NS and the name server's A record are added.
    pub(crate) fn start(zone: &str, records: &str, kind: Authoritative) -> Option<Self> {
        if !dns_servers_present() {
            return None;
        }
        let n = next_subnet();
        let mut lab = Self {
            dir: tempfile::tempdir().expect("a temp dir"),
            zone: zone.to_owned(),
            authoritative_ip: format!("127.53.{n}.1"),
            resolver: format!("127.53.{n}.2:53"),
            kind,
            serial: 1,
            records: records.to_owned(),
            auth: None,
            recursive: None,
        };
        lab.write_zone();
        lab.start_authoritative();
        lab.start_recursive();
        Some(lab)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write_zone(&self) {
        let text = format!(
            "$ORIGIN {zone}.\n$TTL 3600\n@ 3600 SOA ns1 hostmaster {serial} 3600 600 86400 3600\n@ 3600 NS ns1\nns1 3600 A {ip}\n{records}\n",
            zone = self.zone,
            serial = self.serial,
            ip = self.authoritative_ip,
            records = self.records
        );
        fs_err::write(self.path("zone"), text).expect("the zone file");
    }

    /// Replaces the zone's records and restarts the authoritative server; the resolver keeps its
    /// cache.
    pub(crate) fn set_records(&mut self, records: &str) {
        records.clone_into(&mut self.records);
        self.serial += 1;
        self.write_zone();
        if let Some(child) = self.auth.take() {
            stop(child);
        }
        self.start_authoritative();
    }

    fn start_authoritative(&mut self) {
        let dir = self.dir.path().display().to_string();
        let ip = &self.authoritative_ip;
        let child = match self.kind {
            Authoritative::Nsd => {
                let config = format!(
                    "server:\n  ip-address: {ip}\n  port: 53\n  username: \"\"\n  chroot: \"\"\n  zonesdir: \"{dir}\"\n  database: \"\"\n  pidfile: \"{dir}/nsd.pid\"\n  xfrdfile: \"{dir}/xfrd.state\"\n  zonelistfile: \"{dir}/zone.list\"\n  logfile: \"{dir}/nsd.log\"\n  server-count: 1\n  verbosity: 1\nremote-control:\n  control-enable: no\nzone:\n  name: {zone}\n  zonefile: zone\n",
                    zone = self.zone
                );
                fs_err::write(self.path("nsd.conf"), config).expect("nsd.conf");
                Command::new(program("nsd"))
                    .args(["-d", "-c"])
                    .arg(self.path("nsd.conf"))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("nsd starts")
            }
            Authoritative::UnboundAuthZone => {
                let config = format!(
                    "server:\n  interface: {ip}\n  port: 53\n  username: \"\"\n  chroot: \"\"\n  directory: \"{dir}\"\n  pidfile: \"{dir}/auth.pid\"\n  use-syslog: no\n  logfile: \"{dir}/auth.log\"\n  module-config: \"iterator\"\n  num-threads: 1\n  do-ip6: no\n  access-control: 127.0.0.0/8 allow\n  local-zone: \"test.\" nodefault\nauth-zone:\n  name: \"{zone}\"\n  zonefile: \"{dir}/zone\"\n  for-downstream: yes\n  for-upstream: no\n",
                    zone = self.zone
                );
                fs_err::write(self.path("auth.conf"), config).expect("auth.conf");
                Command::new(program("unbound"))
                    .args(["-d", "-c"])
                    .arg(self.path("auth.conf"))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("unbound starts")
            }
        };
        self.auth = Some(child);
        let log = match self.kind {
            Authoritative::Nsd => "nsd.log",
            Authoritative::UnboundAuthZone => "auth.log",
        };
        wait_for_zone(&format!("{ip}:53"), &self.zone, &self.path(log));
    }

    fn start_recursive(&mut self) {
        let dir = self.dir.path().display().to_string();
        let (ip, _) = self.resolver.split_once(':').expect("ip:port");
        // Every name but the lab's zone is refused, so nothing is asked outside 127.53.N.1.
        let config = format!(
            "server:\n  interface: {ip}\n  port: 53\n  username: \"\"\n  chroot: \"\"\n  directory: \"{dir}\"\n  pidfile: \"{dir}/unbound.pid\"\n  use-syslog: no\n  logfile: \"{dir}/unbound.log\"\n  module-config: \"iterator\"\n  do-not-query-localhost: no\n  do-ip6: no\n  num-threads: 1\n  qname-minimisation: no\n  access-control: 127.0.0.0/8 allow\n  local-zone: \".\" refuse\n  local-zone: \"test.\" nodefault\n  local-zone: \"{zone}.\" transparent\nstub-zone:\n  name: \"{zone}.\"\n  stub-addr: {auth}\n  stub-prime: no\n",
            zone = self.zone,
            auth = self.authoritative_ip
        );
        fs_err::write(self.path("unbound.conf"), config).expect("unbound.conf");
        let child = Command::new(program("unbound"))
            .args(["-d", "-c"])
            .arg(self.path("unbound.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("unbound starts");
        self.recursive = Some(child);
        wait_for_zone(&self.resolver, &self.zone, &self.path("unbound.log"));
    }
}

/// Waits until the server on `address` answers the zone's SOA (NOERROR with an answer), or
/// panics with its log: a server may listen before it has loaded the zone.
fn wait_for_zone(address: &str, zone: &str, log: &Path) {
    let address: SocketAddr = address.parse().expect("an address");
    let socket = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("a timeout");
    // A query: id, flags (recursion desired), one question, SOA, class IN.
    let mut query = vec![0x51, 0x7a, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in zone.split('.') {
        query.push(u8::try_from(label.len()).expect("a short label"));
        query.extend_from_slice(label.as_bytes());
    }
    query.extend_from_slice(&[0, 0, 6, 0, 1]);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let mut reply = [0u8; 512];
        if socket.send_to(&query, address).is_ok()
            && let Ok((n, _)) = socket.recv_from(&mut reply)
            && n >= 12
            && reply[3].trailing_zeros() >= 4
            && u16::from_be_bytes([reply[6], reply[7]]) > 0
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the DNS server on {address} did not serve `{zone}` within 15s; log: {}",
            fs_err::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Stops a server we started, by its pid, with SIGTERM: NSD then stops its own children too
/// (SIGKILL would leave them holding the port).
fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for DnsLab {
    fn drop(&mut self) {
        for child in [self.auth.take(), self.recursive.take()]
            .into_iter()
            .flatten()
        {
            stop(child);
        }
    }
}
