//! Tests of the fault-injecting proxy itself, against tiny servers on 127.0.0.1 (echo, sink,
//! source): exact cuts, seeded random cuts, latency and bandwidth lower bounds, stalls that keep
//! the connection open, plan changes for later connections, and a clean stop on drop.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use balai_e2e::proxy::{FaultPlan, Faults, Proxy, RandomCut};

/// Upper bound on any wait in these tests; reached only when the proxy is broken.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A server accepting `conns` connections and running `serve` on each, in threads.
fn server(
    conns: usize,
    serve: impl Fn(TcpStream) + Send + Clone + 'static,
) -> (SocketAddr, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let handle = thread::spawn(move || {
        let mut handles = Vec::new();
        for stream in listener.incoming().take(conns) {
            let stream = stream.expect("accept");
            let _ = stream.set_read_timeout(Some(TIMEOUT));
            let serve = serve.clone();
            handles.push(thread::spawn(move || serve(stream)));
        }
        for h in handles {
            h.join().expect("server connection thread");
        }
    });
    (addr, handle)
}

fn echo(mut s: TcpStream) {
    let mut buf = [0; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if s.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        }
    }
}

/// A server that reads until EOF (or error) and reports how many bytes it got.
fn sink(
    conns: usize,
) -> (
    SocketAddr,
    mpsc::Receiver<(u64, bool)>,
    thread::JoinHandle<()>,
) {
    let (tx, rx) = mpsc::channel();
    let (addr, handle) = server(conns, move |mut s| {
        let mut got = 0u64;
        let mut buf = [0; 4096];
        let clean_eof = loop {
            match s.read(&mut buf) {
                Ok(0) => break true,
                Ok(n) => got += n as u64,
                Err(_) => break false,
            }
        };
        let _ = tx.send((got, clean_eof));
    });
    (addr, rx, handle)
}

fn client(proxy: &Proxy) -> TcpStream {
    let s = TcpStream::connect(proxy.addr()).expect("connect to the proxy");
    s.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    s.set_write_timeout(Some(TIMEOUT)).expect("timeout");
    s
}

/// Read until EOF or error; the bytes read.
fn read_to_end(s: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => {
                assert!(
                    !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
                    "the proxy neither forwarded nor closed within {TIMEOUT:?}"
                );
                return out;
            }
        }
    }
}

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
}

#[test]
fn a_clean_proxy_forwards_everything_both_ways_and_counts_it() {
    let (addr, server) = server(1, echo);
    let proxy = Proxy::start(addr, FaultPlan::clean());
    let mut c = client(&proxy);
    let data = pattern(100_000);
    let writer = {
        let mut c = c.try_clone().expect("clone");
        let data = data.clone();
        thread::spawn(move || {
            c.write_all(&data).expect("write");
            c.shutdown(Shutdown::Write).expect("half-close");
        })
    };
    let back = read_to_end(&mut c);
    writer.join().expect("writer");
    assert_eq!(back, data, "echoed intact through the proxy");
    assert_eq!(proxy.bytes_upstream(), 100_000);
    assert_eq!(proxy.bytes_downstream(), 100_000);
    assert_eq!((proxy.connections(), proxy.cuts()), (1, 0));
    server.join().expect("server");
}

#[test]
fn a_cut_after_n_upstream_bytes_delivers_exactly_n_then_closes() {
    let (addr, got, server) = sink(1);
    let proxy = Proxy::start(addr, FaultPlan::cut_upstream_after(10_000));
    let mut c = client(&proxy);
    // The write may fail once the proxy closes; what matters is what arrived.
    let _ = c.write_all(&pattern(50_000));
    let (n, _) = got.recv_timeout(TIMEOUT).expect("the sink saw the end");
    assert_eq!(n, 10_000);
    assert_eq!(proxy.bytes_upstream(), 10_000);
    assert!(read_to_end(&mut c).is_empty(), "the client sees the close");
    assert_eq!(proxy.cuts(), 1);
    server.join().expect("server");
}

#[test]
fn a_cut_after_n_downstream_bytes_delivers_exactly_n_then_closes() {
    let (addr, server) = server(1, |mut s| {
        // The write fails once the proxy closes.
        let _ = s.write_all(&pattern(200_000));
    });
    let proxy = Proxy::start(addr, FaultPlan::cut_downstream_after(12_345));
    let mut c = client(&proxy);
    let got = read_to_end(&mut c);
    assert_eq!(got, pattern(200_000)[..12_345].to_vec());
    assert_eq!(proxy.bytes_downstream(), 12_345);
    assert_eq!(proxy.cuts(), 1);
    server.join().expect("server");
}

#[test]
fn a_total_cut_counts_both_directions_together() {
    let (addr, server) = server(1, echo);
    let plan = FaultPlan {
        cut_after_total: Some(30_000),
        ..FaultPlan::clean()
    };
    let proxy = Proxy::start(addr, plan);
    let mut c = client(&proxy);
    let writer = {
        let mut c = c.try_clone().expect("clone");
        thread::spawn(move || {
            let _ = c.write_all(&pattern(100_000));
        })
    };
    let back = read_to_end(&mut c);
    writer.join().expect("writer");
    assert_eq!(proxy.bytes_upstream() + proxy.bytes_downstream(), 30_000);
    assert_eq!(back.len() as u64, proxy.bytes_downstream());
    assert_eq!(proxy.cuts(), 1);
    server.join().expect("server");
}

