//! The DNS check: one lookup of a name's records of one type, asked of the
//! configured server or the system's resolvers, and whether the answer
//! holds what is expected.

use std::{net::IpAddr, time::Duration};

use hickory_resolver::{
    Name, ResolveError, TokioResolver,
    config::{NameServerConfigGroup, ResolveHosts, ResolverConfig},
    name_server::TokioConnectionProvider,
    proto::rr::{RData, RecordType},
};

use crate::config::{DnsCheck, DnsRecordType};

/// Looks `check`'s name up and judges the answer: `Ok` when it holds what
/// is expected (any record, when nothing is), else the reason.
pub async fn check(check: &DnsCheck, timeout: Duration) -> Result<(), String> {
    let resolver = resolver(check, timeout)?;
    // A fully qualified name: the search domains of resolv.conf must not
    // turn `example.com` into `example.com.corp.internal`.
    let name = Name::from_ascii(format!("{}.", check.name))
        .map_err(|e| format!("{} is not a DNS name: {e}", check.name))?;
    let answer = resolver
        .lookup(name, record_type(check.record))
        .await
        .map_err(|e| lookup_failure(&e, check))?;
    let found: Vec<String> = answer.iter().filter_map(text_of).collect();
    if found.is_empty() {
        return Err(no_records(check));
    }
    match &check.expect {
        None => Ok(()),
        Some(expected)
            if found
                .iter()
                .any(|value| matches(check.record, expected, value)) =>
        {
            Ok(())
        }
        Some(expected) => Err(format!(
            "{} {} is {}, expected {expected}",
            check.name,
            check.record.as_str(),
            found.join(", ")
        )),
    }
}

/// A resolver for one check: no cache (each check is a fresh look), no
/// hosts file (the check is of DNS), one attempt within the timeout.
fn resolver(check: &DnsCheck, timeout: Duration) -> Result<TokioResolver, String> {
    let mut builder = match check.server {
        Some(server) => TokioResolver::builder_with_config(
            ResolverConfig::from_parts(
                None,
                Vec::new(),
                NameServerConfigGroup::from_ips_clear(&[server.ip()], server.port(), true),
            ),
            TokioConnectionProvider::default(),
        ),
        None => TokioResolver::builder_tokio()
            .map_err(|e| format!("cannot read the system's DNS configuration: {e}"))?,
    };
    let options = builder.options_mut();
    options.cache_size = 0;
    options.use_hosts_file = ResolveHosts::Never;
    options.timeout = timeout;
    options.attempts = 1;
    Ok(builder.build())
}

fn record_type(record: DnsRecordType) -> RecordType {
    match record {
        DnsRecordType::A => RecordType::A,
        DnsRecordType::Aaaa => RecordType::AAAA,
        DnsRecordType::Cname => RecordType::CNAME,
        DnsRecordType::Mx => RecordType::MX,
        DnsRecordType::Ns => RecordType::NS,
        DnsRecordType::Txt => RecordType::TXT,
    }
}

/// A record as compared and reported: addresses and names as written in
/// zone files (names without the final dot), TXT strings joined.
fn text_of(data: &RData) -> Option<String> {
    let name = |name: &Name| name.to_ascii().trim_end_matches('.').to_owned();
    match data {
        RData::A(address) => Some(address.0.to_string()),
        RData::AAAA(address) => Some(address.0.to_string()),
        RData::CNAME(target) => Some(name(&target.0)),
        RData::NS(server) => Some(name(&server.0)),
        RData::MX(exchanger) => Some(name(exchanger.exchange())),
        RData::TXT(text) => Some(
            text.txt_data()
                .iter()
                .map(|part| String::from_utf8_lossy(part))
                .collect(),
        ),
        _ => None,
    }
}

/// Whether a found record is what is expected: addresses as addresses,
/// names without case or final dot, TXT by containing the text.
fn matches(record: DnsRecordType, expected: &str, found: &str) -> bool {
    match record {
        DnsRecordType::A | DnsRecordType::Aaaa => {
            expected.parse::<IpAddr>().ok() == found.parse::<IpAddr>().ok()
        }
        DnsRecordType::Cname | DnsRecordType::Mx | DnsRecordType::Ns => {
            expected.trim_end_matches('.').eq_ignore_ascii_case(found)
        }
        DnsRecordType::Txt => found.contains(expected),
    }
}

fn no_records(check: &DnsCheck) -> String {
    format!("{} has no {} record", check.name, check.record.as_str())
}

/// Why a lookup failed, in words: no such name, no record, no answer.
fn lookup_failure(error: &ResolveError, check: &DnsCheck) -> String {
    if error.is_no_records_found() {
        return match error.proto().map(|p| p.kind()) {
            Some(hickory_resolver::proto::ProtoErrorKind::NoRecordsFound {
                response_code, ..
            }) if *response_code == hickory_resolver::proto::op::ResponseCode::NXDomain => {
                format!("{} does not exist (NXDOMAIN)", check.name)
            }
            _ => no_records(check),
        };
    }
    let text = error.to_string();
    if text.contains("timed out") || text.contains("timeout") {
        return "the DNS server did not answer in time".to_owned();
    }
    format!("DNS lookup failed: {text}")
}
