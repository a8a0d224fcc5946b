//! End-to-end test harness for Balai: runs the real `balai-server` and `balai` binaries on
//! 127.0.0.1, each server and device in its own temporary directory, and waits on process output
//! and exit with bounded timeouts (never on sleeps).
//!
//! The binaries are built once per test process with `cargo build -p balai-server -p balai-cli
//! --bins` (a no-op of well under a second when they are fresh), so the tests never run binaries
//! that are stale next to the code being tested. Set `BALAI_E2E_BIN_DIR` to an absolute path of a
//! directory holding prebuilt `balai` and `balai-server` to skip the build.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

pub mod proxy;

pub use serde_json::{Value, json};
pub use tempfile::TempDir;

/// How long one `balai` command may run before the test fails. Commands take milliseconds; the
/// bound is generous for a loaded machine and only turns a hang into a clear failure.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long `balai-server` may take to bind and print its address.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long building the binaries may take (a cold debug build on a small machine is slow).
const BUILD_TIMEOUT: Duration = Duration::from_secs(1800);

/// The line `balai-server` prints on stdout once it is listening, before the address.
const LISTENING: &str = "balai-server listening on ";

/// Paths of the two binaries under test.
#[derive(Debug)]
pub struct Binaries {
    pub server: PathBuf,
    pub cli: PathBuf,
}

/// The binaries under test, built on first use (once per test process).
pub fn binaries() -> &'static Binaries {
    static BINARIES: OnceLock<Binaries> = OnceLock::new();
    BINARIES.get_or_init(|| {
        if let Some(dir) = std::env::var_os("BALAI_E2E_BIN_DIR") {
            return prebuilt(&PathBuf::from(dir), "BALAI_E2E_BIN_DIR");
        }
        if !Path::new(env!("CARGO")).is_file() {
            // The test binary runs without the cargo that built it: use what was built next to it.
            return prebuilt(&profile_dir(), "the test binary's target directory");
        }
        build()
    })
}

/// Binaries already built in `dir`.
fn prebuilt(dir: &Path, source: &str) -> Binaries {
    let bins = Binaries {
        server: dir.join(exe("balai-server")),
        cli: dir.join(exe("balai")),
    };
    for path in [&bins.server, &bins.cli] {
        assert!(
            path.is_file(),
            "{} (from {source}) does not exist",
            path.display()
        );
    }
    bins
}

/// `target/<profile dir>`: the directory of the test binary (`…/deps`), up one.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    let deps = exe.parent().expect("the test binary is in a directory");
    if deps.file_name() == Some(OsStr::new("deps")) {
        deps.parent().unwrap_or(deps).to_owned()
    } else {
        deps.to_owned()
    }
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// What to build, for the profile the test binary itself was built with (read off its path,
/// `target/<profile dir>/deps/<test>`), so the binaries are built the same way.
///
/// In the debug profile, the one `cargo test --workspace` uses, ask for what that command builds
/// (every package's binaries and tests). Cargo then resolves the same features and finds the
/// binaries already built. Asking for the two packages alone resolves the features without the
/// dev-dependencies, and cargo compiled the whole dependency tree a second time: minutes of CI
/// and a second copy of it on disk. In another profile (the release bench), only the two
/// packages' binaries are built.
fn build_args() -> Vec<String> {
    let dir = profile_dir();
    let args = match dir.file_name().and_then(OsStr::to_str) {
        None | Some("debug") => vec!["--workspace", "--bins", "--tests"],
        Some(profile) => {
            let packages = ["-p", "balai-server", "-p", "balai-cli", "--bins"];
            [&packages[..], &["--profile", profile]].concat()
        }
    };
    args.into_iter().map(str::to_owned).collect()
}

/// Build both binaries with the cargo that runs the tests and take their paths from cargo's own
/// report (`--message-format=json`), so a custom target directory or profile needs no guessing.
///
/// This works from inside `cargo test`: cargo releases the build-directory lock once the test
/// binaries are built, before it runs them.
fn build() -> Binaries {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the e2e package sits in the workspace root");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(workspace)
        .arg("build")
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .arg("--message-format=json-render-diagnostics")
        .args(build_args());
    let out = run_bounded(&mut cmd, BUILD_TIMEOUT);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "building the binaries failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut server = None;
    let mut cli = None;
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        // The binaries themselves, not the unit-test executables built from the same targets.
        if msg["reason"] != "compiler-artifact" || msg["profile"]["test"] != Value::Bool(false) {
            continue;
        }
        let Some(path) = msg["executable"].as_str() else {
            continue;
        };
        match msg["target"]["name"].as_str() {
            Some("balai-server") => server = Some(PathBuf::from(path)),
            Some("balai") => cli = Some(PathBuf::from(path)),
            _ => {}
        }
    }
    Binaries {
        server: server.expect("cargo reported the balai-server executable"),
        cli: cli.expect("cargo reported the balai executable"),
    }
}