#[test]
fn random_cuts_are_reproducible_from_the_seed() {
    let cut_at = |seed: u64| {
        let (addr, got, server) = sink(1);
        let plan = FaultPlan {
            upstream: Faults {
                cut_at_random: Some(RandomCut {
                    seed,
                    below: 40_000,
                }),
                ..Faults::default()
            },
            ..FaultPlan::clean()
        };
        let proxy = Proxy::start(addr, plan);
        let mut c = client(&proxy);
        let _ = c.write_all(&pattern(50_000));
        let (n, _) = got.recv_timeout(TIMEOUT).expect("the sink saw the end");
        server.join().expect("server");
        assert_eq!(proxy.cuts(), 1);
        n
    };
    let a = cut_at(42);
    assert!(a < 40_000, "{a}");
    assert_eq!(cut_at(42), a, "the same seed cuts at the same byte");
    let others: Vec<u64> = (1..4).map(cut_at).collect();
    assert!(others.iter().any(|&n| n != a), "{a} {others:?}");
}

#[test]
fn latency_delays_each_direction() {
    let (addr, server) = server(1, echo);
    let delay = Duration::from_millis(150);
    let plan = FaultPlan {
        upstream: Faults {
            latency: delay,
            ..Faults::default()
        },
        downstream: Faults {
            latency: delay,
            ..Faults::default()
        },
        ..FaultPlan::clean()
    };
    let proxy = Proxy::start(addr, plan);
    let mut c = client(&proxy);
    for _ in 0..2 {
        let started = Instant::now();
        c.write_all(b"ping").expect("write");
        let mut buf = [0; 4];
        c.read_exact(&mut buf).expect("the echo comes back");
        assert_eq!(&buf, b"ping");
        assert!(
            started.elapsed() >= 2 * delay,
            "a round trip takes both one-way delays: {:?}",
            started.elapsed()
        );
    }
    drop(c);
    server.join().expect("server");
}

#[test]
fn a_bandwidth_cap_paces_the_transfer() {
    let (addr, got, server) = sink(1);
    // 64 kbit/s.
    let plan = FaultPlan {
        upstream: Faults {
            bytes_per_sec: Some(8_000),
            ..Faults::default()
        },
        ..FaultPlan::clean()
    };
    let proxy = Proxy::start(addr, plan);
    let started = Instant::now();
    let mut c = client(&proxy);
    c.write_all(&pattern(6_000)).expect("write");
    c.shutdown(Shutdown::Write).expect("half-close");
    let (n, clean) = got.recv_timeout(TIMEOUT).expect("the sink saw the end");
    assert_eq!((n, clean), (6_000, true));
    assert!(
        started.elapsed() >= Duration::from_millis(750),
        "6000 bytes at 8000 B/s take at least 0.75 s, took {:?}",
        started.elapsed()
    );
    server.join().expect("server");
}

#[test]
fn a_stall_keeps_the_connection_open_but_silent_until_the_proxy_stops() {
    let (tx, rx) = mpsc::channel();
    let (addr, server) = server(1, move |mut s| {
        let mut buf = vec![0; 4_000];
        s.read_exact(&mut buf).expect("the bytes before the stall");
        // Nothing more arrives, and the connection is not closed either.
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .expect("timeout");
        let mut more = [0; 1];
        let silent = matches!(
            s.read(&mut more),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
        );
        tx.send(silent).expect("report");
        // Then the proxy is dropped: now the connection closes.
        s.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        let closed = matches!(s.read(&mut more), Ok(0) | Err(_));
        tx.send(closed).expect("report");
    });
    let plan = FaultPlan {
        upstream: Faults {
            stall_after: Some(4_000),
            ..Faults::default()
        },
        ..FaultPlan::clean()
    };
    let proxy = Proxy::start(addr, plan);
    let mut c = client(&proxy);
    c.write_all(&pattern(10_000)).expect("write (buffered)");
    assert!(
        rx.recv_timeout(TIMEOUT).expect("report"),
        "a stalled link stays open and silent"
    );
    assert_eq!(proxy.bytes_upstream(), 4_000);
    assert_eq!(proxy.cuts(), 0);
    drop(proxy);
    assert!(
        rx.recv_timeout(TIMEOUT).expect("report"),
        "dropping the proxy closes the connection"
    );
    server.join().expect("server");
}

#[test]
fn a_new_plan_applies_to_later_connections_and_drop_stops_listening() {
    let (addr, got, server) = sink(2);
    let proxy = Proxy::start(addr, FaultPlan::cut_upstream_after(1_000));
    let mut first = client(&proxy);
    let _ = first.write_all(&pattern(5_000));
    assert_eq!(
        got.recv_timeout(TIMEOUT).expect("the sink saw the end").0,
        1_000
    );
    proxy.set_plan(FaultPlan::clean());
    let mut second = client(&proxy);
    second.write_all(&pattern(5_000)).expect("write");
    second.shutdown(Shutdown::Write).expect("half-close");
    assert_eq!(
        got.recv_timeout(TIMEOUT).expect("the sink saw the end"),
        (5_000, true)
    );
    assert_eq!((proxy.connections(), proxy.cuts()), (2, 1));
    let proxy_addr = proxy.addr();
    drop(proxy);
    assert!(
        TcpStream::connect(proxy_addr).is_err(),
        "nothing listens after drop"
    );
    server.join().expect("server");
}
