//! The commands `mockops demo` runs: this same binary in the demo project, with the
//! caller's project and proxy variables removed; the gateway (`federation serve` on an
//! ephemeral port) as a child it stops the way a user does.

use super::output::{Format, Printer};
use super::GlobalArgs;
use anyhow::{Context, Result};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Runs mockops commands (this same binary) in the demo project.
pub(super) struct Runner<'a> {
    exe: PathBuf,
    project: PathBuf,
    out: &'a Printer,
    /// Global flags passed on (`--no-color`, `--quiet`, `--verbose`).
    flags: Vec<&'static str>,
}

impl<'a> Runner<'a> {
    pub(super) fn new(g: &GlobalArgs, out: &'a Printer, project: &Path) -> Result<Runner<'a>> {
        let exe = std::env::current_exe().context("cannot find the mockops program")?;
        let mut flags = Vec::new();
        if g.no_color || !out.color {
            flags.push("--no-color");
        }
        if g.quiet {
            flags.push("--quiet");
        }
        if g.verbose {
            flags.push("--verbose");
        }
        Ok(Runner {
            exe,
            project: project.to_path_buf(),
            out,
            flags,
        })
    }

    fn command(&self, args: &[&str]) -> Command {
        self.out.result(&format!("$ mockops {}", args.join(" ")));
        let mut c = Command::new(&self.exe);
        c.args(args)
            .args(&self.flags)
            .current_dir(&self.project)
            // The demo's project, whatever the caller's environment names.
            .env_remove("MOCKOPS_PROJECT")
            .env_remove("MOCKOPS_STATE")
            .stdin(Stdio::null());
        // Every address of the demo is on 127.0.0.1: no proxy stands in between.
        for proxy in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"] {
            c.env_remove(proxy).env_remove(proxy.to_lowercase());
        }
        if self.out.format == Some(Format::Json) {
            // stdout holds the demo's one JSON document.
            c.stdout(Stdio::from(std::io::stderr()));
        }
        c
    }

    /// Runs a command to its end; its failure stops the demo.
    pub(super) fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
        let status = self
            .command(args)
            .envs(env.iter().copied())
            .status()
            .context("cannot run mockops")?;
        if !status.success() {
            return Err(anyhow::anyhow!(
                "`mockops {}` failed ({status})",
                args.join(" ")
            ));
        }
        Ok(())
    }

    /// Starts `federation serve` on an ephemeral port and waits until it listens.
    pub(super) fn gateway(&self) -> Result<Gateway> {
        let mut child = self
            .command(&["federation", "serve", "--listen", "127.0.0.1:0"])
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start the gateway")?;
        let (tx, rx) = mpsc::channel();
        let stderr = child.stderr.take();
        let copier = std::thread::spawn(move || {
            let Some(stderr) = stderr else { return };
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                eprintln!("{line}");
                if let Some(addr) = listening_address(&line) {
                    let _ = tx.send(addr);
                }
            }
        });
        let mut gateway = Gateway {
            child: Some(child),
            copier: Some(copier),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(addr) => {
                gateway.addr = addr;
                Ok(gateway)
            }
            Err(_) => Err(anyhow::anyhow!("the gateway did not start listening")),
        }
    }
}

/// `federation `shop` listening on http://127.0.0.1:PORT` → the address.
fn listening_address(line: &str) -> Option<SocketAddr> {
    let (_, rest) = line.split_once("listening on http://")?;
    rest.trim().parse().ok()
}

/// The running gateway; stopped (SIGTERM, as Ctrl-C would) by `stop`, killed when dropped.
pub(super) struct Gateway {
    child: Option<Child>,
    copier: Option<std::thread::JoinHandle<()>>,
    pub(super) addr: SocketAddr,
}

impl Gateway {
    /// Stops the gateway the way a user does: it finishes requests in flight and hands
    /// every recorded exchange to the state file before it exits.
    pub(super) fn stop(mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = libc::pid_t::try_from(child.id()).context("no process id")?;
        // SAFETY: kill(2) with the id of a child this process started and has not reaped.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        let status = child.wait().context("cannot wait for the gateway")?;
        if let Some(copier) = self.copier.take() {
            let _ = copier.join();
        }
        if !status.success() {
            return Err(anyhow::anyhow!("the gateway stopped with {status}"));
        }
        Ok(())
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(copier) = self.copier.take() {
            let _ = copier.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::listening_address;

    #[test]
    fn the_gateway_address_is_read_from_its_announcement() {
        assert_eq!(
            listening_address("federation `shop` listening on http://127.0.0.1:40123")
                .map(|a| a.to_string())
                .as_deref(),
            Some("127.0.0.1:40123")
        );
        assert_eq!(listening_address("gateway stopped"), None);
    }
}
