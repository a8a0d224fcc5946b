//! A fault-injecting TCP proxy for end-to-end tests: listens on 127.0.0.1, forwards to a target,
//! and per direction can cut the connection after N bytes (or at a seeded random offset), add
//! one-way latency, cap bandwidth, or stall (stop forwarding without closing). Plain threads; every
//! blocking call has a short timeout and every loop ends when the proxy is dropped.
//!
//! Each connection gets two pumps per direction: a reader that timestamps chunks into a bounded
//! queue and a writer that releases them after the latency, paced to the bandwidth cap, counting
//! bytes against the cut and stall limits. A stalled writer stops writing, its queue fills and
//! the reader stops reading, so TCP backpressure reaches the sender: the link looks dead but open.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How often blocked reads and queue waits look at whether the proxy or connection is closing.
const POLL: Duration = Duration::from_millis(20);
/// Bytes read per chunk.
const CHUNK: usize = 16 * 1024;
/// Chunks queued per direction before the reader stops reading (backpressure).
const QUEUE: usize = 16;
/// Paced writes go out in slices this big, so a bandwidth cap is smooth.
const PACE_SLICE: usize = 512;

/// A cut at a random byte offset below `below`, drawn from `seed` (and the connection's number,
/// so each connection is cut somewhere else, reproducibly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RandomCut {
    pub seed: u64,
    pub below: u64,
}

/// Faults for the bytes flowing one way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Close the whole connection once this many bytes went this way (the chunk that crosses the
    /// limit is forwarded only up to it).
    pub cut_after: Option<u64>,
    /// Like `cut_after`, at a random offset.
    pub cut_at_random: Option<RandomCut>,
    /// Hold every chunk this long before forwarding it (one-way delay; throughput is unchanged).
    pub latency: Duration,
    /// Forward at most this many bytes per second.
    pub bytes_per_sec: Option<u64>,
    /// Stop forwarding once this many bytes went this way, keeping the connection open.
    pub stall_after: Option<u64>,
}

impl Faults {
    /// The effective cut limit for connection number `conn`.
    fn cut_limit(&self, conn: u64) -> Option<u64> {
        let random = self
            .cut_at_random
            .map(|r| SplitMix64(r.seed ^ conn.wrapping_mul(0x9e37_79b9_7f4a_7c15)).below(r.below));
        match (self.cut_after, random) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// What the proxy does to each new connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultPlan {
    /// Client → target (requests).
    pub upstream: Faults,
    /// Target → client (responses).
    pub downstream: Faults,
    /// Close the connection once this many bytes went both ways together.
    pub cut_after_total: Option<u64>,
}

impl FaultPlan {
    /// Forward everything untouched.
    pub fn clean() -> Self {
        Self::default()
    }

    /// Cut each connection after `n` bytes client → target.
    pub fn cut_upstream_after(n: u64) -> Self {
        Self {
            upstream: Faults {
                cut_after: Some(n),
                ..Faults::default()
            },
            ..Self::default()
        }
    }

