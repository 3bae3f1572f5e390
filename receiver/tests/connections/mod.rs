//! Slowloris against the receiver's binary (issue 27, finding 3): with the 1,024 file descriptors a process gets
//! by default, 2,000 half-sent requests from one address once held every descriptor for as long as the
//! attacker liked. Now one address holds at most its share, the others are closed at once, a half-sent request
//! is closed once its headers are late, and a genuine client from another address is served throughout.

use super::databases::Scratch;
use super::receipts::{DEMO_KEY, DEMO_NOTICE};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

/// The receiver's binary on a free loopback port, with 1,024 descriptors; killed when dropped (and by
/// `timeout` should the test die first).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("pkill")
            .args(["-KILL", "-P", &self.0.id().to_string()])
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(scratch: &Scratch) -> (Running, SocketAddr) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let key = scratch.file("controller.jwk", DEMO_KEY);
    let script = format!(
        "ulimit -n 1024 && exec '{}' --notice '{DEMO_NOTICE}' --key '{key}' --database '{}' --listen 127.0.0.1:{port} --demo",
        env!("CARGO_BIN_EXE_consent-capture-receiver"),
        scratch.sqlite()
    );
    let child = Command::new("timeout")
        .args(["90", "sh", "-c", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the receiver starts");
    let running = Running(child);
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    while TcpStream::connect(address).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the receiver did not listen"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    (running, address)
}

/// `GET /healthz` from 127.0.0.2 (another address on loopback): its status line, within `within`.
async fn health_from_another_address(address: SocketAddr, within: Duration) -> String {
    let asked = async {
        let socket = TcpSocket::new_v4().expect("a socket");
        socket
            .bind(SocketAddr::from(([127, 0, 0, 2], 0)))
            .expect("127.0.0.2 is loopback");
        let mut stream = socket.connect(address).await.expect("connected");
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: receiver\r\nConnection: close\r\n\r\n")
            .await
            .expect("sent");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.expect("an answer");
        String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    tokio::time::timeout(within, asked)
        .await
        .expect("the genuine client is served in time")
}

#[tokio::test]
async fn half_sent_requests_from_one_address_neither_exhaust_descriptors_nor_stay_open() {
    let scratch = Scratch::new("slowloris");
    let (_running, address) = start(&scratch);
    let opened = Instant::now();
    let mut half_sent = Vec::with_capacity(2_000);
    for _ in 0..2_000 {
        let Ok(mut stream) = TcpStream::connect(address) else {
            continue;
        };
        // Headers begun, never finished.
        let _ = stream.write_all(b"POST /receipts HTTP/1.1\r\nHost: receiver\r\nContent-Type: appl");
        half_sent.push(stream);
    }
    assert!(
        half_sent.len() > 1_024,
        "the attack opened more than the receiver's descriptors"
    );
    let status = health_from_another_address(address, Duration::from_secs(5)).await;
    assert_eq!(status, "HTTP/1.1 200 OK", "served while 2,000 requests hang");

    // A half-sent request is closed once its headers are late (10 s), not held for ever.
    let first = &mut half_sent[0];
    first
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("a timeout");
    let mut byte = [0u8; 512];
    let read = first.read(&mut byte);
    let waited = opened.elapsed();
    let timed_out = matches!(&read, Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut));
    assert!(!timed_out, "still open after 20 s");
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(20)).contains(&waited),
        "closed for being late, not at once nor never: after {waited:?}"
    );
    drop(half_sent);
    let status = health_from_another_address(address, Duration::from_secs(5)).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
}
