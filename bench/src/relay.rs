//! A byte-counting TCP relay in front of the server: what clients and server put on the wire
//! (HTTP/2, gRPC framing, gzip), counted per direction, without changing a byte.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Bytes relayed so far, client → server (`up`) and server → client (`down`).
#[derive(Debug, Default)]
pub struct Counters {
    pub up: AtomicU64,
    pub down: AtomicU64,
    pub connections: AtomicU64,
    /// Connections open right now.
    pub active: AtomicU64,
}

/// A snapshot of [`Counters`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wire {
    pub up: u64,
    pub down: u64,
}

impl std::ops::Sub for Wire {
    type Output = Wire;
    fn sub(self, rhs: Wire) -> Wire {
        Wire {
            up: self.up - rhs.up,
            down: self.down - rhs.down,
        }
    }
}

/// A relay listening on 127.0.0.1, forwarding every connection to `target`.
#[derive(Debug)]
pub struct Relay {
    pub addr: SocketAddr,
    counters: Arc<Counters>,
    cut: Arc<tokio::sync::Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    pub async fn start(target: SocketAddr) -> anyhow::Result<Self> {
        // A deep accept queue: 1,000 devices connecting in the same millisecond must not overflow
        // the relay's own backlog (tokio's default is 1,024).
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind("127.0.0.1:0".parse()?)?;
        let listener = socket.listen(8192)?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let cut = Arc::new(tokio::sync::Notify::new());
        let c = counters.clone();
        let k = cut.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let c = c.clone();
                let k = k.clone();
                c.connections.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(async move {
                    let cut = k.notified();
                    let Ok(server) = TcpStream::connect(target).await else {
                        return;
                    };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    c.active.fetch_add(1, Ordering::Relaxed);
                    let (cr, cw) = client.into_split();
                    let (sr, sw) = server.into_split();
                    let up = pump(cr, sw, &c.up);
                    let down = pump(sr, cw, &c.down);
                    // A cut drops both sockets mid-stream, as a lost signal does.
                    tokio::select! {
                        _ = async { tokio::join!(up, down) } => {}
                        () = cut => {}
                    }
                    c.active.fetch_sub(1, Ordering::Relaxed);
                });
            }
        });
        Ok(Self {
            addr,
            counters,
            cut,
            task,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How a device reaches the server through this relay.
    pub fn connection(&self, token: Option<String>) -> crate::client::Connection {
        crate::client::Connection {
            url: self.url(),
            token,
            ..Default::default()
        }
    }

    /// Drop every open connection at once; returns how many there were.
    pub fn cut_all(&self) -> u64 {
        let open = self.counters.active.load(Ordering::Relaxed);
        self.cut.notify_waiters();
        open
    }

    pub fn wire(&self) -> Wire {
        Wire {
            up: self.counters.up.load(Ordering::Relaxed),
            down: self.counters.down.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    counter: &AtomicU64,
) -> std::io::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            to.shutdown().await?;
            return Ok(());
        }
        counter.fetch_add(n as u64, Ordering::Relaxed);
        to.write_all(&buf[..n]).await?;
    }
}
