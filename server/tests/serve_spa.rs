//! Starts the real server on an ephemeral loopback port and fetches the SPA over HTTP.

use std::net::SocketAddr;

use kyc_server::{app, Config};

const INDEX: &str = "<!DOCTYPE html><html><head><script type=\"module\">import init from '/app-0123456789abcdef.js';</script></head><body><div id=\"app\"></div></body></html>";
const SCRIPT: &str = "export default function init() { return 'hello from the app'; }";

/// A dist directory like trunk + xtask produce: index.html, a hashed script with .br/.gz.
fn fake_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), INDEX).unwrap();
    std::fs::write(dir.path().join("app-0123456789abcdef.js"), SCRIPT).unwrap();
    std::fs::write(
        dir.path().join("app-0123456789abcdef.js.br"),
        b"BROTLI-BYTES",
    )
    .unwrap();
    std::fs::write(dir.path().join("app-0123456789abcdef.js.gz"), b"GZIP-BYTES").unwrap();
    dir
}

async fn start(dist: &std::path::Path) -> SocketAddr {
    let router = app(&Config {
        dist: dist.to_path_buf(),
    })
    .expect("server config is valid");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

#[tokio::test]
async fn serves_index_and_precompressed_assets() {
    let dist = fake_dist();
    let addr = start(dist.path()).await;
    let client = reqwest::Client::new();

    let index = client.get(format!("http://{addr}/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(index.headers()["cache-control"], "no-cache");
    let csp = index.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("'wasm-unsafe-eval' 'sha256-"),
        "inline loader is hashed: {csp}"
    );
    assert_eq!(index.text().await.unwrap(), INDEX);

    let br = client
        .get(format!("http://{addr}/app-0123456789abcdef.js"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["vary"], "accept-encoding");
    assert_eq!(
        br.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"BROTLI-BYTES");

    let gz = client
        .get(format!("http://{addr}/app-0123456789abcdef.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"GZIP-BYTES");

    let plain = client
        .get(format!("http://{addr}/app-0123456789abcdef.js"))
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), SCRIPT);
}

#[tokio::test]
async fn spa_routes_get_index_and_unknown_files_404() {
    let dist = fake_dist();
    let addr = start(dist.path()).await;
    let client = reqwest::Client::new();

    let route = client
        .get(format!("http://{addr}/verify/result"))
        .send()
        .await
        .unwrap();
    assert_eq!(route.status(), 200);
    assert_eq!(route.text().await.unwrap(), INDEX);

    let missing = client
        .get(format!("http://{addr}/missing.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["x-content-type-options"], "nosniff");

    let health = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.headers()["referrer-policy"], "no-referrer");
}

#[test]
fn refuses_to_start_without_a_build() {
    let empty = tempfile::tempdir().unwrap();
    let err = app(&Config {
        dist: empty.path().to_path_buf(),
    })
    .unwrap_err();
    assert!(err.contains("no index.html"), "{err}");
}
