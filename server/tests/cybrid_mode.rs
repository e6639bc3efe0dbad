//! Mode 2 for real over HTTP: a second server in sandbox mode plays the upstream Cybrid
//! (identity host and bank API), and the mode-2 server forwards to it.

mod common;

use common::chain::{
    bank_token, now_secs, upstream_customer, CLIENT_ID, CLIENT_SECRET, LAUNCH_SECRET,
};
use common::{client, Server};
use kyc_onboarding::core::text::PageMsg;
use kyc_server::launch::sign;
use kyc_server::{CybridConfig, Mode};
use serde_json::{json, Value};

/// The upstream sandbox, and the mode-2 server in front of it.
async fn chain() -> (Server, Server) {
    chain_with(|_| {}).await
}

/// [`chain`], the mode-2 server's configuration adjusted.
async fn chain_with(adjust: impl FnOnce(&mut kyc_server::config::Config)) -> (Server, Server) {
    let upstream = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.sandbox_bank_credentials = Some((CLIENT_ID.into(), CLIENT_SECRET.into()));
    })
    .await;
    let bff = bff_with(upstream.base.clone(), adjust).await;
    (upstream, bff)
}

/// A mode-2 server forwarding to the Cybrid at `url` (identity host and bank API in one),
/// taking this file's launch tokens.
async fn bff_in_front_of(url: String) -> Server {
    bff_with(url, |_| {}).await
}

/// [`bff_in_front_of`], its configuration adjusted.
async fn bff_with(url: String, adjust: impl FnOnce(&mut kyc_server::config::Config)) -> Server {
    Server::with(move |c| {
        adjust(c);
        c.mode = Mode::Cybrid(CybridConfig {
            bank_url: url.clone(),
            id_url: url,
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            environment: "sandbox".into(),
        });
        c.launch_secret = Some(LAUNCH_SECRET.to_vec());
    })
    .await
}

