//! Attacks on sessions over HTTP: a planted second session cookie, a logout from another
//! site, a session that outlives the browser, and the integrator's backend ending every
//! session and handoff code of a customer (and what may not pass for its signed call).

mod common;

use common::chain::{
    chain_with, csrf_of, launch_token, now_secs, sign_in, upstream_customer, LAUNCH_SECRET,
};
use common::{client, Server};
use kyc_server::launch::sign;
use serde_json::{json, Value};

async fn get(server: &Server, path: &str, cookie: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn over_https_the_cookie_is_host_only_and_ends_with_the_browser() {
    let (upstream, bff) = chain_with(|c| {
        c.secure_cookies = true;
        c.public_origin = Some("https://kyc.bank.example".into());
    })
    .await;
    let guid = upstream_customer(&upstream).await;
    let (set_cookie, pair) = sign_in(&bff, &guid).await;
    assert!(
        set_cookie.starts_with("__Host-kyc_session="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("; Secure") && set_cookie.contains("Path=/"));
    for part in ["Domain", "Max-Age", "Expires"] {
        assert!(!set_cookie.contains(part), "{set_cookie}");
    }
    assert_eq!(get(&bff, "/session", &pair).await.status(), 200);
    // A sibling subdomain can only plant a plain `kyc_session`: not even looked at.
    let id = pair.split_once('=').unwrap().1;
    let planted = format!("kyc_session={id}");
    assert_eq!(get(&bff, "/session", &planted).await.status(), 401);
}

#[tokio::test]
async fn a_request_with_a_planted_second_session_cookie_is_refused() {
    let (upstream, bff) = chain_with(|_| {}).await;
    let victim = upstream_customer(&upstream).await;
    let attacker = upstream_customer(&upstream).await;
    let (_, mine) = sign_in(&bff, &victim).await;
    let (_, planted) = sign_in(&bff, &attacker).await;
    for cookies in [format!("{planted}; {mine}"), format!("{mine}; {planted}")] {
        let r = get(&bff, "/session", &cookies).await;
        assert_eq!(r.status(), 401, "{cookies}");
        let r = get(&bff, &format!("/api/customers/{attacker}"), &cookies).await;
        assert_eq!(r.status(), 401, "not the attacker's account either");
    }
    assert_eq!(get(&bff, "/session", &mine).await.status(), 200);
}

#[tokio::test]
async fn logout_ends_the_session_only_with_its_csrf_token() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let logout = |csrf: Option<&str>| {
        let mut request = client()
            .post(format!("{}/logout", server.base))
            .header("cookie", &customer.cookie);
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request.send()
    };
    // Another site's form cannot send the token.
    assert_eq!(logout(None).await.unwrap().status(), 403);
    assert_eq!(customer.get("/session").await.status(), 200);
    let r = logout(Some(&customer.csrf)).await.unwrap();
    assert_eq!(r.status(), 204);
    let cleared = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("kyc_session=;") && cleared.contains("Max-Age=0"));
    // The cookie kept (a copy, another tab): the session is over in the store.
    assert_eq!(customer.get("/session").await.status(), 401);
}

#[tokio::test]
async fn the_integrators_backend_ends_every_session_and_handoff_code_of_a_customer() {
    let (upstream, bff) = chain_with(|_| {}).await;
    let guid = upstream_customer(&upstream).await;
    let other = upstream_customer(&upstream).await;
    let (_, desktop) = sign_in(&bff, &guid).await;
    let (_, phone) = sign_in(&bff, &guid).await;
    let (_, bystander) = sign_in(&bff, &other).await;
    let minted: Value = client()
        .post(format!("{}/handoff", bff.base))
        .header("cookie", &desktop)
        .header("x-csrf-token", csrf_of(&bff, &desktop).await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code_path = minted["path"].as_str().unwrap().to_owned();
    assert_eq!(
        get(&bff, &code_path, "").await.status(),
        200,
        "the code works"
    );

    let end = |guid: &str, token: Option<String>| {
        let mut request = client().post(format!(
            "{}/integrator/customers/{guid}/end-sessions",
            bff.base
        ));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let scoped = |guid: &str| {
        sign(
            LAUNCH_SECRET,
            &json!({"customer_guid": guid, "scope": "end_sessions", "exp": now_secs() + 60}),
        )
    };
    // Not signed, signed with another key, a launch token, or for another customer.
    assert_eq!(end(&guid, None).await.unwrap().status(), 401);
    let forged = sign(
        b"not the integrator's secret, 32+ bytes",
        &json!({"customer_guid": guid, "scope": "end_sessions", "exp": now_secs() + 60}),
    );
    assert_eq!(end(&guid, Some(forged)).await.unwrap().status(), 401);
    let launch = launch_token(&guid);
    assert_eq!(end(&guid, Some(launch)).await.unwrap().status(), 401);
    assert_eq!(
        end(&guid, Some(scoped(&other))).await.unwrap().status(),
        403
    );
    assert_eq!(get(&bff, "/session", &desktop).await.status(), 200);

    let token = scoped(&guid);
    let r = end(&guid, Some(token.clone())).await.unwrap();
    assert_eq!(r.status(), 200);
    let ended: Value = r.json().await.unwrap();
    assert_eq!(ended["sessions_ended"], 2);
    assert_eq!(get(&bff, "/session", &desktop).await.status(), 401);
    assert_eq!(get(&bff, "/session", &phone).await.status(), 401);
    assert_eq!(
        get(&bff, &code_path, "").await.status(),
        410,
        "the code is dead"
    );
    assert_eq!(get(&bff, "/session", &bystander).await.status(), 200);
    // Replayed: refused.
    assert_eq!(end(&guid, Some(token)).await.unwrap().status(), 401);
    // An end_sessions token does not sign anyone in.
    let r = common::chain::open_launch(&bff, &scoped(&guid)).await;
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("set-cookie").is_none());
}
