//! SMTP listeners on 127.0.0.1 for tests: one that offers `AUTH` even without TLS (as a
//! careless relay does) and, given a TLS config, STARTTLS; and a private CA for it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What an SMTP listener saw: each command line and whether it came over TLS, and the
/// messages it accepted.
#[derive(Debug, Default, Clone)]
pub struct Dialogue {
    pub lines: Vec<(bool, String)>,
    pub messages: Vec<String>,
}

impl Dialogue {
    pub fn auth_lines(&self) -> Vec<&(bool, String)> {
        self.lines
            .iter()
            .filter(|(_, l)| l.to_ascii_uppercase().starts_with("AUTH"))
            .collect()
    }
}

/// An SMTP server on 127.0.0.1 that offers `AUTH PLAIN LOGIN` on every connection (even
/// an unencrypted one, as a careless relay does), and STARTTLS only when given a TLS config.
pub struct SmtpServer {
    pub port: u16,
    dialogue: Arc<Mutex<Dialogue>>,
}

impl SmtpServer {
    pub fn start(tls: Option<Arc<rustls::ServerConfig>>) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let dialogue = Arc::new(Mutex::new(Dialogue::default()));
        let log = dialogue.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                session(stream, tls.clone(), &log);
            }
        });
        SmtpServer { port, dialogue }
    }

    pub fn dialogue(&self) -> Dialogue {
        self.dialogue.lock().unwrap().clone()
    }
}

enum Next {
    StartTls,
    Done,
}

fn session(mut stream: TcpStream, tls: Option<Arc<rustls::ServerConfig>>, log: &Mutex<Dialogue>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    if stream.write_all(b"220 relay.test ESMTP\r\n").is_err() {
        return;
    }
    if let (Next::StartTls, Some(config)) = (converse(&mut stream, false, tls.is_some(), log), tls)
    {
        let conn = rustls::ServerConnection::new(config).unwrap();
        let mut secure = rustls::StreamOwned::new(conn, stream);
        converse(&mut secure, true, false, log);
    }
}

fn read_line<S: Read>(s: &mut S) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match s.read(&mut byte) {
            Ok(1) => {
                line.push(byte[0]);
                if byte[0] == b'\n' {
                    return Some(String::from_utf8_lossy(&line).into_owned());
                }
            }
            _ => return (!line.is_empty()).then(|| String::from_utf8_lossy(&line).into_owned()),
        }
    }
}

fn converse<S: Read + Write>(
    s: &mut S,
    in_tls: bool,
    offer_starttls: bool,
    log: &Mutex<Dialogue>,
) -> Next {
    let reply = |s: &mut S, text: &str| {
        let ok = s.write_all(text.as_bytes()).is_ok() && s.flush().is_ok();
        ok
    };
    while let Some(line) = read_line(s) {
        log.lock()
            .unwrap()
            .lines
            .push((in_tls, line.trim_end().to_string()));
        let upper = line.to_ascii_uppercase();
        let sent = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            let starttls = if offer_starttls {
                "250-STARTTLS\r\n"
            } else {
                ""
            };
            reply(
                s,
                &format!("250-relay.test\r\n{starttls}250 AUTH PLAIN LOGIN\r\n"),
            )
        } else if upper.starts_with("STARTTLS") && offer_starttls {
            if reply(s, "220 2.0.0 go ahead\r\n") {
                return Next::StartTls;
            }
            false
        } else if upper.starts_with("AUTH") {
            reply(s, "235 2.7.0 authenticated\r\n")
        } else if upper.starts_with("DATA") {
            reply(s, "354 go ahead\r\n");
            let mut data = String::new();
            while let Some(l) = read_line(s) {
                if l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            log.lock().unwrap().messages.push(data);
            reply(s, "250 2.0.0 queued\r\n")
        } else if upper.starts_with("QUIT") {
            reply(s, "221 bye\r\n");
            return Next::Done;
        } else {
            reply(s, "250 ok\r\n")
        };
        if !sent {
            break;
        }
    }
    Next::Done
}

/// A private CA and a certificate it signed for 127.0.0.1: the CA's PEM and the server's
/// TLS config.
pub fn private_ca() -> (String, Arc<rustls::ServerConfig>) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "mockops test relay CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    (ca_cert.pem(), Arc::new(config))
}