/// Signs in at the mode-2 server with a launch token; returns the session cookie.
async fn launch(bff: &Server, customer_guid: &str) -> String {
    let token = sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": customer_guid, "exp": now_secs() + 120}),
    );
    let r = client()
        .get(format!("{}/launch?token={token}", bff.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/",
        "the token leaves the address bar"
    );
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_whole_chain_forwards_and_scopes() {
    let (upstream, bff) = chain().await;
    let guid = upstream_customer(&upstream).await;
    let cookie = launch(&bff, &guid).await;
    let http = client();
    let get = |path: String| {
        let http = http.clone();
        let cookie = cookie.clone();
        let base = bff.base.clone();
        async move {
            http.get(format!("{base}{path}"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
        }
    };
    let session: Value = get("/session".into()).await.json().await.unwrap();
    assert_eq!(session["customer_guid"], guid.as_str());
    assert_eq!(session["environment"], "sandbox");
    // The server's time, for a device whose own clock is off.
    let server_time = session["server_time"].as_str().unwrap();
    let server_ms = kyc_onboarding::core::time::parse_rfc3339(server_time).unwrap();
    assert!((server_ms / 1000 - now_secs()).abs() <= 5, "{server_time}");
    assert!(
        session["persona"]["host"].is_null(),
        "real Persona in mode 2"
    );
    let csrf = session["csrf_token"].as_str().unwrap().to_owned();

    let customer: Value = get(format!("/api/customers/{guid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(customer["state"], "unverified");

    let create = || {
        http.post(format!("{}/api/identity_verifications", bff.base))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": guid}))
            .send()
    };
    let created = create().await.unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let iv = created["guid"].as_str().unwrap().to_owned();

    // It exists upstream.
    let list: Value = get(format!("/api/identity_verifications?customer_guid={guid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["objects"][0]["guid"], iv.as_str());

    let mut inquiry = Value::Null;
    for _ in 0..200 {
        let v: Value = get(format!("/api/identity_verifications/{iv}"))
            .await
            .json()
            .await
            .unwrap();
        if !v["persona_inquiry_id"].is_null() {
            inquiry = v["persona_inquiry_id"].clone();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(inquiry.is_string(), "the inquiry appears through the chain");
    // Like Cybrid's, the upstream list gives verifications without their details...
    let upstream_list: Value = http
        .get(format!(
            "{}/api/identity_verifications?customer_guid={guid}",
            upstream.base
        ))
        .bearer_auth(bank_token(&upstream).await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(upstream_list["objects"][0]["guid"], iv.as_str());
    assert!(upstream_list["objects"][0]["persona_inquiry_id"].is_null());
    // ...and the customer's list has them, as the app needs to resume after a reload.
    let list: Value = get(format!("/api/identity_verifications?customer_guid={guid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["objects"][0]["persona_inquiry_id"], inquiry);
    assert_eq!(list["objects"][0]["persona_state"], "waiting");
    // A second create (another tab, a lost answer) gets the one in flight, not a second one.
    let again = create().await.unwrap();
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["guid"], iv.as_str(), "no second verification");
    let session = http
        .post(format!("{}/api/persona_sessions", bff.base))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({"persona_inquiry_id": inquiry, "identity_verification_guid": iv}))
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), 200);
    let session: Value = session.json().await.unwrap();
    assert!(session["persona_session_token"]
        .as_str()
        .unwrap()
        .starts_with("pst_"));

    // Another upstream customer's things are 404 through the chain too.
    let other = upstream_customer(&upstream).await;
    assert_eq!(get(format!("/api/customers/{other}")).await.status(), 404);
    let other_cookie = launch(&bff, &other).await;
    let r = http
        .get(format!("{}/api/identity_verifications/{iv}", bff.base))
        .header("cookie", other_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_bank_token_is_cached_and_renewed_on_401() {
    // Every call goes upstream (none answered from a shared recent read), to meet the 401.
    let (upstream, bff) = chain_with(|c| c.upstream_read_share = std::time::Duration::ZERO).await;
    let guid = upstream_customer(&upstream).await;
    let cookie = launch(&bff, &guid).await;
    let http = client();
    let fetch = || async {
        http.get(format!("{}/api/customers/{guid}", bff.base))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(fetch().await, 200);
    let sb = kyc_server::sandbox::Sandbox::of(&upstream.running.state).unwrap();
    let issued = sb.bank_tokens_issued();
    assert_eq!(fetch().await, 200);
    assert_eq!(sb.bank_tokens_issued(), issued, "the token is reused");
    sb.revoke_bank_tokens();
    // A burst of calls all refused with the old token: one renewal serves them all.
    let burst = futures_util::future::join_all((0..6).map(|_| fetch())).await;
    assert!(burst.iter().all(|s| *s == 200), "{burst:?}");
    assert_eq!(
        sb.bank_tokens_issued(),
        issued + 1,
        "a 401 upstream renews the token once"
    );
}

#[tokio::test]
async fn wrong_bank_credentials_fail_cleanly() {
    let upstream = Server::sandbox().await; // accepts no credentials at all
    let base = upstream.base.clone();
    let bff = Server::with(move |c| {
        c.mode = Mode::Cybrid(CybridConfig {
            bank_url: base.clone(),
            id_url: base,
            client_id: "x".into(),
            client_secret: "y".into(),
            environment: "sandbox".into(),
        });
        c.launch_secret = Some(LAUNCH_SECRET.to_vec());
    })
    .await;
    let token = sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": "abc", "exp": now_secs() + 60}),
    );
    let r = client()
        .get(format!("{}/launch?token={token}", bff.base))
        .send()
        .await
        .unwrap();
    // The upstream refuses this server, not the customer: not "account not found".
    assert_eq!(r.status(), 502, "the customer cannot be confirmed upstream");
    assert!(r.headers().get("set-cookie").is_none());
    let page = r.text().await.unwrap();
    assert!(page.contains(PageMsg::PageUnavailableTitle.en()), "{page}");
}

#[tokio::test]
async fn with_launch_origins_only_the_integrators_pages_sign_customers_in() {
    // Someone puts their own token on a page of theirs: a visitor would be signed in as them
    // and verify that account with their own ID (login CSRF).
    let (upstream, bff) =
        chain_with(|c| c.launch_origins = vec!["https://bank.example".into()]).await;
    let guid = upstream_customer(&upstream).await;
    let token = |exp: i64| {
        sign(
            LAUNCH_SECRET,
            &json!({"customer_guid": guid, "exp": now_secs() + exp}),
        )
    };
    let post = |token: String, headers: &[(&'static str, &'static str)]| {
        let mut request = client()
            .post(format!("{}/launch", bff.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("token={token}"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let get = |token: String, headers: &[(&'static str, &'static str)]| {
        let mut request = client().get(format!("{}/launch?token={token}", bff.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let elsewhere = [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ];
    let stolen = token(60);
    let refused = post(stolen.clone(), &elsewhere).await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.headers().get("set-cookie").is_none());
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains(PageMsg::PageWrongSiteTitle.en()));
    for headers in [
        // A link on another site, its address left out of `Referer` or not.
        &[
            ("sec-fetch-site", "cross-site"),
            ("referer", "https://evil.example/x"),
        ][..],
        &[("sec-fetch-site", "cross-site")][..],
        &[
            ("sec-fetch-site", "same-site"),
            ("referer", "https://evil.bank.example/"),
        ][..],
    ] {
        let r = get(stolen.clone(), headers).await.unwrap();
        assert_eq!(r.status(), 403, "{headers:?}");
    }
    // Refused before the token was looked at: from the integrator's page it still works.
    let ours = post(
        stolen,
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://bank.example"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(ours.status(), 303);
    // A link from the integrator's site, or opened from their mobile app (no page at all).
    let linked = get(
        token(61),
        &[
            ("sec-fetch-site", "cross-site"),
            ("referer", "https://bank.example/account"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(linked.status(), 303);
    let from_an_app = get(token(62), &[("sec-fetch-site", "none")]).await.unwrap();
    assert_eq!(from_an_app.status(), 303);
}

#[tokio::test]
async fn launch_tokens_are_checked() {
    // Used means used at once (the default); a second tap's grace is tested below.
    let (upstream, bff) = chain().await;
    let guid = upstream_customer(&upstream).await;
    let http = client();
    let good = sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": guid, "exp": now_secs() + 60}),
    );
    let cases = [
        (
            "wrong key",
            sign(
                b"some other secret of thirty-two b",
                &json!({"customer_guid": guid, "exp": now_secs() + 60}),
            ),
        ),
        (
            "expired",
            sign(
                LAUNCH_SECRET,
                &json!({"customer_guid": guid, "exp": now_secs() - 120}),
            ),
        ),
        (
            "long-lived",
            sign(
                LAUNCH_SECRET,
                &json!({"customer_guid": guid, "exp": now_secs() + 86_400}),
            ),
        ),
        ("garbage", "not.a.token".to_owned()),
        ("missing", String::new()),
    ];
    for (what, token) in cases {
        let r = http
            .get(format!("{}/launch?token={token}", bff.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{what}");
        assert!(r.headers().get("set-cookie").is_none(), "{what}");
        let page = r.text().await.unwrap();
        assert!(page.contains(PageMsg::PageLinkSpentTitle.en()), "{what}");
    }
    let first = http
        .get(format!("{}/launch?token={good}", bff.base))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303);
    let replay = http
        .get(format!("{}/launch?token={good}", bff.base))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401, "a launch token works once");
    // The same token in a form body (an integrator page that submits a form, so the token
    // never shows in an address): checked by the same rules, and used up across both ways.
    let post = |body: String, content_type: &'static str| {
        http.post(format!("{}/launch", bff.base))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    const FORM: &str = "application/x-www-form-urlencoded";
    let spent = post(format!("token={good}"), FORM).await.unwrap();
    assert_eq!(spent.status(), 401, "a token used by GET is spent for POST");
    // Another expiry: the same claims in the same second would sign to the spent token.
    let fresh = sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": guid, "exp": now_secs() + 90}),
    );
    for (what, body, content_type) in [
        ("no token", String::new(), FORM),
        ("garbage", "token=not.a.token".to_owned(), FORM),
        (
            "not a form",
            format!(r#"{{"token":"{fresh}"}}"#),
            "application/json",
        ),
    ] {
        let r = post(body, content_type).await.unwrap();
        assert_eq!(r.status(), 401, "{what}");
        assert!(r.headers().get("set-cookie").is_none(), "{what}");
        let page = r.text().await.unwrap();
        assert!(page.contains(PageMsg::PageLinkSpentTitle.en()), "{what}");
    }
    // A route anyone can call buffers no more than a form with one token needs.
    let huge = post(format!("token={fresh}&pad={}", "x".repeat(5000)), FORM)
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    let posted = post(format!("token={fresh}"), FORM).await.unwrap();
    assert_eq!(posted.status(), 303, "a form-posted token signs in");
    assert_eq!(posted.headers()["location"], "/");
    let cookie = posted.headers()["set-cookie"].to_str().unwrap().to_owned();
    let session = http
        .get(format!("{}/session", bff.base))
        .header("cookie", cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), 200, "the posted launch's session works");
    let replay = post(format!("token={fresh}"), FORM).await.unwrap();
    assert_eq!(replay.status(), 401, "a form-posted token works once too");
    // Outside the sandbox, no session is plainly unauthenticated (no sandbox link).
    let none = http
        .get(format!("{}/session", bff.base))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    let body: serde_json::Value = none.json().await.unwrap();
    assert_eq!(body["message_code"], "unauthenticated");
}

#[tokio::test]
async fn sandbox_only_routes_do_not_exist_in_cybrid_mode() {
    let (_upstream, bff) = chain().await;
    for path in ["/sandbox", "/widget", "/sandbox/start?scenario=passes"] {
        let r = client()
            .get(format!("{}{path}", bff.base))
            .send()
            .await
            .unwrap();
        assert!(r.headers().get("set-cookie").is_none(), "{path}");
        let text = r.text().await.unwrap();
        assert!(
            !text.contains("scenario"),
            "{path} is the SPA, not a sandbox page"
        );
    }
    let r = client().get(format!("{}/", bff.base)).send().await.unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-src https://*.withpersona.com"), "{csp}");
}

/// A mode-2 client of `routes`, a stand-in for the Cybrid API that also issues bank tokens.
async fn cybrid_in_front_of(routes: axum::Router) -> kyc_server::cybrid::Cybrid {
    cybrid_at(routes.route(
        "/oauth/token",
        axum::routing::post(|| async {
            axum::Json(json!({"access_token": "bank", "expires_in": 3600}))
        }),
    ))
    .await
}

/// A mode-2 client of `upstream`, identity host and bank API in one.
async fn cybrid_at(upstream: axum::Router) -> kyc_server::cybrid::Cybrid {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, upstream).await });
    kyc_server::cybrid::Cybrid::new(
        CybridConfig {
            bank_url: url.clone(),
            id_url: url,
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            environment: "sandbox".into(),
        },
        // Every call reaches the test's upstream: nothing shared.
        kyc_server::store::Store::memory(),
        std::time::Duration::ZERO,
    )
    .unwrap()
}

#[tokio::test]
async fn cybrid_rate_limits_reach_the_app_with_their_wait() {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    // "Too many requests, wait 9 s" to everything, as Cybrid says under load.
    let cybrid = cybrid_in_front_of(axum::Router::new().route(
        "/api/customers/{guid}",
        axum::routing::get(|| async {
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, "9")],
                axum::Json(json!({"status": 429, "error_message": "slow down", "message_code": "rate_limited"})),
            )
        }),
    ))
    .await;
    let err = cybrid
        .customer("cust_1", kyc_server::cybrid::Read::Shared)
        .await
        .unwrap_err();
    assert_eq!(err.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(err.retry_after_s, Some(9));
    let response = err.into_response();
    assert_eq!(response.headers()[header::RETRY_AFTER], "9");
}

#[tokio::test]
async fn a_list_that_ignores_its_filter_leaks_no_other_customer() {
    // An upstream answering every customer's verifications whatever was asked.
    let cybrid = cybrid_in_front_of(axum::Router::new().route(
        "/api/identity_verifications",
        axum::routing::get(|| async {
            let item = |guid: &str, customer: &str| {
                json!({"guid": guid, "customer_guid": customer, "type": "kyc",
                       "method": "id_and_selfie", "state": "waiting",
                       "created_at": "2026-11-24T00:00:00Z", "persona_inquiry_id": "inq"})
            };
            axum::Json(json!({"total": 3, "page": 0, "per_page": 10, "objects": [
                item("iv_other", "cust_2"), item("iv_mine", "cust_1"), item("iv_nobody", "")
            ]}))
        }),
    ))
    .await;
    let list = cybrid
        .list("cust_1", kyc_server::cybrid::Read::Shared)
        .await
        .unwrap();
    let guids: Vec<&str> = list.iter().map(|v| v.guid.as_str()).collect();
    assert_eq!(guids, ["iv_mine"]);
}

#[tokio::test]
async fn a_rate_limited_token_request_also_passes_its_wait_on() {
    use axum::http::{header, StatusCode};
    let cybrid = cybrid_at(axum::Router::new().route(
        "/oauth/token",
        axum::routing::post(|| async {
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, "5")],
                "slow down",
            )
        }),
    ))
    .await;
    let err = cybrid
        .customer("cust_1", kyc_server::cybrid::Read::Shared)
        .await
        .unwrap_err();
    assert_eq!(err.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(err.retry_after_s, Some(5));
}

#[tokio::test]
async fn a_failed_token_request_is_shared_not_repeated_by_every_queued_call() {
    use axum::http::StatusCode;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // An identity service that fails: the calls queued behind the first asking get its
    // failure, instead of each asking again in turn (each waiting out its own timeout, when
    // the service hangs).
    let asked = Arc::new(AtomicUsize::new(0));
    let cybrid = cybrid_at(axum::Router::new().route(
        "/oauth/token",
        axum::routing::post({
            let asked = asked.clone();
            move || async move {
                asked.fetch_add(1, Ordering::SeqCst);
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }),
    ))
    .await;
    let (a, b, c) = tokio::join!(
        cybrid.customer("cust_1", kyc_server::cybrid::Read::Shared),
        cybrid.customer("cust_2", kyc_server::cybrid::Read::Shared),
        cybrid.customer("cust_3", kyc_server::cybrid::Read::Shared)
    );
    for err in [a, b, c].map(Result::unwrap_err) {
        assert_eq!(err.status, StatusCode::BAD_GATEWAY);
    }
    let again = cybrid
        .customer("cust_1", kyc_server::cybrid::Read::Shared)
        .await
        .unwrap_err();
    assert_eq!(again.status, StatusCode::BAD_GATEWAY);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        1,
        "one request for four calls"
    );
}

/// An upstream whose list gives five KYC verifications without details, out of order, and
/// whose single GET gives details, except: `iv_gone` is 404, `iv_swapped` answers another
/// verification, and `iv_broken` fails.
async fn backend_over_a_list_without_details(broken: bool) -> kyc_server::backend::Backend {
    use axum::extract::Path;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let item = |guid: &str, day: u32| {
        json!({"guid": guid, "customer_guid": "cust_1", "type": "kyc",
               "method": "id_and_selfie", "state": "waiting",
               "created_at": format!("2026-11-{day:02}T00:00:00Z")})
    };
    let newest = if broken { "iv_broken" } else { "iv_gone" };
    let list = json!({"total": 5, "page": 0, "per_page": 10, "objects": [
        item("iv_old", 1), item(newest, 20), item("iv_oldest", 1), item("iv_swapped", 19),
        item("iv_new", 18),
    ]});
    let cybrid = cybrid_in_front_of(
        axum::Router::new()
            .route(
                "/api/identity_verifications",
                axum::routing::get(move || async move { axum::Json(list) }),
            )
            .route(
                "/api/identity_verifications/{guid}",
                axum::routing::get(|Path(guid): Path<String>| async move {
                    let error = |status: StatusCode| {
                        let body = json!({"status": status.as_u16(), "error_message": "x",
                                          "message_code": "x"});
                        (status, axum::Json(body)).into_response()
                    };
                    match guid.as_str() {
                        "iv_gone" => error(StatusCode::NOT_FOUND),
                        "iv_broken" => error(StatusCode::INTERNAL_SERVER_ERROR),
                        _ => {
                            let answered = if guid == "iv_swapped" {
                                "iv_other"
                            } else {
                                &guid
                            };
                            axum::Json(json!({"guid": answered, "customer_guid": "cust_1",
                                "type": "kyc", "method": "id_and_selfie", "state": "waiting",
                                "persona_inquiry_id": format!("inq_{answered}"),
                                "persona_state": "waiting"}))
                            .into_response()
                        }
                    }
                }),
            ),
    )
    .await;
    kyc_server::backend::Backend::Cybrid(std::sync::Arc::new(cybrid))
}

#[tokio::test]
async fn the_newest_three_kyc_items_get_their_details_from_the_single_get() {
    let backend = backend_over_a_list_without_details(false).await;
    let list = backend.list_with_details("cust_1").await.unwrap();
    let inquiries: Vec<(&str, Option<&str>)> = list
        .iter()
        .map(|v| (v.guid.as_str(), v.persona_inquiry_id.as_deref()))
        .collect();
    assert_eq!(
        inquiries,
        [
            // Newest first by creation, whatever the upstream's order. Among the three
            // newest: gone since the list (its own item stays)...
            ("iv_gone", None),
            // ...answered with another verification (never mixed in)...
            ("iv_swapped", None),
            // ...and filled in. The two oldest are not asked for.
            ("iv_new", Some("inq_iv_new")),
            ("iv_old", None),
            ("iv_oldest", None),
        ]
    );
}

#[tokio::test]
async fn a_failed_detail_fails_the_list_rather_than_guess() {
    let backend = backend_over_a_list_without_details(true).await;
    let err = backend.list_with_details("cust_1").await.unwrap_err();
    assert!(err.status.is_server_error(), "{}", err.status);
}

#[tokio::test]
async fn a_list_that_does_not_say_what_is_in_flight_is_not_an_empty_one() {
    // Read as "nothing in flight", either answer would let the create guard make a second
    // paid verification beside one the customer is in the middle of.
    let in_flight = json!({"guid": "iv_1", "type": "kyc", "method": "id_and_selfie",
                           "state": "waiting", "persona_inquiry_id": "inq_1"});
    for list in [json!({}), json!({"total": 1, "objects": [in_flight]})] {
        let answer = list.clone();
        let cybrid = cybrid_in_front_of(axum::Router::new().route(
            "/api/identity_verifications",
            axum::routing::get(move || async move { axum::Json(answer) }),
        ))
        .await;
        let err = cybrid
            .list("cust_1", kyc_server::cybrid::Read::Shared)
            .await
            .unwrap_err();
        assert!(err.status.is_server_error(), "{list}: {}", err.status);
    }
}

#[tokio::test]
async fn a_customer_reaches_only_their_kyc_verifications() {
    use axum::extract::Path;
    use axum::http::StatusCode;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // The bank runs a KYC verification and a bank account's for the same customer, each
    // with a Persona inquiry.
    let item = |guid: &str, kind: &str, method: &str| {
        json!({"guid": guid, "customer_guid": "cust_1", "type": kind, "method": method,
               "state": "waiting", "created_at": "2026-11-24T00:00:00Z",
               "persona_inquiry_id": format!("inq_{guid}"), "persona_state": "waiting"})
    };
    let kyc = item("iv_kyc", "kyc", "id_and_selfie");
    let account = item("iv_account", "bank_account", "account_ownership");
    let sessions = Arc::new(AtomicUsize::new(0));
    let list = json!({"total": 2, "page": 0, "per_page": 10,
                      "objects": [account.clone(), kyc.clone()]});
    let upstream = axum::Router::new()
        .route(
            "/oauth/token",
            axum::routing::post(|| async {
                axum::Json(json!({"access_token": "bank", "expires_in": 3600}))
            }),
        )
        .route(
            "/api/customers/{guid}",
            axum::routing::get(|Path(guid): Path<String>| async move {
                axum::Json(json!({"guid": guid, "type": "individual", "state": "unverified"}))
            }),
        )
        .route(
            "/api/identity_verifications",
            axum::routing::get(move || async move { axum::Json(list) }),
        )
        .route(
            "/api/identity_verifications/{guid}",
            axum::routing::get(move |Path(guid): Path<String>| async move {
                match guid.as_str() {
                    "iv_kyc" => axum::Json(kyc).into_response(),
                    "iv_account" => axum::Json(account).into_response(),
                    _ => StatusCode::NOT_FOUND.into_response(),
                }
            }),
        )
        .route(
            "/api/persona_sessions",
            axum::routing::post({
                let sessions = sessions.clone();
                move || async move {
                    sessions.fetch_add(1, Ordering::SeqCst);
                    axum::Json(json!({"persona_session_token": "pst_x",
                                      "persona_inquiry_id": "inq_iv_kyc"}))
                }
            }),
        );
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, upstream).await });
    let bff = bff_in_front_of(url).await;
    let cookie = launch(&bff, "cust_1").await;
    let http = client();
    let get = |path: &str| {
        http.get(format!("{}{path}", bff.base))
            .header("cookie", &cookie)
            .send()
    };
    let session: Value = get("/session").await.unwrap().json().await.unwrap();
    let csrf = session["csrf_token"].as_str().unwrap().to_owned();

    let listed: Value = get("/api/identity_verifications")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let guids: Vec<&str> = listed["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["guid"].as_str().unwrap())
        .collect();
    assert_eq!(guids, ["iv_kyc"], "{listed}");
    assert_eq!(listed["total"], 1);
    assert_eq!(
        get("/api/identity_verifications/iv_kyc")
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        get("/api/identity_verifications/iv_account")
            .await
            .unwrap()
            .status(),
        404
    );
    let persona_session = |iv: &str| {
        http.post(format!("{}/api/persona_sessions", bff.base))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&json!({"persona_inquiry_id": format!("inq_{iv}"),
                          "identity_verification_guid": iv}))
            .send()
    };
    assert_eq!(persona_session("iv_account").await.unwrap().status(), 404);
    assert_eq!(sessions.load(Ordering::SeqCst), 0, "never asked upstream");
    assert_eq!(persona_session("iv_kyc").await.unwrap().status(), 200);
    assert_eq!(sessions.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_endless_upstream_answer_is_cut_off_not_buffered() {
    // An answer far longer than any of Cybrid's, with no length announced.
    let cybrid = cybrid_in_front_of(axum::Router::new().route(
        "/api/customers/{guid}",
        axum::routing::get(|| async {
            use futures_util::StreamExt;
            let chunks = futures_util::stream::repeat_with(|| {
                Ok::<_, std::convert::Infallible>(vec![b' '; 64 * 1024])
            })
            .take(64);
            axum::body::Body::from_stream(chunks)
        }),
    ))
    .await;
    let err = cybrid
        .customer("cust_1", kyc_server::cybrid::Read::Shared)
        .await
        .unwrap_err();
    assert_eq!(err.status, axum::http::StatusCode::BAD_GATEWAY);
    assert!(err.message.contains("too long"), "{}", err.message);
}

#[tokio::test]
async fn a_second_tap_on_the_launch_button_still_signs_in_when_turned_on() {
    let (upstream, bff) =
        chain_with(|c| c.launch_second_tap_secs = kyc_server::launch::SECOND_TAP_SECS).await;
    let guid = upstream_customer(&upstream).await;
    let token = sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": guid, "exp": now_secs() + 60}),
    );
    // The browser drops the first answer for the second tap's: both sign in.
    let mut cookies = Vec::new();
    for tap in ["first", "second"] {
        let r = client()
            .get(format!("{}/launch?token={token}", bff.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{tap} tap");
        cookies.push(r.headers()["set-cookie"].to_str().unwrap().to_owned());
    }
    assert_ne!(cookies[0], cookies[1], "each tap its own session");
}
