//! DNS checks against a real DNS server on loopback: Debian's dnsmasq
//! answering for a zone of the test's own (A, AAAA, CNAME, MX and TXT
//! records), and a server that never answers. Porthole runs as `porthole
//! serve` does and is read through `/api/status`.

use crate::common;

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use common::{TestApp, loopback::free_port, test_app::checked_services};
use serde_json::Value;

/// dnsmasq serving `status.test` on a loopback port, stopped on drop.
struct Dnsmasq {
    child: Child,
    port: u16,
}

impl Dnsmasq {
    async fn start() -> Self {
        let port = free_port();
        let child = Command::new("/usr/sbin/dnsmasq")
            .args([
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--no-poll",
                "--pid-file",
                "--bind-interfaces",
                "--listen-address=127.0.0.1",
                "--except-interface=none",
                &format!("--port={port}"),
                // Names in the zone that are not below are NXDOMAIN.
                "--local=/status.test/",
                "--host-record=status.test,192.0.2.10",
                "--host-record=api.status.test,192.0.2.20,2001:db8::20",
                "--cname=www.status.test,api.status.test",
                "--mx-host=status.test,mail.status.test,10",
                "--txt-record=status.test,v=spf1 -all",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start /usr/sbin/dnsmasq (Debian package dnsmasq-base)");
        let server = Self { child, port };
        server.wait_listening().await;
        server
    }

    /// Waits until dnsmasq accepts TCP on its port (it binds UDP and TCP
    /// together).
    async fn wait_listening(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "dnsmasq did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn dns_checks_compare_the_answer_with_what_is_expected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dns = Dnsmasq::start().await;
    // A UDP socket that takes queries and never answers.
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let silent_port = silent.local_addr().expect("address").port();
    let server = format!("127.0.0.1:{}", dns.port);
    let service = |name: &str, lookup: String| {
        format!(
            "[[service]]\nname = \"{name}\"\ndns = {lookup}\ninterval = \"5s\"\ntimeout = \"2s\"\n"
        )
    };
    let cases = [
        (
            "a",
            format!("{{ name = \"status.test\", expect = \"192.0.2.10\", server = \"{server}\" }}"),
            None,
        ),
        (
            "aaaa",
            format!(
                "{{ name = \"api.status.test\", type = \"AAAA\", expect = \"2001:db8:0::20\", server = \"{server}\" }}"
            ),
            None,
        ),
        (
            "cname",
            format!(
                "{{ name = \"www.status.test\", type = \"CNAME\", expect = \"API.status.test.\", server = \"{server}\" }}"
            ),
            None,
        ),
        (
            "mx",
            format!(
                "{{ name = \"status.test\", type = \"MX\", expect = \"mail.status.test\", server = \"{server}\" }}"
            ),
            None,
        ),
        (
            "txt",
            format!(
                "{{ name = \"status.test\", type = \"TXT\", expect = \"spf1\", server = \"{server}\" }}"
            ),
            None,
        ),
        (
            "any-a",
            format!("{{ name = \"api.status.test\", server = \"{server}\" }}"),
            None,
        ),
        (
            "wrong-address",
            format!("{{ name = \"status.test\", expect = \"192.0.2.99\", server = \"{server}\" }}"),
            Some("status.test A is 192.0.2.10, expected 192.0.2.99"),
        ),
        (
            "missing",
            format!("{{ name = \"missing.status.test\", server = \"{server}\" }}"),
            Some("missing.status.test does not exist (NXDOMAIN)"),
        ),
        (
            "no-mx",
            format!("{{ name = \"api.status.test\", type = \"MX\", server = \"{server}\" }}"),
            Some("api.status.test has no MX record"),
        ),
        (
            "silent",
            format!("{{ name = \"status.test\", server = \"127.0.0.1:{silent_port}\" }}"),
            Some("answer"),
        ),
    ];
    let config = std::iter::once("[probes]\npublic_details = true\n".to_owned())
        .chain(
            cases
                .iter()
                .map(|(name, lookup, _)| service(name, lookup.clone())),
        )
        .collect::<String>();
    let base = TestApp::new(dir.path()).with_config(&config).serve().await;
    let services = checked_services(&base, cases.len()).await;
    for (name, _, reason) in cases {
        let service = &services[name];
        match reason {
            None => {
                assert_eq!(service["state"], "up", "{name}: {service}");
                assert_eq!(service["error"], Value::Null, "{name}");
            }
            Some(reason) => {
                assert_eq!(service["state"], "down", "{name}: {service}");
                let error = service["error"].as_str().unwrap_or_default();
                assert!(error.contains(reason), "{name}: {error}");
            }
        }
    }
    drop(silent);
}
