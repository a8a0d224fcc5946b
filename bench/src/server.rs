//! The real `balai-server` binary as a child process on 127.0.0.1 with a temporary data dir, and
//! its memory as the kernel sees it (`/proc/<pid>/status`).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

/// Where the binaries under test are.
#[derive(Clone, Debug)]
pub struct Binaries {
    pub server: PathBuf,
}

impl Binaries {
    /// `--bin-dir`/`BALAI_E2E_BIN_DIR` if given, else build them the way the e2e tests do (same
    /// profile as this binary; a no-op when fresh).
    pub fn locate(bin_dir: Option<&Path>) -> anyhow::Result<Self> {
        if let Some(dir) = bin_dir {
            let server = dir.join(format!("balai-server{}", std::env::consts::EXE_SUFFIX));
            if !server.is_file() {
                bail!("{} does not exist", server.display());
            }
            return Ok(Self { server });
        }
        let bins = balai_e2e::binaries();
        Ok(Self {
            server: bins.server.clone(),
        })
    }
}

/// A running server, SIGKILLed when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Start `balai-server --data DATA --listen 127.0.0.1:0` and wait for its address.
    pub fn start(bins: &Binaries, data: &Path) -> anyhow::Result<Self> {
        // Per-session log lines at info are fine; the bench keeps them out of the terminal.
        Self::start_logging(bins, data, "warn")
    }

    /// [`Server::start`] with `RUST_LOG=filter`; its log is `DATA/server.log`.
    pub fn start_logging(bins: &Binaries, data: &Path, filter: &str) -> anyhow::Result<Self> {
        Self::start_args(bins, data, filter, &[])
    }

    /// [`Server::start_logging`] with more `balai-server` flags (e.g. `--sink-postgres URL`).
    pub fn start_args(
        bins: &Binaries,
        data: &Path,
        filter: &str,
        args: &[&str],
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data)?;
        let log = std::fs::File::create(data.join("server.log"))?;
        let mut child = Command::new(&bins.server)
            .arg("--data")
            .arg(data)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .args(args)
            .env_remove("BALAI_DATA")
            .env("RUST_LOG", filter)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {}", bins.server.display()))?;
        let stdout = child.stdout.take().context("stdout is piped")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = tx.send(reader.read_line(&mut line).map(|_| line));
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Ok(line)) => line,
            other => {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "balai-server did not start ({other:?}); log:\n{}",
                    std::fs::read_to_string(data.join("server.log")).unwrap_or_default()
                );
            }
        };
        let addr = line
            .trim()
            .rsplit(' ')
            .next()
            .and_then(|a| a.parse().ok())
            .with_context(|| format!("unexpected first line from balai-server: {line:?}"))?;
        Ok(Self { child, addr })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory since start or the last [`Server::reset_peak`], in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        proc_status_kib(self.pid(), "VmHWM:")
    }

    /// CPU time the server has used so far (user + system), in seconds.
    pub fn cpu_secs(&self) -> f64 {
        cpu_secs(self.pid())
    }

    /// Reset the kernel's peak-RSS mark to the current RSS (`clear_refs` 5), so each scenario
    /// reports its own peak. Best effort: without it, the peak is since start.
    pub fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid()), "5");
    }

    /// Kill with SIGKILL (no shutdown code runs), as a power cut would.
    pub fn kill9(mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn proc_status_kib(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// User + system CPU seconds of process `pid` (`/proc/<pid>/stat`, in clock ticks of 1/100 s).
pub fn cpu_secs(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses and may contain spaces.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}
