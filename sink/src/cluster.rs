//! A throwaway PostgreSQL server for tests and the benchmark: `initdb` into a fresh temporary
//! directory, `pg_ctl start` on a free loopback port, trust authentication, durability off.
//!
//! Binaries come from `BALAI_PG_BIN` (a directory), else `pg_config --bindir`, else the newest
//! `/usr/lib/postgresql/*/bin` (where Debian puts them). `initdb` refuses to run as root, so as
//! root the server runs as the `postgres` user (or `nobody`) and the temporary directory is
//! handed to that user; its parent (normally `/tmp`) must be traversable by them.

use std::fs;
use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// How many free ports `start` tries before giving up (another process may grab one first).
const START_ATTEMPTS: usize = 3;
/// How much of the server log an error quotes.
const LOG_TAIL_LINES: usize = 20;
/// Appended to postgresql.conf, with `port` and `unix_socket_directories` (so that the server
/// never touches /var/run/postgresql). Durability is off: the data is thrown away anyway.
const SETTINGS: &str = "\n# balai-sink TempCluster\nlisten_addresses = '127.0.0.1'\nfsync = off\n\
    synchronous_commit = off\nfull_page_writes = off\nshared_buffers = 32MB\nmax_connections = 40\n\
    log_min_messages = warning\n";
/// Connection variables that would override the explicit arguments given to the client tools.
const PG_ENV: &str = "PGDATA PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE";

/// A running PostgreSQL cluster in a temporary directory, stopped and deleted on drop.
/// The superuser is `postgres`; loopback connections need no password.
#[derive(Debug)]
pub struct TempCluster {
    bin: PathBuf,
    /// Holds `data/` (the cluster), `log` (the server log) and the Unix socket.
    dir: tempfile::TempDir,
    port: u16,
    /// `(uid, gid)` the server runs as when we are root.
    run_as: Option<(u32, u32)>,
}

/// Why a [`TempCluster`] could not be started, used or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL not found (looked in {searched}): install Debian's postgresql package \
         or set BALAI_PG_BIN to the directory holding initdb and pg_ctl"
    )]
    NotFound { searched: String },
    #[error(
        "running as root, which initdb refuses, and /etc/passwd has neither a `postgres` \
         nor a `nobody` user to run the server as: create one, or run as a normal user"
    )]
    NoUser,
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error("`{command}` failed ({status}):\n{details}")]
    Failed {
        command: String,
        status: ExitStatus,
        /// The tool's stderr, and the server log's last lines when the server was involved.
        details: String,
    },
}

impl TempCluster {
    /// Creates a cluster in a fresh temporary directory and starts it on a free port.
    pub fn start() -> Result<Self, ClusterError> {
        let (bin, run_as) = (find_bin()?, server_user()?);
        let dir = tempfile::Builder::new()
            .prefix("balai-pg-")
            .permissions(fs::Permissions::from_mode(0o700))
            .tempdir()
            .map_err(|e| io_error("cannot create a temporary directory for PostgreSQL", e))?;
        if let Some((uid, gid)) = run_as {
            chown(dir.path(), Some(uid), Some(gid))
                .map_err(|e| io_error(format!("cannot chown {}", dir.path().display()), e))?;
        }
        // From here on, dropping `cluster` cleans up whatever has been done.
        let mut cluster = TempCluster {
            bin,
            dir,
            port: 0,
            run_as,
        };
        if cluster.initdb("C.UTF-8").is_err() {
            // initdb removes what it created on failure; make sure before retrying.
            let _ = fs::remove_dir_all(cluster.data_dir());
            cluster.initdb("C")?;
        }
        let conf_path = cluster.data_dir().join("postgresql.conf");
        let conf = fs::read_to_string(&conf_path)
            .map_err(|e| io_error(format!("cannot read {}", conf_path.display()), e))?;
        let socket_dir = cluster.dir.path().display().to_string().replace('\'', "''");
        let mut attempt = 1;
        loop {
            cluster.port = free_port()?;
            let port = cluster.port;
            let settings =
                format!("{SETTINGS}port = {port}\nunix_socket_directories = '{socket_dir}'\n");
            // Rewriting (not appending) keeps the file's owner and leaves one `port` line.
            fs::write(&conf_path, format!("{conf}{settings}"))
                .map_err(|e| io_error(format!("cannot write {}", conf_path.display()), e))?;
            match cluster.restart() {
                Ok(()) => return Ok(cluster),
                Err(e) if attempt == START_ATTEMPTS => return Err(e),
                Err(_) => attempt += 1, // most likely the port was taken meanwhile
            }
        }
    }

