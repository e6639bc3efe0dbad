//! Mode-2 servers (replicas) in front of a sandbox playing the upstream Cybrid, with customers
//! created upstream and signed in through `/launch` (the security and replica tests).

use serde_json::{json, Value};

use super::{client, Server};
use kyc_server::launch::sign;
use kyc_server::{CybridConfig, Mode};

pub const LAUNCH_SECRET: &[u8] = b"integrator launch secret, 32+ bytes long";
pub const CLIENT_ID: &str = "bank-client";
pub const CLIENT_SECRET: &str = "bank-client-secret-value";

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The upstream Cybrid: a sandbox that takes the bank's client credentials.
pub async fn upstream() -> Server {
    Server::with(|c| {
        c.mode = Mode::Sandbox(super::fast());
        c.sandbox_bank_credentials = Some((CLIENT_ID.into(), CLIENT_SECRET.into()));
    })
    .await
}

/// A mode-2 server (a replica) in front of `upstream`, its configuration adjusted.
pub async fn bff_in_front_of(
    upstream: &Server,
    adjust: impl FnOnce(&mut kyc_server::config::Config),
) -> Server {
    let url = upstream.base.clone();
    Server::with(move |c| {
        c.mode = Mode::Cybrid(CybridConfig {
            bank_url: url.clone(),
            id_url: url,
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            environment: "sandbox".into(),
        });
        c.launch_secret = Some(LAUNCH_SECRET.to_vec());
        adjust(c);
    })
    .await
}

/// The upstream sandbox, and the mode-2 server in front of it, its configuration adjusted.
pub async fn chain_with(adjust: impl FnOnce(&mut kyc_server::config::Config)) -> (Server, Server) {
    let upstream = upstream().await;
    let bff = bff_in_front_of(&upstream, adjust).await;
    (upstream, bff)
}

/// A bank token from the upstream sandbox.
pub async fn bank_token(upstream: &Server) -> String {
    let token: Value = client()
        .post(format!("{}/oauth/token", upstream.base))
        .json(&json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["access_token"].as_str().unwrap().to_owned()
}

/// A person created upstream through the bank API.
pub async fn upstream_customer(upstream: &Server) -> String {
    let customer = upstream_customer_of(upstream, "individual").await;
    customer["guid"].as_str().unwrap().to_owned()
}

/// A customer of `kind` (`individual` or `business`) created upstream through the bank API:
/// the record the bank answered with.
pub async fn upstream_customer_of(upstream: &Server, kind: &str) -> Value {
    client()
        .post(format!("{}/api/customers", upstream.base))
        .bearer_auth(bank_token(upstream).await)
        .json(&json!({"type": kind}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A fresh launch token for the customer (a `jti` of its own: two in one second differ).
pub fn launch_token(customer_guid: &str) -> String {
    sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": customer_guid, "exp": now_secs() + 120,
                "jti": kyc_server::secret::hex_id()}),
    )
}

/// Opens `/launch` with `token`; the response, redirects not followed.
pub async fn open_launch(bff: &Server, token: &str) -> reqwest::Response {
    client()
        .get(format!("{}/launch?token={token}", bff.base))
        .send()
        .await
        .unwrap()
}

/// Signs the customer in; returns the `Set-Cookie` header and the cookie pair.
pub async fn sign_in(bff: &Server, customer_guid: &str) -> (String, String) {
    let r = open_launch(bff, &launch_token(customer_guid)).await;
    assert_eq!(r.status(), 303, "signed in");
    let set_cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let pair = set_cookie.split(';').next().unwrap().to_owned();
    (set_cookie, pair)
}

/// The CSRF token of the session `cookie`.
pub async fn csrf_of(server: &Server, cookie: &str) -> String {
    let session: Value = client()
        .get(format!("{}/session", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["csrf_token"].as_str().unwrap().to_owned()
}
