//! TLS to the broker. paho makes the real connection (with OpenSSL underneath), but when it fails it
//! only says "connect failure". So after a failed TLS connect we repeat the handshake ourselves with
//! the same OpenSSL and the same settings, to tell the user which of the usual causes it is and what
//! to do: an untrusted certificate, a certificate for another name, or a port that does not speak TLS.

use std::fmt;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use openssl::ssl::{HandshakeError, Ssl, SslContext, SslMethod, SslVerifyMode};
use openssl::x509::{X509Ref, X509VerifyResult};

/// The broker's default TLS port, used when TLS is on and no port is given.
pub const DEFAULT_TLS_PORT: u16 = 8883;

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsConfig {
    /// PEM file of CA certificates that vouch for the broker; `None` trusts the system's store.
    pub ca_file: Option<PathBuf>,
    /// Certificate and host-name verification; off only with `--insecure`.
    pub verify: bool,
}

/// A handshake that worked, for `check`.
pub struct Established {
    pub protocol: String,
    /// The names the certificate holds.
    pub names: Vec<String>,
}

/// Why a handshake failed.
#[derive(Debug)]
pub enum HandshakeFailure {
    /// TCP itself failed; not a TLS problem, the caller words it.
    Connect(std::io::Error),
    Tls(TlsRefusal),
}

/// What went wrong in a TLS handshake. `Display` says what happened; the config layer adds the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsRefusal {
    /// Our own TLS set-up failed (an unreadable CA file, say).
    Setup(String),
    /// The certificate is valid but names other hosts.
    WrongHost { host: String, names: Vec<String> },
    /// The certificate is not vouched for by the trusted CAs (`ca_file`, else the system's store).
    Untrusted { reason: String, ca_file: Option<PathBuf> },
    /// The peer does not speak TLS (or closed the handshake).
    NotTls { address: SocketAddr, reason: String },
}

impl fmt::Display for TlsRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsRefusal::Setup(why) => write!(f, "cannot set up TLS: {why}"),
            TlsRefusal::WrongHost { host, names } => {
                let held = if names.is_empty() { "no name".to_owned() } else { names.join(", ") };
                write!(f, "the broker's TLS certificate is for {held}, not {host}")
            }
            TlsRefusal::Untrusted { reason, ca_file: Some(file) } => write!(
                f,
                "the broker's TLS certificate was refused ({reason}): no CA in {} vouches for it",
                file.display()
            ),
            TlsRefusal::Untrusted { reason, ca_file: None } => write!(
                f,
                "the broker's TLS certificate was refused ({reason}): the system's CA store does not vouch for it"
            ),
            TlsRefusal::NotTls { address, reason } => {
                write!(f, "{address} did not complete a TLS handshake ({reason})")
            }
        }
    }
}