    /// The TCP port the server listens on (on 127.0.0.1), the same across `stop`/`restart`.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection URL for `database` as the superuser `postgres`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates a database with `createdb`.
    pub fn create_database(&self, name: &str) -> Result<(), ClusterError> {
        let mut cmd = self.client("createdb");
        self.run(cmd.arg("--").arg(name), "createdb", false)
            .map(drop)
    }

    /// Stops the server (`pg_ctl stop -m fast`), keeping its data, e.g. to test an outage.
    pub fn stop(&self) -> Result<(), ClusterError> {
        let mut cmd = self.command("pg_ctl", true);
        cmd.args(["stop", "-m", "fast", "-w", "-D"])
            .arg(self.data_dir());
        self.run(&mut cmd, "pg_ctl stop", true).map(drop)
    }

    /// Starts the server again after [`stop`](Self::stop), on the same port; returns once it
    /// accepts connections (`pg_ctl start -w`).
    pub fn restart(&self) -> Result<(), ClusterError> {
        let mut cmd = self.command("pg_ctl", true);
        cmd.args(["start", "-w", "-t", "60", "-D"])
            .arg(self.data_dir());
        self.run(cmd.arg("-l").arg(self.log_path()), "pg_ctl start", true)
            .map(drop)
    }

    /// Runs `sql` in `database` with `psql` (unaligned, tuples only, stopping at the first
    /// error) and returns its trimmed output.
    pub fn psql(&self, database: &str, sql: &str) -> Result<String, ClusterError> {
        let mut cmd = self.client("psql");
        cmd.args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1"]);
        cmd.args(["-d", database, "-c", sql]);
        Ok(self.run(&mut cmd, "psql", false)?.trim().to_owned())
    }

    /// A `psql` on `database` for the caller to spawn with its own stdin: an interactive
    /// session, e.g. one that holds a lock while a test looks at what waits on it.
    pub fn psql_session(&self, database: &str) -> Command {
        let mut cmd = self.client("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database]);
        cmd.stdin(Stdio::piped());
        cmd
    }

    /// Creates the cluster in `data/`: superuser `postgres`, trust authentication.
    fn initdb(&self, locale: &str) -> Result<(), ClusterError> {
        let mut cmd = self.command("initdb", true);
        cmd.arg("-D").arg(self.data_dir());
        cmd.args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        self.run(cmd.arg(format!("--locale={locale}")), "initdb", false)
            .map(drop)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("log")
    }

    /// A command for one of the PostgreSQL binaries, as the server's user if `as_server`.
    fn command(&self, program: &str, as_server: bool) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        cmd.current_dir(self.dir.path()).stdin(Stdio::null());
        for var in PG_ENV.split_whitespace() {
            cmd.env_remove(var);
        }
        if let (true, Some((uid, gid))) = (as_server, self.run_as) {
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    /// A client tool connecting over TCP as `postgres`.
    fn client(&self, program: &str) -> Command {
        let mut cmd = self.command(program, false);
        let port = self.port.to_string();
        cmd.args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-w"]);
        cmd
    }

    /// Runs `cmd` to completion and returns its stdout; on failure the error carries its
    /// stderr, plus the server log's tail if `with_log`.
    fn run(&self, cmd: &mut Command, name: &str, with_log: bool) -> Result<String, ClusterError> {
        let program = Path::new(cmd.get_program()).display().to_string();
        let out = cmd
            .output()
            .map_err(|e| io_error(format!("cannot run {program}"), e))?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        let mut details = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        if with_log {
            let log = fs::read_to_string(self.log_path()).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n");
            let log_path = self.log_path();
            details.push_str(&format!("\nlast lines of {}:\n{tail}", log_path.display()));
        }
        Err(ClusterError::Failed {
            command: name.to_owned(),
            status: out.status,
            details,
        })
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let mut cmd = self.command("pg_ctl", true);
        cmd.args(["stop", "-m", "immediate", "-w", "-D"])
            .arg(self.data_dir());
        let _ = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status();
        // `self.dir` then deletes the directory.
    }
}

fn io_error(what: impl Into<String>, source: io::Error) -> ClusterError {
    ClusterError::Io {
        what: what.into(),
        source,
    }
}

/// The directory holding `initdb`, `pg_ctl`, `psql` and `createdb`.
fn find_bin() -> Result<PathBuf, ClusterError> {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file();
    if let Some(dir) = std::env::var_os("BALAI_PG_BIN") {
        let dir = PathBuf::from(dir);
        return match has_initdb(&dir) {
            true => Ok(dir),
            false => Err(ClusterError::NotFound {
                searched: format!("BALAI_PG_BIN={}", dir.display()),
            }),
        };
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_initdb(&dir) {
            return Ok(dir);
        }
    }
    // Highest major version first (numerically: 9.6 < 10 < 17).
    let mut dirs: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (
                name.split('.').map(|n| n.parse().unwrap_or(0)).collect(),
                entry.path().join("bin"),
            )
        })
        .filter(|(_, bin)| has_initdb(bin))
        .collect();
    dirs.sort();
    dirs.pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| ClusterError::NotFound {
            searched: "pg_config --bindir, /usr/lib/postgresql/*/bin".to_owned(),
        })
}