    /// Cut each connection after `n` bytes target → client.
    pub fn cut_downstream_after(n: u64) -> Self {
        Self {
            downstream: Faults {
                cut_after: Some(n),
                ..Faults::default()
            },
            ..Self::default()
        }
    }
}

/// A small, seedable generator (SplitMix64): reproducible cuts without a dependency.
#[derive(Clone, Copy, Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking pump thread must not wedge the others (or the test's Drop).
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Counters shared by the proxy and its connections.
#[derive(Debug, Default)]
struct Counters {
    upstream: AtomicU64,
    downstream: AtomicU64,
    connections: AtomicU64,
    cuts: AtomicU64,
}

/// State shared by the proxy, its accept loop and every pump.
#[derive(Debug)]
struct Shared {
    stop: AtomicBool,
    plan: Mutex<FaultPlan>,
    counters: Counters,
    /// Live connections, so dropping the proxy can close them.
    conns: Mutex<Vec<Arc<Conn>>>,
    /// Every pump thread, joined on drop.
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// One proxied connection: both sockets (to close them from any pump) and its byte budget.
#[derive(Debug)]
struct Conn {
    client: TcpStream,
    target: TcpStream,
    closed: AtomicBool,
    /// Directions whose source reached end of stream; at two the connection is over.
    ended: AtomicU64,
    /// Bytes forwarded both ways together, against `FaultPlan::cut_after_total`. Held across one
    /// `write` call (at most `POLL`), so the two directions never overshoot the limit together.
    total: Mutex<u64>,
    cut_after_total: Option<u64>,
}

impl Conn {
    /// Close both sockets (both ways), waking every pump of this connection. The first closer
    /// counts a cut first if `cut` is given, so the count is visible before anyone sees the close.
    fn close(&self, cut: Option<&AtomicU64>) {
        if !self.closed.swap(true, Ordering::SeqCst) {
            if let Some(cuts) = cut {
                cuts.fetch_add(1, Ordering::SeqCst);
            }
            let _ = self.client.shutdown(Shutdown::Both);
            let _ = self.target.shutdown(Shutdown::Both);
        }
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}

/// A running proxy. Dropping it stops accepting, closes every connection and joins every thread.
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Listen on 127.0.0.1 (any free port) and forward each connection to `target` under `plan`.
    pub fn start(target: SocketAddr, plan: FaultPlan) -> Proxy {
        assert!(
            target.ip().is_loopback(),
            "the test proxy only forwards to 127.0.0.1, not {target}"
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy on 127.0.0.1");
        let addr = listener.local_addr().expect("the proxy's address");
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            plan: Mutex::new(plan),
            counters: Counters::default(),
            conns: Mutex::new(Vec::new()),
            threads: Mutex::new(Vec::new()),
        });
        let accept = {
            let shared = shared.clone();
            thread::Builder::new()
                .name("proxy-accept".into())
                .spawn(move || accept_loop(&listener, target, &shared))
                .expect("spawn the proxy's accept thread")
        };
        Proxy {
            addr,
            shared,
            accept: Some(accept),
        }
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, for a device's `--server`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Faults for connections accepted from now on (open ones keep theirs).
    pub fn set_plan(&self, plan: FaultPlan) {
        *lock(&self.shared.plan) = plan;
    }

    /// Bytes forwarded client → target, over all connections.
    pub fn bytes_upstream(&self) -> u64 {
        self.shared.counters.upstream.load(Ordering::SeqCst)
    }

    /// Bytes forwarded target → client, over all connections.
    pub fn bytes_downstream(&self) -> u64 {
        self.shared.counters.downstream.load(Ordering::SeqCst)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.shared.counters.connections.load(Ordering::SeqCst)
    }

