//! The Redis instance the test command starts for the layers that need one: its own
//! `redis-server` on a free loopback port, nothing saved to disk, stopped when dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `redis-server` of the test command's own.
pub struct RedisServer {
    child: Child,
    /// `redis://127.0.0.1:PORT/`.
    pub url: String,
}

impl RedisServer {
    /// Starts `bin` on a free loopback port and waits until it answers `PING`.
    pub fn start(bin: &Path) -> Result<RedisServer, String> {
        let port = crate::free_port()?;
        let mut child = Command::new(bin)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            // Nothing on disk: a test instance starts empty and leaves nothing behind.
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
        let started = Instant::now();
        loop {
            if pong(port) {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("redis-server exited at start ({status})"));
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                return Err(format!(
                    "redis-server did not answer on port {port} in 20 s"
                ));
            }
            // Waiting for the process to listen: each try is a connection attempt.
            std::thread::sleep(Duration::from_millis(20));
        }
        println!("==> redis-server listening on 127.0.0.1:{port}");
        Ok(RedisServer {
            child,
            url: format!("redis://127.0.0.1:{port}/"),
        })
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a Redis on `port` answers `PING` with `+PONG`.
fn pong(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).is_ok() && line.trim_end() == "+PONG"
}
