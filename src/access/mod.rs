//! Who may call whom: the access rules of `[access]` (rendered as `NetworkPolicy` objects by the
//! templates), what `paas up` finds in the cluster for them ([`discover`]), the audit view of a
//! namespace ([`audit`]) and the probe that checks the cluster enforces them ([`check`]).
//! [`rules`] is the one reading of what a policy lets through.

pub mod audit;
pub mod check;
pub mod discover;
pub mod rules;

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

use crate::manifests::{DnsValues, EgressBlock, EgressValues};
use crate::names;

/// An entry of `[access] egress` that is neither an app name nor an address block.
#[derive(Debug, thiserror::Error)]
#[error("`{entry}` in `[access] egress` is not an app name or an address block: {reason}")]
pub struct EgressError {
    /// The entry (control characters escaped).
    pub entry: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Reads `[access] egress`: app names, and address blocks with an optional TCP port
/// (`10.0.0.0/8`, `203.0.113.7/32:443`, `[2001:db8::/32]:443`). The DNS rule is kube-dns's
/// until [`discover`] finds better.
///
/// # Errors
///
/// An entry that is neither.
pub fn egress_values(entries: &[String]) -> Result<EgressValues, EgressError> {
    let mut values = EgressValues {
        apps: Vec::new(),
        blocks: Vec::new(),
        dns: DnsValues::default(),
    };
    for entry in entries {
        let fail = |reason: &str| EgressError {
            entry: names::shown(entry),
            reason: reason.to_owned(),
        };
        if !entry.contains('/') {
            names::check_app_name(entry).map_err(|_| {
                fail("an app name is a DNS label such as `billing`; a block needs its prefix, such as `203.0.113.7/32`")
            })?;
            values.apps.push(entry.clone());
            continue;
        }
        let (cidr, port) = split_port(entry)
            .ok_or_else(|| fail("the port after `:` must be a number from 1 to 65535"))?;
        let net = IpNet::from_str(cidr).map_err(|_| {
            fail("expected an address block such as `203.0.113.0/24` or `2001:db8::/32`")
        })?;
        if net.prefix_len() == 0 {
            return Err(fail(
                "that is every address: leave `egress` out to not restrict outgoing calls",
            ));
        }
        if net.trunc() != net {
            return Err(fail(&format!(
                "the address has bits beyond its prefix; did you mean `{}`?",
                net.trunc()
            )));
        }
        values.blocks.push(EgressBlock {
            cidr: net.to_string(),
            port,
        });
    }
    Ok(values)
}

/// Splits `block[:port]` (an IPv6 block with a port in brackets): none when the port is not a
/// number in range.
fn split_port(entry: &str) -> Option<(&str, Option<u16>)> {
    let (cidr, port) = if let Some(rest) = entry.strip_prefix('[') {
        let (cidr, after) = rest.split_once(']')?;
        match after.strip_prefix(':') {
            Some(port) => (cidr, Some(port)),
            None if after.is_empty() => (cidr, None),
            None => return None,
        }
    } else if entry.matches(':').count() == 1 && IpAddr::from_str(entry.split('/').next()?).is_ok()
    {
        let (cidr, port) = entry.split_once(':')?;
        (cidr, Some(port))
    } else {
        (entry, None)
    };
    let port = match port {
        Some(port) => Some(port.parse::<u16>().ok().filter(|p| *p > 0)?),
        None => None,
    };
    Some((cidr, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(entries: &[&str]) -> Result<EgressValues, String> {
        egress_values(&entries.iter().map(|e| (*e).to_owned()).collect::<Vec<_>>())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn apps_and_blocks_with_ports() {
        let values = parse(&[
            "billing",
            "10.0.0.0/8",
            "203.0.113.7/32:443",
            "[2001:db8::/32]:5432",
            "2001:db8:1::/48",
        ])
        .unwrap();
        assert_eq!(values.apps, ["billing"]);
        let blocks: Vec<(&str, Option<u16>)> = values
            .blocks
            .iter()
            .map(|b| (b.cidr.as_str(), b.port))
            .collect();
        assert_eq!(
            blocks,
            [
                ("10.0.0.0/8", None),
                ("203.0.113.7/32", Some(443)),
                ("2001:db8::/32", Some(5432)),
                ("2001:db8:1::/48", None)
            ]
        );
        assert_eq!(values.dns, DnsValues::default());
    }

    #[test]
    fn bad_entries_say_why() {
        for (entry, reason) in [
            ("Billing", "an app name is a DNS label"),
            ("0.0.0.0/0", "that is every address"),
            ("10.1.2.3/8", "did you mean `10.0.0.0/8`?"),
            ("10.0.0.0/8:99999", "the port after `:`"),
            ("10.0.0.0/33", "expected an address block"),
            ("[2001:db8::/32]x", "the port after `:`"),
        ] {
            let err = parse(&[entry]).unwrap_err();
            assert!(err.contains(reason), "{entry}: {err}");
        }
    }
}