    /// Connections the proxy cut (a cut or total limit was reached).
    pub fn cuts(&self) -> u64 {
        self.shared.counters.cuts.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop, which blocks in accept().
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        for conn in lock(&self.shared.conns).drain(..) {
            conn.close(None);
        }
        let threads: Vec<JoinHandle<()>> = lock(&self.shared.threads).drain(..).collect();
        for t in threads {
            let _ = t.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, target: SocketAddr, shared: &Arc<Shared>) {
    for client in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(client) = client else { continue };
        let n = shared.counters.connections.fetch_add(1, Ordering::SeqCst);
        let plan = lock(&shared.plan).clone();
        // The target is on 127.0.0.1: refused or not, the answer is immediate.
        let Ok(upstream) = TcpStream::connect_timeout(&target, Duration::from_secs(5)) else {
            let _ = client.shutdown(Shutdown::Both);
            continue;
        };
        for s in [&client, &upstream] {
            let _ = s.set_nodelay(true);
            let _ = s.set_write_timeout(Some(POLL));
        }
        let (Ok(client2), Ok(upstream2)) = (client.try_clone(), upstream.try_clone()) else {
            continue;
        };
        let conn = Arc::new(Conn {
            client,
            target: upstream,
            closed: AtomicBool::new(false),
            ended: AtomicU64::new(0),
            total: Mutex::new(0),
            cut_after_total: plan.cut_after_total,
        });
        lock(&shared.conns).retain(|c| !c.is_closed());
        lock(&shared.conns).push(conn.clone());
        lock(&shared.threads).retain(|t| !t.is_finished());
        let directions = [
            (client2, Dir::Upstream, plan.upstream.clone()),
            (upstream2, Dir::Downstream, plan.downstream.clone()),
        ];
        for (source, dir, faults) in directions {
            let limit = faults.cut_limit(n);
            let pumps = spawn_direction(source, dir, faults, limit, &conn, shared);
            lock(&shared.threads).extend(pumps);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Upstream,
    Downstream,
}

/// What the reader hands the writer.
enum Chunk {
    Data {
        ready_at: Instant,
        bytes: Vec<u8>,
    },
    /// The source closed its sending side.
    Eof,
}

fn spawn_direction(
    mut source: TcpStream,
    dir: Dir,
    faults: Faults,
    cut_limit: Option<u64>,
    conn: &Arc<Conn>,
    shared: &Arc<Shared>,
) -> [JoinHandle<()>; 2] {
    let (tx, rx) = mpsc::sync_channel::<Chunk>(QUEUE);
    let reader = {
        let conn = conn.clone();
        let shared = shared.clone();
        let latency = faults.latency;
        thread::spawn(move || {
            let _ = source.set_read_timeout(Some(POLL));
            let mut buf = vec![0; CHUNK];
            while !shared.stop.load(Ordering::SeqCst) && !conn.is_closed() {
                let chunk = match source.read(&mut buf) {
                    Ok(0) => Chunk::Eof,
                    Ok(n) => Chunk::Data {
                        ready_at: Instant::now() + latency,
                        bytes: buf[..n].to_vec(),
                    },
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                        continue;
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => {
                        conn.close(None);
                        return;
                    }
                };
                let eof = matches!(chunk, Chunk::Eof);
                // A full queue (stalled or slow writer) blocks here: backpressure.
                let mut pending = Some(chunk);
                while let Some(c) = pending.take() {
                    match tx.try_send(c) {
                        Ok(()) => {}
                        Err(mpsc::TrySendError::Full(c)) => {
                            if shared.stop.load(Ordering::SeqCst) || conn.is_closed() {
                                return;
                            }
                            pending = Some(c);
                            thread::sleep(POLL / 4);
                        }
                        Err(mpsc::TrySendError::Disconnected(_)) => return,
                    }
                }
                if eof {
                    return;
                }
            }
        })
    };
    let writer = {
        let conn = conn.clone();
        let shared = shared.clone();
        thread::spawn(move || {
            let mut pump = Writer {
                dir,
                faults,
                cut_limit,
                sent: 0,
                started: Instant::now(),
                conn,
                shared,
            };
            pump.run(&rx);
        })
    };
    [reader, writer]
}

/// The writing half of one direction.
struct Writer {
    dir: Dir,
    faults: Faults,
    cut_limit: Option<u64>,
    /// Bytes forwarded this way on this connection.
    sent: u64,
    started: Instant,
    conn: Arc<Conn>,
    shared: Arc<Shared>,
}

impl Writer {
    fn alive(&self) -> bool {
        !self.shared.stop.load(Ordering::SeqCst) && !self.conn.is_closed()
    }

    fn destination(&self) -> &TcpStream {
        match self.dir {
            Dir::Upstream => &self.conn.target,
            Dir::Downstream => &self.conn.client,
        }
    }

    fn counter(&self) -> &AtomicU64 {
        match self.dir {
            Dir::Upstream => &self.shared.counters.upstream,
            Dir::Downstream => &self.shared.counters.downstream,
        }
    }

    fn run(&mut self, rx: &mpsc::Receiver<Chunk>) {
        if self.cut_limit == Some(0) || self.conn.cut_after_total == Some(0) {
            self.conn.close(Some(&self.shared.counters.cuts));
            return;
        }
        while self.alive() {
            let chunk = match rx.recv_timeout(POLL) {
                Ok(chunk) => chunk,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            match chunk {
                Chunk::Eof => {
                    // Half-close: the other direction may still be talking. Once both ended,
                    // the connection is over.
                    let _ = self.destination().shutdown(Shutdown::Write);
                    if self.conn.ended.fetch_add(1, Ordering::SeqCst) == 1 {
                        self.conn.close(None);
                    }
                    return;
                }
                Chunk::Data { ready_at, bytes } => {
                    if !self.wait_until(ready_at) || !self.forward(&bytes) {
                        return;
                    }
                }
            }
        }
    }

    /// Sleep until `t`, waking to check for shutdown. False if the connection is going away.
    fn wait_until(&self, t: Instant) -> bool {
        loop {
            if !self.alive() {
                return false;
            }
            let now = Instant::now();
            if now >= t {
                return true;
            }
            thread::sleep((t - now).min(POLL));
        }
    }

    /// Forward `bytes` under the limits; false once this direction is done (cut or stalled).
    fn forward(&mut self, mut bytes: &[u8]) -> bool {
        while !bytes.is_empty() {
            if self.stalled() {
                // Hold the connection open and silent: take nothing more from the queue, so the
                // reader fills it and stops reading.
                self.hold();
                return false;
            }
            let mut n = bytes.len();
            if self.faults.bytes_per_sec.is_some() {
                n = n.min(PACE_SLICE);
            }
            // Neither limit is reached here (a cut closes right after the write that reaches
            // it, a stall is handled above), so `n` stays positive.
            for limit in [self.cut_limit, self.faults.stall_after]
                .into_iter()
                .flatten()
            {
                n = n.min(usize::try_from(limit - self.sent).unwrap_or(usize::MAX));
            }
            if let Some(rate) = self.faults.bytes_per_sec {
                // Never ahead of `rate` since this direction started.
                let due = self.started
                    + Duration::from_secs_f64((self.sent + n as u64) as f64 / rate.max(1) as f64);
                if !self.wait_until(due) {
                    return false;
                }
            }
            if !self.send(&bytes[..n]) {
                return false;
            }
            bytes = &bytes[n..];
            if self.cut_limit == Some(self.sent) {
                self.conn.close(Some(&self.shared.counters.cuts));
                return false;
            }
        }
        true
    }

    /// Write all of `buf`, counting each byte the destination accepts, against the connection's
    /// total limit too. False once the connection is closed or its total is spent. Writes time
    /// out every `POLL`, so a destination that stops reading cannot hang the proxy.
    fn send(&mut self, mut buf: &[u8]) -> bool {
        let conn = self.conn.clone();
        while !buf.is_empty() {
            if !self.alive() {
                return false;
            }
            let mut total = conn.cut_after_total.map(|limit| (limit, lock(&conn.total)));
            let allowed = match &total {
                Some((limit, used)) => usize::try_from(limit - **used).unwrap_or(usize::MAX),
                None => usize::MAX,
            };
            if allowed == 0 {
                // The other direction spent the budget and is closing the connection.
                drop(total);
                self.hold();
                return false;
            }
            match self.destination().write(&buf[..buf.len().min(allowed)]) {
                Ok(0) => {
                    conn.close(None);
                    return false;
                }
                Ok(n) => {
                    self.sent += n as u64;
                    self.counter().fetch_add(n as u64, Ordering::SeqCst);
                    buf = &buf[n..];
                    if let Some((limit, used)) = &mut total {
                        **used += n as u64;
                        if **used == *limit {
                            conn.close(Some(&self.shared.counters.cuts));
                            return false;
                        }
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                    ) => {}
                Err(_) => {
                    conn.close(None);
                    return false;
                }
            }
        }
        true
    }

    /// Wait, forwarding nothing, until the connection or the proxy closes.
    fn hold(&self) {
        while self.alive() {
            thread::sleep(POLL);
        }
    }

    fn stalled(&self) -> bool {
        self.faults.stall_after.is_some_and(|s| self.sent >= s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_cuts_are_reproducible_and_differ_per_connection() {
        let faults = Faults {
            cut_at_random: Some(RandomCut {
                seed: 7,
                below: 1000,
            }),
            ..Faults::default()
        };
        let a: Vec<Option<u64>> = (0..5).map(|c| faults.cut_limit(c)).collect();
        let b: Vec<Option<u64>> = (0..5).map(|c| faults.cut_limit(c)).collect();
        assert_eq!(a, b);
        assert!(a.iter().all(|l| l.is_some_and(|l| l < 1000)), "{a:?}");
        assert!(a.windows(2).any(|w| w[0] != w[1]), "{a:?}");
        let both = Faults {
            cut_after: Some(3),
            ..faults
        };
        assert_eq!(both.cut_limit(0), Some(3.min(a[0].expect("some"))));
    }
}