/// As root (which initdb refuses), the `(uid, gid)` to run the server as: `postgres`, else
/// `nobody`. `None` when not root: run directly.
fn server_user() -> Result<Option<(u32, u32)>, ClusterError> {
    if !effective_uid_is_root() {
        return Ok(None);
    }
    let user = system_user("postgres").or_else(|| system_user("nobody"));
    user.map(Some).ok_or(ClusterError::NoUser)
}

/// Whether the effective uid (second field of `Uid:` in /proc/self/status) is 0.
fn effective_uid_is_root() -> bool {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let uid = status.lines().find_map(|line| line.strip_prefix("Uid:"));
    uid.and_then(|ids| ids.split_whitespace().nth(1)) == Some("0")
}

/// `(uid, gid)` of a user in /etc/passwd.
fn system_user(name: &str) -> Option<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        match fields[..] {
            [user, _, uid, gid, ..] if user == name => Some((uid.parse().ok()?, gid.parse().ok()?)),
            _ => None,
        }
    })
}

/// A loopback port nobody listens on right now (the caller retries if it is taken meanwhile).
fn free_port() -> Result<u16, ClusterError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| io_error("cannot bind 127.0.0.1:0 to find a free port", e))?;
    let addr = listener.local_addr();
    Ok(addr
        .map_err(|e| io_error("cannot read a bound port", e))?
        .port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_queries_stops_and_restarts() -> Result<(), ClusterError> {
        let cluster = TempCluster::start()?;
        let port = cluster.port();
        assert_eq!(
            cluster.url("balai"),
            format!("postgres://postgres@127.0.0.1:{port}/balai")
        );
        cluster.create_database("balai")?;
        assert_eq!(cluster.psql("balai", "select 1+1")?, "2");
        assert_eq!(cluster.psql("balai", "show fsync")?, "off");

        cluster.stop()?;
        assert!(
            cluster.psql("balai", "select 1").is_err(),
            "the server should be down"
        );
        cluster.restart()?;
        assert_eq!(cluster.port(), port);
        assert_eq!(cluster.psql("balai", "select 1+1")?, "2");

        let err = cluster.psql("balai", "select nonsense").err();
        assert!(matches!(err, Some(ClusterError::Failed { .. })), "{err:?}");
        Ok(())
    }

    #[test]
    fn clusters_are_independent_and_cleaned_up() -> Result<(), ClusterError> {
        let (a, b) = (TempCluster::start()?, TempCluster::start()?);
        assert_ne!(a.port(), b.port());
        a.psql("postgres", "create table only_in_a (x int)")?;
        assert_eq!(
            b.psql(
                "postgres",
                "select count(*) from pg_tables where tablename = 'only_in_a'"
            )?,
            "0"
        );
        let dir = a.dir.path().to_owned();
        drop(a);
        assert!(!dir.exists(), "{} should be removed", dir.display());
        Ok(())
    }
}