/// Run a command to completion, collecting its output, failing the test if it takes longer than
/// `timeout`. Waits on the output pipes closing (the process exiting), not on a sleep.
pub fn run_bounded(cmd: &mut Command, timeout: Duration) -> Output {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let (tx, rx) = mpsc::channel::<(bool, Vec<u8>)>();
    let pipes: [(bool, Option<Box<dyn Read + Send>>); 2] = [
        (
            true,
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
        (
            false,
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
    ];
    for (is_stdout, pipe) in pipes {
        let mut pipe = pipe.expect("stdout and stderr are piped");
        let tx = tx.clone();
        thread::spawn(move || {
            let mut buf = Vec::new();
            // A read error just ends the capture early; the exit status still tells the story.
            let _ = pipe.read_to_end(&mut buf);
            let _ = tx.send((is_stdout, buf));
        });
    }
    drop(tx);
    let deadline = Instant::now() + timeout;
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok((true, buf)) => stdout = buf,
            Ok((false, buf)) => stderr = buf,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{cmd:?} did not finish within {timeout:?}\nstdout so far:\n{}\nstderr so far:\n{}",
                    String::from_utf8_lossy(&stdout),
                    String::from_utf8_lossy(&stderr)
                );
            }
        }
    }
    let status = child
        .wait()
        .unwrap_or_else(|e| panic!("cannot wait for {cmd:?}: {e}"));
    Output {
        status,
        stdout,
        stderr,
    }
}

/// A running `balai-server` on 127.0.0.1 with its store in a directory the test owns. Killed
/// (SIGKILL) when dropped.
#[derive(Debug)]
pub struct Server {
    child: Option<Child>,
    data: PathBuf,
    addr: SocketAddr,
    /// The server's stderr (its log), kept across restarts for failure messages.
    log: PathBuf,
    _log_dir: TempDir,
    /// A home holding the admin token enrolled before the first start, for `balai admin`.
    admin: Device,
    /// With TLS: the CA file devices must trust.
    ca: Option<PathBuf>,
    /// Extra flags, kept for restarts.
    extra: Vec<String>,
}

impl Server {
    /// Start a server on any free port with its store in `data` (created if missing), and wait
    /// for it to print the address it is listening on.
    pub fn start(data: &Path) -> Server {
        Self::start_with(data, None, &[])
    }

    /// Start a server with extra command-line flags.
    pub fn start_args(data: &Path, args: &[&str]) -> Server {
        Self::start_with(data, None, args)
    }

