//! A Redis for tests: `KYC_TEST_REDIS_URL` when set, else a `redis-server` of our own on a
//! free loopback port (stopped when dropped), else none: then a test that needs one fails
//! with a clear message under CI and is skipped with a note elsewhere.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kyc_server::store::Store;

/// A Redis to test against, and the key prefix this test owns on it.
pub struct TestRedis {
    pub url: String,
    pub prefix: String,
    /// Our own `redis-server`, when we started one.
    child: Option<Child>,
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A unique key prefix, so tests sharing one Redis do not meet.
fn unique_prefix() -> String {
    format!("kyctest:{}:", kyc_server::secret::token("t"))
}

impl TestRedis {
    /// A Redis, or `None` (with a printed note) when there is none to be had and CI is not
    /// set. Under CI, no Redis is a failure.
    pub async fn get(test: &str) -> Option<TestRedis> {
        if let Some(url) = std::env::var("KYC_TEST_REDIS_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            return Some(TestRedis {
                url,
                prefix: unique_prefix(),
                child: None,
            });
        }
        if !on_path("redis-server") {
            let note = format!(
                "{test}: no Redis to test against: set KYC_TEST_REDIS_URL or install redis-server"
            );
            if std::env::var_os("CI").is_some() {
                panic!("{note} (CI is set: the Redis variant of the store's tests must run)");
            }
            eprintln!("SKIPPED {note}");
            return None;
        }
        Some(TestRedis::own().await)
    }

    /// A `redis-server` of our own, on a free loopback port, once it answers PING.
    pub async fn own() -> TestRedis {
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server starts");
            let mut redis = TestRedis {
                url: format!("redis://127.0.0.1:{port}/"),
                prefix: unique_prefix(),
                child: Some(child),
            };
            // Until it answers (never a fixed sleep); a port taken meanwhile: another one.
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Some(Ok(Some(_))) = redis.child.as_mut().map(|c| c.try_wait()) {
                    break;
                }
                if answers(&redis.url).await {
                    return redis;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            drop(redis.child.take().map(|mut c| {
                let _ = c.kill();
                c.wait()
            }));
        }
        panic!("redis-server did not start");
    }

    /// A store on this Redis: one replica's view (call twice for two).
    pub async fn store(&self) -> Store {
        kyc_server::store::open(Some(&self.url), &self.prefix)
            .await
            .expect("the test Redis answers")
    }

    /// Stops our own Redis (to see what the server does without it).
    pub fn stop(&mut self) -> bool {
        match self.child.take() {
            Some(mut child) => {
                let _ = child.kill();
                let _ = child.wait();
                true
            }
            None => false,
        }
    }

    /// Every key under this test's prefix expires: nothing is kept for ever.
    pub async fn assert_every_key_expires(&self) {
        let client = redis::Client::open(self.url.as_str()).unwrap();
        let mut con = client.get_multiplexed_async_connection().await.unwrap();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}*", self.prefix))
            .query_async(&mut con)
            .await
            .unwrap();
        for key in keys {
            let ttl: i64 = redis::cmd("PTTL")
                .arg(&key)
                .query_async(&mut con)
                .await
                .unwrap();
            // -2: gone meanwhile; -1: no expiry.
            assert!(ttl != -1, "{key} has no expiry");
        }
    }
}

async fn answers(url: &str) -> bool {
    let Ok(client) = redis::Client::open(url) else {
        return false;
    };
    let Ok(Ok(mut con)) = tokio::time::timeout(
        Duration::from_millis(500),
        client.get_multiplexed_async_connection(),
    )
    .await
    else {
        return false;
    };
    let pong: Result<String, _> = redis::cmd("PING").query_async(&mut con).await;
    pong.is_ok_and(|p| p == "PONG")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