/// A TLS handshake with `host` at `address`, verifying as `tls` says; nothing is sent after it.
pub fn handshake(host: &str, address: SocketAddr, tls: &TlsConfig) -> Result<Established, HandshakeFailure> {
    let setup = |why: String| HandshakeFailure::Tls(TlsRefusal::Setup(why));
    // OpenSSL drops the peer's certificate when verification fails; keep its names to show them.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let ssl = session(host, tls, Arc::clone(&seen)).map_err(|e| setup(format!("{e:#}")))?;
    let stream = TcpStream::connect_timeout(&address, HANDSHAKE_TIMEOUT).map_err(HandshakeFailure::Connect)?;
    let _ = stream.set_read_timeout(Some(HANDSHAKE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(HANDSHAKE_TIMEOUT));
    match ssl.connect(stream) {
        Ok(stream) => Ok(Established {
            protocol: stream.ssl().version_str().to_owned(),
            names: stream.ssl().peer_certificate().map(|cert| certificate_names(&cert)).unwrap_or_default(),
        }),
        Err(HandshakeError::Failure(mid)) | Err(HandshakeError::WouldBlock(mid)) => {
            let names = seen.lock().map(|names| names.clone()).unwrap_or_default();
            Err(HandshakeFailure::Tls(explain(host, address, tls, mid.ssl().verify_result(), &names, mid.error())))
        }
        Err(HandshakeError::SetupFailure(e)) => Err(setup(e.to_string())),
    }
}

/// A TLS session that trusts and verifies exactly as paho does (only the `--cafile` when given, else
/// the system's store; the host name or IP address), recording the names of the broker's certificate.
fn session(host: &str, tls: &TlsConfig, seen: Arc<Mutex<Vec<String>>>) -> anyhow::Result<Ssl> {
    let mut context = SslContext::builder(SslMethod::tls_client())?;
    match &tls.ca_file {
        Some(file) => {
            context.set_ca_file(file).with_context(|| format!("cannot load the CA file {}", file.display()))?
        }
        None => context.set_default_verify_paths()?,
    }
    let mode = if tls.verify { SslVerifyMode::PEER } else { SslVerifyMode::NONE };
    context.set_verify_callback(mode, move |verdict, store| {
        if store.error_depth() == 0
            && let (Some(cert), Ok(mut names)) = (store.current_cert(), seen.lock())
        {
            *names = certificate_names(cert);
        }
        verdict
    });
    let mut ssl = Ssl::new(&context.build())?;
    match host.parse::<IpAddr>() {
        Ok(ip) if tls.verify => ssl.param_mut().set_ip(ip)?,
        Ok(_) => {}
        Err(_) => {
            ssl.set_hostname(host)?; // SNI
            if tls.verify {
                ssl.param_mut().set_host(host)?;
            }
        }
    }
    Ok(ssl)
}

fn explain(
    host: &str,
    address: SocketAddr,
    tls: &TlsConfig,
    verdict: X509VerifyResult,
    names: &[String],
    error: &openssl::ssl::Error,
) -> TlsRefusal {
    // X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH.
    const HOSTNAME_MISMATCH: i32 = 62;
    const IP_ADDRESS_MISMATCH: i32 = 64;
    if verdict != X509VerifyResult::OK {
        if matches!(verdict.as_raw(), HOSTNAME_MISMATCH | IP_ADDRESS_MISMATCH) {
            return TlsRefusal::WrongHost { host: host.to_owned(), names: names.to_vec() };
        }
        return TlsRefusal::Untrusted { reason: verdict.error_string().to_owned(), ca_file: tls.ca_file.clone() };
    }
    TlsRefusal::NotTls { address, reason: brief(error) }
}

/// OpenSSL's reason without its error-stack codes, e.g. "wrong version number".
fn brief(error: &openssl::ssl::Error) -> String {
    if let Some(stack) = error.ssl_error()
        && let Some(reason) = stack.errors().iter().find_map(|e| e.reason())
    {
        return reason.to_owned();
    }
    match error.io_error() {
        Some(io) => io.to_string(),
        None => "the connection closed during the handshake".to_owned(),
    }
}

/// DNS names and IP addresses from the subjectAltName, else the subject's common name.
fn certificate_names(cert: &X509Ref) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(alt_names) = cert.subject_alt_names() {
        for name in alt_names.iter() {
            if let Some(dns) = name.dnsname() {
                names.push(dns.to_owned());
            } else if let Some(ip) = name.ipaddress() {
                let ip = match ip.len() {
                    4 => <[u8; 4]>::try_from(ip).map(|b| std::net::IpAddr::from(b).to_string()).ok(),
                    16 => <[u8; 16]>::try_from(ip).map(|b| std::net::IpAddr::from(b).to_string()).ok(),
                    _ => None,
                };
                names.extend(ip);
            }
        }
    }
    if names.is_empty() {
        let cn = openssl::nid::Nid::COMMONNAME;
        names.extend(
            cert.subject_name().entries_by_nid(cn).map(|e| String::from_utf8_lossy(e.data().as_slice()).into_owned()),
        );
    }
    names
}
