//! A throwaway PostgreSQL cluster for the tests of one test binary: `initdb` and
//! `pg_ctl` (Debian's `postgresql` package) in a temp folder, on a free port, with its
//! socket in that folder; as the `postgres` user when the tests run as root. Started on
//! first use; a watchdog process stops it (`pg_ctl -m immediate`) and removes the folder
//! once the test process is gone, however it ended. Each test gets its own database.
//!
//! Roles: `mockops` (superuser, trusted on 127.0.0.1), `secret_user` (password
//! [`SECRET_PASSWORD`]), `reader` (may connect, may not create tables), `tls_user`
//! (refused without TLS). TLS is on, with
//! a certificate for `localhost` and 127.0.0.1 signed by a test CA ([`Cluster::ca_file`]).
//! [`Cluster::pooler`] starts a PgBouncer (Debian's `pgbouncer`) in front of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

pub const SECRET_PASSWORD: &str = "pw-Zq81-never-shown";

pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
    pub bin: PathBuf,
    /// Runs commands as the cluster's owner (`runuser -u postgres --` when root).
    as_owner: Vec<String>,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The cluster of this test binary, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(start)
}

fn bin_dir() -> PathBuf {
    for version in ["17", "16", "15", "14", "13"] {
        let dir = PathBuf::from(format!("/usr/lib/postgresql/{version}/bin"));
        if dir.join("initdb").is_file() {
            return dir;
        }
    }
    panic!("PostgreSQL's server binaries are missing (apt-get install postgresql)");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start() -> Cluster {
    let bin = bin_dir();
    let root = unsafe { libc::geteuid() } == 0;
    let dir = tempfile::Builder::new()
        .prefix("mockops-pg-")
        .tempdir()
        .expect("tempdir")
        .keep();
    let as_owner: Vec<String> = if root {
        let status = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .expect("chown");
        assert!(status.success(), "chown the cluster folder to postgres");
        vec![
            "runuser".into(),
            "-u".into(),
            "postgres".into(),
            "--".into(),
        ]
    } else {
        Vec::new()
    };
    let mut cluster = Cluster {
        dir: dir.clone(),
        port: free_port(),
        bin,
        as_owner,
    };
    watchdog(&cluster);
    write_tls_files(&cluster);
    let data = dir.join("data");
    cluster.run_owner(&[
        cluster.bin.join("initdb").to_str().unwrap(),
        "-D",
        data.to_str().unwrap(),
        "-U",
        "mockops",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--no-sync",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    ]);
    let hba = "local all all trust\n\
               hostnossl all tls_user 127.0.0.1/32 reject\n\
               hostssl all tls_user 127.0.0.1/32 trust\n\
               host all mockops 127.0.0.1/32 trust\n\
               host all all 127.0.0.1/32 scram-sha-256\n";
    cluster.write_owned(&data.join("pg_hba.conf"), hba);
    let base = std::fs::read_to_string(data.join("postgresql.conf")).unwrap_or_default();
    // The port was free when chosen; another test may take it before the server binds it
    // (tests bind free ports for their own servers at the same time): then another port.
    let mut attempts = 0;
    cluster.port = free_port(); // chosen as late as possible: initdb took a while
    loop {
        let conf = format!(
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
             fsync = off\nfull_page_writes = off\nmax_connections = 300\n\
             shared_buffers = 64MB\nssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\n",
            cluster.port,
            dir.display(),
            dir.join("server.crt").display(),
            dir.join("server.key").display(),
        );
        cluster.write_owned(&data.join("postgresql.conf"), &format!("{base}{conf}"));
        let started = cluster.output_owner(&[
            cluster.bin.join("pg_ctl").to_str().unwrap(),
            "-D",
            data.to_str().unwrap(),
            "-l",
            dir.join("server.log").to_str().unwrap(),
            "-w",
            "-t",
            "60",
            "start",
        ]);
        if started.status.success() {
            break;
        }
        let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
        attempts += 1;
        assert!(
            attempts < 5 && log.contains("could not bind"),
            "the test cluster did not start: {}\n{log}",
            String::from_utf8_lossy(&started.stdout)
        );
        cluster.port = free_port();
    }
    cluster.admin(&format!(
        "CREATE ROLE secret_user LOGIN PASSWORD '{SECRET_PASSWORD}' CREATEDB;
         CREATE ROLE reader LOGIN PASSWORD 'reader-pw';
         CREATE ROLE tls_user LOGIN SUPERUSER;"
    ));
    cluster
}

/// A process that outlives nothing: once the test process is gone it stops the cluster
/// and removes its folder. It is never waited for: it must outlive this process.
#[allow(clippy::zombie_processes)]
fn watchdog(cluster: &Cluster) {
    let data = cluster.dir.join("data");
    let owner = cluster.as_owner.join(" ");
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.2; done; \
         {owner} {pg_ctl} -D '{data}' stop -m immediate >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        pg_ctl = cluster.bin.join("pg_ctl").display(),
        data = data.display(),
        dir = cluster.dir.display(),
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the cluster's watchdog");
}

fn write_tls_files(cluster: &Cluster) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "mockops test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let issuer = rcgen::Issuer::from_params(&ca, &ca_key);
    let cert = params.signed_by(&key, &issuer).unwrap();
    cluster.write_owned(&cluster.dir.join("server.crt"), &cert.pem());
    cluster.write_owned(&cluster.dir.join("server.key"), &key.serialize_pem());
    std::fs::write(cluster.dir.join("ca.crt"), ca_cert.pem()).unwrap();
    // A CA that signed nothing here, for verify-full's refusal.
    let other_key = KeyPair::generate().unwrap();
    let other = CertificateParams::new(Vec::<String>::new())
        .unwrap()
        .self_signed(&other_key)
        .unwrap();
    std::fs::write(cluster.dir.join("other-ca.crt"), other.pem()).unwrap();
}

impl Cluster {
    fn output_owner(&self, args: &[&str]) -> std::process::Output {
        let mut all: Vec<&str> = self.as_owner.iter().map(String::as_str).collect();
        all.extend_from_slice(args);
        Command::new(all[0])
            .args(&all[1..])
            .current_dir(&self.dir)
            .output()
            .expect("run a PostgreSQL tool")
    }

    fn run_owner(&self, args: &[&str]) {
        let out = self.output_owner(args);
        assert!(
            out.status.success(),
            "{args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Writes a file the server reads (owned by the server's user, key files 0600).
    fn write_owned(&self, path: &Path, text: &str) {
        std::fs::write(path, text).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        if !self.as_owner.is_empty() {
            let status = Command::new("chown")
                .arg("postgres:postgres")
                .arg(path)
                .status()
                .unwrap();
            assert!(status.success());
        }
    }

    /// Runs SQL as the superuser over the socket.
    pub fn admin(&self, sql: &str) {
        self.admin_in("postgres", sql);
    }

    pub fn admin_in(&self, database: &str, sql: &str) {
        let mut client = self.client(database);
        client
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A superuser client to `database`.
    pub fn client(&self, database: &str) -> postgres::Client {
        postgres::Config::new()
            .host_path(&self.dir)
            .port(self.port)
            .user("mockops")
            .dbname(database)
            .connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to the test cluster: {e}"))
    }

    /// A new empty database; its name.
    pub fn create_database(&self, hint: &str) -> String {
        let n = DATABASES.fetch_add(1, Ordering::SeqCst);
        let clean: String = hint
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!("t{}_{n}_{clean}", std::process::id());
        self.admin(&format!("CREATE DATABASE {name}"));
        name
    }

    /// The URL mockops uses for `database` (as `mockops`, over TCP, TLS off).
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://mockops@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }

    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    pub fn other_ca_file(&self) -> PathBuf {
        self.dir.join("other-ca.crt")
    }

    /// Stops the server at once (as a crash would) and starts it again later with
    /// [`Cluster::restart`].
    pub fn kill(&self) {
        let data = self.dir.join("data");
        self.run_owner(&[
            self.bin.join("pg_ctl").to_str().unwrap(),
            "-D",
            data.to_str().unwrap(),
            "stop",
            "-m",
            "immediate",
            "-w",
        ]);
    }

    pub fn restart(&self) {
        let data = self.dir.join("data");
        self.run_owner(&[
            self.bin.join("pg_ctl").to_str().unwrap(),
            "-D",
            data.to_str().unwrap(),
            "-l",
            self.dir.join("server.log").to_str().unwrap(),
            "-w",
            "-t",
            "60",
            "start",
        ]);
    }

    /// One number from a query in `database`.
    pub fn count(&self, database: &str, sql: &str) -> i64 {
        let mut client = self.client(database);
        let row = client
            .query_one(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        row.get::<_, i64>(0)
    }

    /// A PgBouncer in session mode in front of this cluster, on a free port, trusting
    /// `mockops`; stopped when the [`Pooler`] is dropped (or when this process dies).
    pub fn pooler(&self) -> Pooler {
        self.pooler_in("session")
    }

    /// A PgBouncer as [`Cluster::pooler`], in `pool_mode` (`session`, `transaction`, …).
    pub fn pooler_in(&self, pool_mode: &str) -> Pooler {
        let bin = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("PgBouncer is missing (apt-get install pgbouncer)"));
        let port = free_port();
        let users = self.dir.join(format!("pooler-{port}-users.txt"));
        self.write_owned(&users, "\"mockops\" \"\"\n");
        let ini = self.dir.join(format!("pooler-{port}.ini"));
        let conf = format!(
            "[databases]\n* = host=127.0.0.1 port={}\n\n[pgbouncer]\n\
             listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
             auth_type = trust\nauth_file = {}\npool_mode = {pool_mode}\n\
             server_reset_query = DISCARD ALL\nmax_client_conn = 200\ndefault_pool_size = 20\n\
             logfile = {}\n",
            self.port,
            users.display(),
            self.dir.join(format!("pooler-{port}.log")).display(),
        );
        self.write_owned(&ini, &conf);
        let mut all: Vec<String> = self.as_owner.clone();
        all.push(bin.display().to_string());
        all.push(ini.display().to_string());
        let mut command = Command::new(&all[0]);
        command
            .args(&all[1..])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe; it only asks for a signal when this process dies.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let child = command.spawn().expect("start pgbouncer");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "pgbouncer did not listen on {port}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Pooler { port, child }
    }
}

/// A running PgBouncer (see [`Cluster::pooler`]).
pub struct Pooler {
    pub port: u16,
    child: std::process::Child,
}

impl Pooler {
    /// The URL of `database` through the pooler (as `mockops`, TLS off).
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://mockops@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }
}

impl Drop for Pooler {
    fn drop(&mut self) {
        // SIGTERM: `runuser` passes it on to pgbouncer, which stops at once.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }
}