    /// Start a TLS server with a dev CA and certificate made by `balai-server cert self-signed`
    /// (written into `data/certs`). Its URL is `https://localhost:PORT`.
    pub fn start_tls(data: &Path) -> Server {
        let certs = data.join("certs");
        let mut cmd = Command::new(&binaries().server);
        cmd.args([
            "cert",
            "self-signed",
            "--host",
            "localhost",
            "--host",
            "127.0.0.1",
            "--out",
        ])
        .arg(&certs);
        let out = run_bounded(&mut cmd, COMMAND_TIMEOUT);
        assert!(
            out.status.success(),
            "cert self-signed failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Self::start_with(data, Some(certs), &[])
    }

    fn start_with(data: &Path, certs: Option<PathBuf>, args: &[&str]) -> Server {
        let log_dir = tempfile::Builder::new()
            .prefix("balai-server-log-")
            .tempdir()
            .expect("a temporary directory for the server log");
        let log = log_dir.path().join("stderr.log");
        // Enroll an admin offline, before the server holds the access database.
        let admin_token = enroll_offline(data, "e2e-admin", "admin", None);
        let listen: SocketAddr = "127.0.0.1:0".parse().expect("a valid socket address");
        let extra: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let (child, addr) = spawn_server(data, listen, &log, certs.as_deref(), &extra);
        let ca = certs.map(|c| c.join("ca.pem"));
        let url = match &ca {
            Some(_) => format!("https://localhost:{}", addr.port()),
            None => format!("http://{addr}"),
        };
        let admin = Device::init_args("e2e-admin", &url, &admin_token, ca.as_deref());
        Server {
            child: Some(child),
            data: data.to_owned(),
            addr,
            log,
            _log_dir: log_dir,
            admin,
            ca,
            extra,
        }
    }

    /// Enroll a device over the admin API; returns its token.
    pub fn enroll(&self, name: &str, role: &str, scope: &str) -> String {
        let out = self.admin.ok(&[
            "admin", "device", "add", "--name", name, "--role", role, "--scope", scope,
        ]);
        out.trim().to_owned()
    }

    /// Revoke a device over the admin API.
    pub fn revoke(&self, name: &str) {
        self.admin.ok(&["admin", "device", "revoke", name]);
    }

    /// The admin device (for `balai admin …` calls).
    pub fn admin(&self) -> &Device {
        &self.admin
    }

    /// A facilitator device enrolled for all of province 18, set up with its token.
    pub fn device(&self, name: &str) -> Device {
        self.device_scoped(name, "18")
    }

    /// A facilitator device enrolled for `scope` (comma-separated prefixes).
    pub fn device_scoped(&self, name: &str, scope: &str) -> Device {
        let token = self.enroll(name, "facilitator", scope);
        Device::init_args(name, &self.url(), &token, self.ca())
    }

    /// The address the server is listening on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL devices sync with: `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS.
    pub fn url(&self) -> String {
        match self.ca {
            Some(_) => format!("https://localhost:{}", self.addr.port()),
            None => format!("http://{}", self.addr),
        }
    }

    /// With TLS, the CA certificate devices must trust.
    pub fn ca(&self) -> Option<&Path> {
        self.ca.as_deref()
    }

    /// The server's data directory.
    pub fn data(&self) -> &Path {
        &self.data
    }

    /// Everything the server wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Wait (bounded by [`COMMAND_TIMEOUT`]) until the server's log contains `needle` at least
    /// `count` times. Polls the log file: the server reports through nothing else.
    pub fn wait_for_log(&self, needle: &str, count: usize) {
        let deadline = std::time::Instant::now() + COMMAND_TIMEOUT;
        while self.log().matches(needle).count() < count {
            assert!(
                std::time::Instant::now() < deadline,
                "the server log never showed `{needle}` {count} times:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(2));
        }
    }

    /// Kill the server abruptly (SIGKILL on Unix: no shutdown code runs) and reap it.
    pub fn kill9(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("the server is running");
        child.kill().expect("SIGKILL the server");
        child.wait().expect("reap the killed server")
    }

    /// Ask the server to shut down (SIGTERM, as a service manager does) and wait, bounded by
    /// [`COMMAND_TIMEOUT`], for it to exit.
    pub fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("the server is running");
        let mut kill = Command::new("kill");
        kill.args(["-TERM", &child.id().to_string()]);
        let out = run_bounded(&mut kill, COMMAND_TIMEOUT);
        assert!(out.status.success(), "kill -TERM failed: {out:?}");
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        loop {
            if let Some(status) = child.try_wait().expect("poll the server") {
                return status;
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                panic!("the server did not exit after SIGTERM:\n{}", self.log());
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Start the server again on the same data directory and the same address (so devices keep
    /// their configured URL), killing it first if it is still running.
    pub fn restart(&mut self) {
        if self.child.is_some() {
            self.kill9();
        }
        let certs = self
            .ca
            .as_ref()
            .and_then(|c| c.parent())
            .map(Path::to_path_buf);
        let (child, addr) = spawn_server(
            &self.data,
            self.addr,
            &self.log,
            certs.as_deref(),
            &self.extra,
        );
        assert_eq!(
            addr, self.addr,
            "the restarted server listens where the old one did"
        );
        self.child = Some(child);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `balai-server device add` on a data directory whose server is not running; returns the token.
pub fn enroll_offline(data: &Path, name: &str, role: &str, scope: Option<&str>) -> String {
    let mut cmd = Command::new(&binaries().server);
    cmd.args(["device", "add", "--data"])
        .arg(data)
        .args(["--name", name, "--role", role]);
    if let Some(scope) = scope {
        cmd.args(["--scope", scope]);
    }
    let out = run_bounded(&mut cmd, COMMAND_TIMEOUT);
    assert!(
        out.status.success(),
        "balai-server device add failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Spawn `balai-server` and wait (bounded) for its "listening on" line.
fn spawn_server(
    data: &Path,
    listen: SocketAddr,
    log: &Path,
    certs: Option<&Path>,
    extra: &[String],
) -> (Child, SocketAddr) {
    let stderr = File::options()
        .create(true)
        .append(true)
        .open(log)
        .expect("open the server log");
    let mut cmd = Command::new(&binaries().server);
    cmd.arg("--data")
        .arg(data)
        .arg("--listen")
        .arg(listen.to_string())
        .env_remove("BALAI_DATA")
        // Tests read the log (session lines): pin its level whatever the caller's environment.
        .env("RUST_LOG", "info")
        // Tests send many bad sessions with one token on purpose; the back-off after refused
        // sessions is off unless a test asks for it with --refusal-backoff-ms.
        .env("BALAI_REFUSAL_BACKOFF_MS", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr);
    cmd.args(extra);
    if let Some(certs) = certs {
        cmd.arg("--tls-cert")
            .arg(certs.join("server.pem"))
            .arg("--tls-key")
            .arg(certs.join("server.key"));
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let first = reader.read_line(&mut line).map(|_| line);
        let _ = tx.send(first);
        // Keep draining, so the server can never block on a full stdout pipe.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let line = match rx.recv_timeout(STARTUP_TIMEOUT) {
        Ok(Ok(line)) if !line.is_empty() => line,
        Ok(Ok(_)) => failed_start(
            &mut child,
            log,
            &format!("{cmd:?} exited without saying where it listens"),
        ),
        Ok(Err(e)) => failed_start(
            &mut child,
            log,
            &format!("cannot read the stdout of {cmd:?}: {e}"),
        ),
        Err(_) => failed_start(
            &mut child,
            log,
            &format!("{cmd:?} did not start listening within {STARTUP_TIMEOUT:?}"),
        ),
    };
    let addr = line
        .trim()
        .strip_prefix(LISTENING)
        .and_then(|a| a.parse::<SocketAddr>().ok());
    match addr {
        Some(addr) => (child, addr),
        None => failed_start(
            &mut child,
            log,
            &format!("unexpected first line from balai-server: {line:?}"),
        ),
    }
}

/// Kill a server that did not start properly and fail the test with its log.
fn failed_start(child: &mut Child, log: &Path, what: &str) -> ! {
    let _ = child.kill();
    let status = child.wait();
    panic!(
        "{what} (server {status:?})\nserver log:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// A URL on 127.0.0.1 where nothing listens: a port the OS just handed out and that was closed
/// again, so connecting is refused at once.
pub fn unreachable_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free local port");
    let addr = listener.local_addr().expect("the bound address");
    drop(listener);
    format!("http://{addr}")
}

/// A field device: a `balai` home in its own temporary directory.
#[derive(Debug)]
pub struct Device {
    name: String,
    home: TempDir,
}

impl Device {
    /// `balai init` a new home in a fresh temporary directory, syncing with `server_url`.
    pub fn init(name: &str, server_url: &str) -> Device {
        let home = tempfile::Builder::new()
            .prefix(&format!("balai-{name}-"))
            .tempdir()
            .expect("a temporary directory for the device home");
        let device = Device {
            name: name.to_owned(),
            home,
        };
        device.ok(&["init", "--server", server_url, "--device", name]);
        device
    }

    /// Start `balai ARGS` on this home without waiting for it (stdout and stderr discarded).
    pub fn spawn(&self, args: &[&str]) -> Child {
        Command::new(&binaries().cli)
            .arg("--home")
            .arg(self.home.path())
            .args(args)
            .env_remove("BALAI_HOME")
            .env("BALAI_LANG", "en")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start balai")
    }

    /// `balai init` a new home with an enrolled device's token.
    pub fn init_with_token(name: &str, server_url: &str, token: &str) -> Device {
        Self::init_args(name, server_url, token, None)
    }

    /// `balai init` with a token and, for TLS servers with a private CA, the CA file.
    pub fn init_args(name: &str, server_url: &str, token: &str, ca: Option<&Path>) -> Device {
        let home = tempfile::Builder::new()
            .prefix(&format!("balai-{name}-"))
            .tempdir()
            .expect("a temporary directory for the device home");
        let device = Device {
            name: name.to_owned(),
            home,
        };
        let mut args = vec!["init", "--server", server_url, "--token", token];
        let ca_text = ca.map(|c| c.display().to_string());
        if let Some(ca) = &ca_text {
            args.extend(["--ca", ca.as_str()]);
        }
        device.ok(&args);
        device
    }

    /// The device name given at `init` (what check-ins record as `checked_in_by`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The device's home directory.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Run `balai --home HOME ARGS…` to completion (bounded), whatever its outcome. In
    /// English whatever the machine's locale, since tests match what it prints.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(&binaries().cli);
        cmd.arg("--home")
            .arg(self.home.path())
            .args(args)
            .env_remove("BALAI_HOME")
            .env_remove("BALAI_LOG")
            .env("BALAI_LANG", "en");
        run_bounded(&mut cmd, COMMAND_TIMEOUT)
    }

    /// Run a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{}",
            self.describe("should have succeeded", args, &out)
        );
        String::from_utf8(out.stdout).expect("balai prints UTF-8")
    }

    /// Run a command that must fail; returns its stderr.
    pub fn fail(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "{}",
            self.describe("should have failed", args, &out)
        );
        String::from_utf8(out.stderr).expect("balai prints UTF-8")
    }

    /// Run a command that must succeed and print JSON; returns the parsed value.
    pub fn json(&self, args: &[&str]) -> Value {
        let stdout = self.ok(args);
        serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "`balai {}` on {} printed invalid JSON ({e}):\n{stdout}",
                args.join(" "),
                self.name
            )
        })
    }

    /// Run a command that creates a document; returns the id it printed.
    pub fn create(&self, args: &[&str]) -> String {
        let id = self.ok(args).trim().to_owned();
        assert!(
            !id.is_empty() && !id.contains(char::is_whitespace),
            "`balai {}` should print one document id, printed {id:?}",
            args.join(" ")
        );
        id
    }

    /// `balai show ID --json`.
    pub fn show_json(&self, id: &str) -> Value {
        self.json(&["show", id, "--json"])
    }

    /// `balai list --json`.
    pub fn list_json(&self) -> Value {
        self.json(&["list", "--json"])
    }

    /// `balai status --json`.
    pub fn status_json(&self) -> Value {
        self.json(&["status", "--json"])
    }

    /// `balai sync --json`, which must succeed; returns the report.
    pub fn sync(&self) -> Value {
        self.json(&["sync", "--json"])
    }

    fn describe(&self, expectation: &str, args: &[&str], out: &Output) -> String {
        format!(
            "`balai {}` on device {} {expectation} but exited with {}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            self.name,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }
}

/// A counter from a `balai sync --json` report.
pub fn counter(report: &Value, key: &str) -> u64 {
    report[key]
        .as_u64()
        .unwrap_or_else(|| panic!("the sync report has no counter `{key}`: {report:#}"))
}

/// The ids in a `balai list --json` listing, in listed order.
pub fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("`balai list --json` prints an array, got {list:#}"))
        .iter()
        .map(|row| {
            row["id"]
                .as_str()
                .unwrap_or_else(|| panic!("a listed row has an id: {row:#}"))
                .to_owned()
        })
        .collect()
}

/// Run `balai-server ARGS…` to completion (bounded), e.g. an offline `device …` command on a data
/// directory whose server is not running.
pub fn server_command(args: &[&str]) -> Output {
    let mut cmd = Command::new(&binaries().server);
    cmd.args(args).env_remove("BALAI_DATA");
    run_bounded(&mut cmd, COMMAND_TIMEOUT)
}

/// `balai minutes new` in `village` on `device`; returns the new document's id.
pub fn new_minutes(device: &Device, village: &str, title: &str) -> String {
    device.create(&[
        "minutes",
        "new",
        "--village",
        village,
        "--title",
        title,
        "--date",
        "2026-11-29",
    ])
}

/// Poll `done` until it returns true, failing with `what` after `limit`. For conditions that
/// become true through background work (upstream replication); each poll is a real command, so
/// the loop waits on the system's progress, not on a guessed sleep.
pub fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out after {limit:?}: {what}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}
