//! TLS checks against real TLS servers on loopback, each presenting a
//! certificate generated here: valid for months, expiring in days, expired,
//! from an authority no one trusts, and for another name. Porthole runs
//! as `porthole serve` does, with the test's authority in `[probes]
//! ca_file`, and is read through `/api/status` and `/status`.

use crate::common;

use std::{net::SocketAddr, sync::Arc};

use common::{TestApp, test_app::checked_services};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use serde_json::Value;
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A certificate authority of the test's own.
struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Authority {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().expect("key");
        Self {
            issuer: CertifiedIssuer::self_signed(params, key).expect("CA"),
        }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A certificate for `name`, valid from `from_days` to `to_days` from
    /// now, with its key.
    fn issue(&self, name: &str, from_days: i64, to_days: i64) -> (Vec<u8>, Vec<u8>) {
        let mut params = CertificateParams::new(vec![name.to_owned()]).expect("params");
        let now = OffsetDateTime::now_utc();
        params.not_before = now + time::Duration::days(from_days);
        params.not_after = now + time::Duration::days(to_days);
        let key = KeyPair::generate().expect("key");
        let certificate = params.signed_by(&key, &self.issuer).expect("certificate");
        (certificate.der().to_vec(), key.serialize_der())
    }
}

/// A TLS server on loopback presenting `certificate`; after the handshake
/// it answers any request with a healthy HTTP/1.1 response.
async fn tls_server((certificate, key): (Vec<u8>, Vec<u8>)) -> SocketAddr {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(
        vec![certificate.into()],
        rustls_pki_types::PrivateKeyDer::Pkcs8(key.into()),
    )
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A rejected certificate ends the handshake: nothing to do.
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = [0_u8; 2048];
                if matches!(tls.read(&mut request).await, Ok(n) if n > 0) {
                    let _ = tls
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                        )
                        .await;
                }
                let _ = tls.shutdown().await;
            });
        }
    });
    address
}

#[tokio::test]
async fn certificates_are_judged_by_expiry_validity_and_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let authority = Authority::new("Porthole test authority");
    let stranger = Authority::new("An authority no one trusts");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, authority.pem()).expect("ca.pem");
    let valid = tls_server(authority.issue("localhost", -1, 90)).await;
    let soon = tls_server(authority.issue("localhost", -80, 5)).await;
    let expired = tls_server(authority.issue("localhost", -90, -3)).await;
    let untrusted = tls_server(stranger.issue("localhost", -1, 90)).await;
    let elsewhere = tls_server(authority.issue("status.example.com", -1, 90)).await;
    let service = |name: &str, check: String| {
        format!("[[service]]\nname = \"{name}\"\n{check}\ninterval = \"5s\"\ntimeout = \"3s\"\n")
    };
    let config = [
        format!(
            "[probes]\nca_file = \"{}\"\npublic_details = true\n",
            ca_file.display()
        ),
        service("Valid", format!("tls = \"localhost:{}\"", valid.port())),
        service(
            "Soon",
            format!("url = \"https://localhost:{}/health\"", soon.port()),
        ),
        service("Expired", format!("tls = \"localhost:{}\"", expired.port())),
        service(
            "Untrusted",
            format!("tls = \"localhost:{}\"", untrusted.port()),
        ),
        service(
            "Elsewhere",
            format!(
                "tls = \"localhost:{}\"\ncert_warn_days = 100",
                elsewhere.port()
            ),
        ),
    ]
    .concat();
    let base = TestApp::new(dir.path()).with_config(&config).serve().await;
    let services = checked_services(&base, 5).await;

    let valid = &services["valid"];
    assert_eq!(valid["state"], "up", "{valid}");
    let days = valid["certificate"]["days_left"].as_i64().expect("days");
    assert!((89..=90).contains(&days), "{valid}");
    assert_eq!(valid["certificate"]["expiring"], false);
    assert!(valid["latency_ms"].is_number(), "the handshake's time");

    let soon = &services["soon"];
    assert_eq!(
        soon["state"], "slow",
        "degraded within cert_warn_days: {soon}"
    );
    assert_eq!(soon["certificate"]["expiring"], true);
    assert!(
        (4..=5).contains(&soon["certificate"]["days_left"].as_i64().expect("days")),
        "{soon}"
    );
    assert_eq!(soon["error"], Value::Null, "the HTTP check passed: {soon}");

    let expired = &services["expired"];
    assert_eq!(expired["state"], "down", "{expired}");
    let error = expired["error"].as_str().expect("a reason");
    assert!(error.starts_with("certificate expired on "), "{error}");
    assert!(
        (-3..=-2).contains(&expired["certificate"]["days_left"].as_i64().expect("days")),
        "the expiry is still shown: {expired}"
    );

    let untrusted = &services["untrusted"];
    assert_eq!(untrusted["state"], "down");
    assert_eq!(
        untrusted["error"],
        "certificate is not issued by a trusted authority"
    );
    assert_eq!(untrusted["certificate"], Value::Null);

    let elsewhere = &services["elsewhere"];
    assert_eq!(elsewhere["state"], "down");
    assert_eq!(elsewhere["error"], "certificate is not valid for localhost");

    let page = reqwest::get(format!("{base}/status"))
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    assert!(page.contains("<dt>Certificate</dt>"), "{page}");
    assert!(
        page.contains("expires in 89 days") || page.contains("expires in 90 days"),
        "the valid certificate's days"
    );
    assert!(
        page.contains("expires in 4 days") || page.contains("expires in 5 days"),
        "the expiring certificate's days"
    );
    assert!(page.contains("expired 2 days ago") || page.contains("expired 3 days ago"));
}
