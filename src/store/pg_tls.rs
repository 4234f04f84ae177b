//! TLS to the PostgreSQL server with rustls, by libpq's `sslmode`:
//! `prefer`/`require` encrypt without checking the certificate (as libpq does when no
//! root certificate is given), `verify-ca` checks it against `sslrootcert`, and
//! `verify-full` checks that and the host name too.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;

/// The `sslmode`s mockops knows (libpq's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// The client configuration for `mode`; an error says what is missing.
pub(crate) fn client_config(
    mode: SslMode,
    root_cert: Option<&str>,
) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let root_file = root_cert.map(PathBuf::from).or_else(|| {
        // libpq's default place for the CA of verify-ca / verify-full.
        let home = std::env::var_os("HOME")?;
        let file = PathBuf::from(home).join(".postgresql/root.crt");
        file.is_file().then_some(file)
    });
    let verifier: Arc<dyn ServerCertVerifier> = match (mode, root_file) {
        (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
            return Err(
                "sslmode=verify-ca and verify-full need the CA that signed the server's certificate: give sslrootcert=FILE in the URL"
                    .into(),
            )
        }
        (SslMode::Disable | SslMode::Prefer | SslMode::Require, None)
        | (SslMode::Disable | SslMode::Prefer, Some(_)) => {
            Arc::new(Relaxed {
                chain: None,
                provider: provider.clone(),
            })
        }
        (mode, Some(file)) => {
            let mut roots = RootCertStore::empty();
            let certs = CertificateDer::pem_file_iter(&file)
                .map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
            }
            if roots.is_empty() {
                return Err(format!(
                    "sslrootcert {}: no certificate in the file",
                    file.display()
                ));
            }
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
            match mode {
                SslMode::VerifyFull => webpki,
                _ => Arc::new(Relaxed {
                    chain: Some(webpki),
                    provider: provider.clone(),
                }),
            }
        }
    };
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// The checks short of `verify-full`: no check of the certificate at all (`prefer`, or
/// `require` without a CA: encrypted, not authenticated), or its chain but not the host
/// name (`verify-ca`, or `require` with a CA, as libpq does). Either way the server must
/// prove that it holds the key of the certificate it sent.
#[derive(Debug)]
struct Relaxed {
    /// The chain's verifier; `None`: any certificate.
    chain: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Relaxed {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        use rustls::{CertificateError, Error};
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
