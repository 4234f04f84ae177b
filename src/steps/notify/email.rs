//! Email over SMTP with lettre. A username and password only ever travel over TLS:
//! implicit TLS (`smtps://`, port 465) or STARTTLS, which becomes required whenever there
//! are credentials; plain SMTP (or STARTTLS only when offered) is for servers that need none.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use super::config::EmailTarget;
use crate::steps::http::{self, redact_url};
use crate::steps::StepFailure;
use serde_json::Value;
use std::time::{Duration, Instant};

/// How the connection to the server is secured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Security {
    /// TLS from the first byte (`smtps://`).
    Implicit,
    /// STARTTLS before anything else is sent; `for_credentials` when the URL alone would
    /// have allowed plain text and the credentials require it.
    StartTls { for_credentials: bool },
    /// STARTTLS when the server offers it, else plain text; never with credentials.
    Opportunistic,
    /// Plain text; never with credentials.
    Plain,
}

/// What mockops reads of an SMTP URL to choose the [`Security`].
#[derive(Debug, Clone, PartialEq)]
pub(super) struct UrlParts {
    pub implicit_tls: bool,
    pub host: String,
    /// The `tls` query parameter.
    pub tls: Option<String>,
    /// The URL carries `user:password@`.
    pub has_password: bool,
}

/// Reads `smtp[s]://[user[:password]@]host[:port][/ehlo-name][?tls=...]`.
pub(super) fn parse_url(url: &str) -> Option<UrlParts> {
    let (implicit_tls, rest) = if let Some(rest) = url.strip_prefix("smtps://") {
        (true, rest)
    } else {
        (false, url.strip_prefix("smtp://")?)
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..authority_end)?;
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, authority),
    };
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host_port.split(':').next()?,
    };
    if host.is_empty() {
        return None;
    }
    let query = rest
        .get(authority_end..)?
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("");
    let tls = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("tls="))
        .map(str::to_string);
    Some(UrlParts {
        implicit_tls,
        host: host.to_string(),
        tls,
        has_password: userinfo.is_some_and(|u| u.contains(':')),
    })
}

/// The security of a connection: what the URL asks for, raised to STARTTLS-required when
/// there are credentials to send.
pub(super) fn security(parts: &UrlParts, has_credentials: bool) -> Result<Security, String> {
    if parts.implicit_tls {
        return Ok(Security::Implicit);
    }
    match parts.tls.as_deref() {
        Some("required") => Ok(Security::StartTls {
            for_credentials: false,
        }),
        Some("opportunistic") | None if has_credentials => Ok(Security::StartTls {
            for_credentials: true,
        }),
        Some("opportunistic") => Ok(Security::Opportunistic),
        None => Ok(Security::Plain),
        Some(other) => Err(format!(
            "config `smtp_url`: unknown `tls={other}` (expected `required` or `opportunistic`; `smtps://` for implicit TLS)"
        )),
    }
}

/// Sends one email; returns the server's reply code.
pub(super) fn send(
    what: &str,
    email: &EmailTarget,
    body: &str,
    deadline: Option<Instant>,
) -> Result<u16, StepFailure> {
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::transport::smtp::client::Tls;
    use lettre::{SmtpTransport, Transport};

    let message = build_message(email, body)?;
    let invalid_url = || {
        StepFailure::fatal(format!(
            "config `smtp_url` {} is not a valid SMTP URL",
            redact_url(&email.smtp_url)
        ))
    };
    let parts = parse_url(&email.smtp_url).ok_or_else(invalid_url)?;
    let has_credentials = email.username.is_some() || parts.has_password;
    let security = security(&parts, has_credentials).map_err(StepFailure::fatal)?;
    let timeout = match deadline {
        Some(d) => d
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1)),
        None => http::DEFAULT_TIMEOUT,
    };
    let mut transport = SmtpTransport::from_url(&email.smtp_url)
        .map_err(|e| {
            StepFailure::fatal(format!(
                "config `smtp_url` {} is not a valid SMTP URL: {e}",
                redact_url(&email.smtp_url)
            ))
        })?
        .timeout(Some(timeout));
    let tls = match security {
        Security::Plain => Tls::None,
        Security::Implicit => Tls::Wrapper(tls_parameters(&parts.host, email)?),
        Security::StartTls { .. } => Tls::Required(tls_parameters(&parts.host, email)?),
        Security::Opportunistic => Tls::Opportunistic(tls_parameters(&parts.host, email)?),
    };
    transport = transport.tls(tls);
    if let (Some(user), Some(password)) = (&email.username, &email.password) {
        transport = transport.credentials(Credentials::new(user.clone(), password.clone()));
    }
    match transport.build().send(&message) {
        Ok(response) => Ok(response.code().to_string().parse().unwrap_or(250)),
        Err(e) => Err(failure(what, security, email.ca_file.is_some(), &e)),
    }
}

