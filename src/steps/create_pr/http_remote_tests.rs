//! Tests of `create_pr` against a remote reached over HTTP: git's own smart-HTTP server
//! (`git http-backend`, run as CGI behind a tiny_http listener on 127.0.0.1) guarded by
//! Basic authentication, as GitHub, GitLab and Gitea guard theirs with tokens.

use super::tests::{fake_github, github_config, run_in, Fixture};
use base64::Engine;
use serde_json::json;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// One request as the git server saw it: method, path and query, and the status answered.
type Seen = (String, String, u16);

/// `git http-backend` serving the repositories under a folder at
/// `http://127.0.0.1:PORT/<folder name>`, answering 401 to any request without the
/// expected `user:password`.
struct GitHttpServer {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl GitHttpServer {
    fn start(root: &Path, user: &str, password: &str) -> GitHttpServer {
        let backend = http_backend();
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        );
        let (root, user) = (root.to_path_buf(), user.to_string());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for mut request in server.incoming_requests() {
                let authorized = request
                    .headers()
                    .iter()
                    .any(|h| h.field.equiv("Authorization") && h.value.as_str() == expected);
                let (status, headers, body) = if authorized {
                    cgi(&backend, &root, &user, &mut request)
                } else {
                    let challenge = ("WWW-Authenticate".to_string(), "Basic realm=\"git\"".into());
                    (401, vec![challenge], b"authentication required\n".to_vec())
                };
                log.lock().unwrap().push((
                    request.method().to_string(),
                    request.url().to_string(),
                    status,
                ));
                let mut response = tiny_http::Response::from_data(body).with_status_code(status);
                for (name, value) in headers {
                    if let Ok(header) = tiny_http::Header::from_bytes(name, value) {
                        response.add_header(header);
                    }
                }
                let _ = request.respond(response);
            }
        });
        GitHttpServer { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// The `git-http-backend` program next to the `git` on PATH (CI installs git with apt).
fn http_backend() -> PathBuf {
    let output = Command::new("git")
        .arg("--exec-path")
        .output()
        .expect("these tests need `git` on PATH");
    let exec_path = String::from_utf8(output.stdout).unwrap();
    let backend = Path::new(exec_path.trim()).join("git-http-backend");
    assert!(backend.exists(), "no {}", backend.display());
    backend
}

/// Runs one request through `git http-backend` as a CGI script (RFC 3875).
fn cgi(
    backend: &Path,
    root: &Path,
    user: &str,
    request: &mut tiny_http::Request,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut body = Vec::new();
    request.as_reader().read_to_end(&mut body).unwrap();
    let (path, query) = request.url().split_once('?').unwrap_or((request.url(), ""));
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.to_string())
            .unwrap_or_default()
    };
    let mut child = Command::new(backend)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        // A user name enables `git-receive-pack` (pushes) in http-backend.
        .env("REMOTE_USER", user)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("REQUEST_METHOD", request.method().as_str())
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("CONTENT_TYPE", header("Content-Type"))
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("HTTP_CONTENT_ENCODING", header("Content-Encoding"))
        .env("GIT_PROTOCOL", header("Git-Protocol"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let mut output = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut output)
        .unwrap();
    writer.join().unwrap();
    child.wait().unwrap();
    let split = output
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| (at, 4))
        .or_else(|| {
            output
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|at| (at, 2))
        });
    let Some((head_end, separator)) = split else {
        return (502, vec![], output);
    };
    let head = String::from_utf8_lossy(&output[..head_end]).into_owned();
    let mut status = 200;
    let mut headers = Vec::new();
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("Status") {
            status = value.trim()[..3].parse().unwrap();
        } else {
            headers.push((name.to_string(), value.trim().to_string()));
        }
    }
    (status, headers, output[head_end + separator..].to_vec())
}

/// The fixture's `origin`, moved behind the authenticated HTTP server.
fn behind_http(fx: &Fixture) -> GitHttpServer {
    let root = fx.bare.parent().unwrap();
    let server = GitHttpServer::start(root, "x-access-token", "ghp_test");
    let repo = git2::Repository::open(&fx.work).unwrap();
    repo.remote_set_url("origin", &format!("{}/origin.git", server.url))
        .unwrap();
    server
}

#[test]
fn pushes_over_http_with_the_token_as_basic_credentials() {
    let fx = Fixture::new();
    let remote = behind_http(&fx);
    let api = fake_github();
    super::tests::write(&fx.work, "sdks/ts/index.ts", "export const v = 2;\n");

    let out = run_in(&fx.work, github_config(&api)).unwrap();

    assert_eq!(out.outputs["operation"], json!("created"));
    assert_eq!(
        out.outputs["pr_url"],
        json!("https://github.example/acme/api/pull/7")
    );
    assert!(fx
        .remote_files("mockops/sdk")
        .contains(&("sdks/ts/index.ts".into(), "export const v = 2;\n".into())));
    let seen = remote.seen();
    let pushed = seen.iter().any(|(method, path, status)| {
        method == "POST" && path == "/origin.git/git-receive-pack" && *status == 200
    });
    assert!(pushed, "no authenticated push reached the server: {seen:?}");
    // libgit2 asks without credentials first, and sends the token only once challenged.
    assert!(
        seen.iter().any(|(_, _, status)| *status == 401),
        "the server never challenged: {seen:?}"
    );
}

#[test]
fn a_wrong_token_is_refused_with_a_clear_message_and_nothing_is_pushed() {
    let fx = Fixture::new();
    let remote = behind_http(&fx);
    let api = fake_github();
    super::tests::write(&fx.work, "sdks/ts/index.ts", "export const v = 2;\n");
    let mut config = github_config(&api);
    config["token"] = json!("ghp_wrong");

    let failure = run_in(&fx.work, config).unwrap_err();

    assert!(
        failure
            .message
            .contains("authentication failed (check `token`)"),
        "{}",
        failure.message
    );
    assert!(
        !failure.message.contains("ghp_wrong"),
        "{}",
        failure.message
    );
    assert!(!failure.retryable, "a refused token would be refused again");
    assert!(fx.remote_tip("mockops/sdk").is_none());
    let challenged = remote.seen().iter().filter(|(_, _, s)| *s == 401).count();
    assert!(
        (1..=4).contains(&challenged),
        "credentials were offered {challenged} times"
    );
    assert!(api.requests().is_empty(), "no pull request without a push");
}
