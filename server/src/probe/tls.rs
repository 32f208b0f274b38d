//! The TLS check: a handshake with the service, judging the certificate it
//! presents — when it expires, and whether it is valid for the host and
//! issued by a trusted authority.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use rustls::{CertificateError, RootCertStore, pki_types::ServerName};
use rustls_pki_types::CertificateDer;
use tokio::net::TcpStream;

/// What a handshake told of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateVerdict {
    /// When the certificate expires, when it could be read.
    pub expires_at: Option<NaiveDateTime>,
    /// Why it is not acceptable, when it is not.
    pub problem: Option<String>,
}

/// Makes handshakes that trust the public authorities and the operator's
/// own; cheap to clone.
#[derive(Clone)]
pub struct TlsProbe {
    config: Arc<rustls::ClientConfig>,
}

impl TlsProbe {
    /// A probe trusting the public authorities and `extra_roots`.
    pub fn new(extra_roots: &[CertificateDer<'static>]) -> Result<Self, rustls::Error> {
        let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for root in extra_roots {
            roots.add(root.clone())?;
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(Self {
            config: Arc::new(config),
        })
    }

    /// Shakes hands over `stream` as a client of `host` and judges the
    /// certificate presented.
    pub async fn judge(&self, stream: TcpStream, host: &str) -> CertificateVerdict {
        let Ok(name) = ServerName::try_from(host.to_owned()) else {
            return CertificateVerdict::problem(format!("{host} is not a TLS server name"));
        };
        let connector = tokio_rustls::TlsConnector::from(self.config.clone());
        match connector.connect(name, stream).await {
            Ok(connection) => {
                let (_, session) = connection.get_ref();
                let expires_at = session
                    .peer_certificates()
                    .and_then(|chain| chain.first())
                    .and_then(|leaf| not_after(leaf));
                match expires_at {
                    Some(expires_at) => CertificateVerdict {
                        expires_at: Some(expires_at),
                        problem: None,
                    },
                    None => CertificateVerdict::problem(
                        "the certificate's expiry cannot be read".to_owned(),
                    ),
                }
            }
            Err(error) => failed_handshake(&error, host),
        }
    }
}

impl CertificateVerdict {
    fn problem(reason: String) -> Self {
        Self {
            expires_at: None,
            problem: Some(reason),
        }
    }
}

/// The verdict of a handshake that failed: the certificate's fault named
/// when it was one.
fn failed_handshake(error: &std::io::Error, host: &str) -> CertificateVerdict {
    let certificate = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .and_then(|tls| match tls {
            rustls::Error::InvalidCertificate(problem) => Some(problem),
            _ => None,
        });
    let Some(problem) = certificate else {
        return CertificateVerdict::problem(format!("TLS handshake failed: {error}"));
    };
    match problem {
        CertificateError::ExpiredContext { not_after, .. } => {
            let expires_at = unix_time(not_after.as_secs());
            CertificateVerdict {
                expires_at,
                problem: Some(match expires_at {
                    Some(at) => {
                        format!("certificate expired on {}", at.format("%Y-%m-%d %H:%M UTC"))
                    }
                    None => "certificate expired".to_owned(),
                }),
            }
        }
        CertificateError::Expired => CertificateVerdict::problem("certificate expired".to_owned()),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            CertificateVerdict::problem("certificate is not valid yet".to_owned())
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            CertificateVerdict::problem(format!("certificate is not valid for {host}"))
        }
        CertificateError::UnknownIssuer => CertificateVerdict::problem(
            "certificate is not issued by a trusted authority".to_owned(),
        ),
        CertificateError::Revoked => {
            CertificateVerdict::problem("certificate is revoked".to_owned())
        }
        other => CertificateVerdict::problem(format!("certificate is invalid: {other:?}")),
    }
}

/// The end of a certificate's validity, read from its DER.
fn not_after(certificate: &CertificateDer<'_>) -> Option<NaiveDateTime> {
    let (_, parsed) = x509_parser::parse_x509_certificate(certificate.as_ref()).ok()?;
    unix_time(u64::try_from(parsed.validity().not_after.timestamp()).ok()?)
}

fn unix_time(seconds: u64) -> Option<NaiveDateTime> {
    DateTime::<Utc>::from_timestamp(i64::try_from(seconds).ok()?, 0).map(|at| at.naive_utc())
}