fn build_message(email: &EmailTarget, body: &str) -> Result<lettre::Message, StepFailure> {
    use lettre::message::{header::ContentType, Mailbox};

    let from: Mailbox = email.from.parse().map_err(|e| {
        StepFailure::fatal(format!(
            "config `from`: invalid address `{}`: {e}",
            email.from
        ))
    })?;
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(email.subject.clone());
    for to in &email.to {
        let mailbox: Mailbox = to
            .parse()
            .map_err(|e| StepFailure::fatal(format!("config `to`: invalid address `{to}`: {e}")))?;
        builder = builder.to(mailbox);
    }
    builder
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| StepFailure::fatal(format!("cannot build the email: {e}")))
}

/// TLS for `host`, trusting the system's roots plus the certificates of `ca_file`.
fn tls_parameters(
    host: &str,
    email: &EmailTarget,
) -> Result<lettre::transport::smtp::client::TlsParameters, StepFailure> {
    use lettre::transport::smtp::client::{Certificate, TlsParameters};

    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(path) = &email.ca_file {
        let shown = path.display();
        let pem = std::fs::read(path).map_err(|e| {
            StepFailure::fatal(format!("config `ca_file`: cannot read {shown}: {e}"))
        })?;
        let has_certificate = pem
            .windows(b"-----BEGIN CERTIFICATE-----".len())
            .any(|w| w == b"-----BEGIN CERTIFICATE-----");
        let certificate = Certificate::from_pem(&pem)
            .ok()
            .filter(|_| has_certificate)
            .ok_or_else(|| {
                StepFailure::fatal(format!(
                    "config `ca_file`: {shown} holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)"
                ))
            })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build()
        .map_err(|e| StepFailure::fatal(format!("cannot set up TLS for {host}: {e}")))
}

/// A lettre error as a step failure that says what to do.
fn failure(
    what: &str,
    security: Security,
    has_ca_file: bool,
    e: &lettre::transport::smtp::Error,
) -> StepFailure {
    let text = e.to_string();
    let no_starttls = text.contains("STARTTLS is not supported");
    let (cause, retryable) = match security {
        Security::StartTls {
            for_credentials: true,
        } if no_starttls => (
            "not sent: the server does not offer STARTTLS, and mockops sends a username and \
             password only over an encrypted connection. Use implicit TLS (`smtps://`, or \
             `smtp.port: 465`), turn STARTTLS on at the server, or remove `username` and \
             `password` if the server takes mail without them"
                .to_string(),
            false,
        ),
        Security::StartTls { .. } if no_starttls => (
            "not sent: the server does not offer STARTTLS, which `tls=required` (and \
             `smtp.port: 587`) asks for"
                .to_string(),
            false,
        ),
        // rustls's verdicts on the certificate arrive as I/O errors from the TLS stream.
        _ if e.is_tls() || text.contains("certificate") => {
            let hint = if has_ca_file {
                ""
            } else {
                " (a relay with a private CA is trusted through `ca_file`)"
            };
            (format!("TLS with the SMTP server failed: {e}{hint}"), false)
        }
        _ if e.is_permanent() => (format!("the SMTP server refused the message: {e}"), false),
        _ if e.is_timeout() => ("the SMTP server did not answer in time".to_string(), true),
        // 4xx replies and connection errors may pass on another attempt.
        _ => (format!("SMTP error: {e}"), true),
    };
    let mut failure = StepFailure {
        message: format!("{what}: {cause}"),
        timed_out: e.is_timeout(),
        retryable,
        ..Default::default()
    };
    if let Some(code) = e.status().and_then(|c| c.to_string().parse::<u16>().ok()) {
        failure
            .outputs
            .insert("status_code".into(), Value::from(code));
    }
    failure
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &str) -> UrlParts {
        parse_url(url).unwrap()
    }

    #[test]
    fn reads_the_parts_that_decide_security() {
        let p = parts("smtp://user:p%40ss@mail.example:2525/ehlo?tls=opportunistic#x");
        assert_eq!(
            p,
            UrlParts {
                implicit_tls: false,
                host: "mail.example".into(),
                tls: Some("opportunistic".into()),
                has_password: true,
            }
        );
        assert_eq!(parts("smtps://[::1]:465").host, "::1");
        assert!(parts("smtps://[::1]:465").implicit_tls);
        assert!(!parts("smtp://user@relay").has_password);
        assert_eq!(parse_url("http://mail:25"), None);
        assert_eq!(parse_url("smtp://:25"), None);
    }

    #[test]
    fn credentials_always_require_tls() {
        let with = |url: &str, creds: bool| security(&parts(url), creds).unwrap();
        let forced = Security::StartTls {
            for_credentials: true,
        };
        assert_eq!(with("smtp://relay:2525", true), forced);
        assert_eq!(with("smtp://relay:2525?tls=opportunistic", true), forced);
        assert_eq!(with("smtp://relay:25", false), Security::Plain);
        assert_eq!(
            with("smtp://relay:2525?tls=opportunistic", false),
            Security::Opportunistic
        );
        assert_eq!(
            with("smtp://relay:587?tls=required", false),
            Security::StartTls {
                for_credentials: false
            }
        );
        assert_eq!(with("smtps://relay", true), Security::Implicit);
        let err = security(&parts("smtp://relay?tls=none"), true).unwrap_err();
        assert!(err.contains("unknown `tls=none`"), "{err}");
    }
}
