//! The handoff over real HTTP: minting, single use under concurrent redemption, isolation.

mod common;

use common::{client, Customer, Server};
use kyc_onboarding::core::text::{Catalog, PageMsg};
use serde_json::{json, Value};

/// The `name=value` of a response's first `Set-Cookie`.
fn cookie_of(response: &reqwest::Response) -> String {
    let header = response.headers()["set-cookie"].to_str().unwrap();
    header.split(';').next().unwrap().to_owned()
}

/// A new handoff code for the customer (`POST /handoff`'s answer).
async fn mint(customer: &Customer) -> Value {
    customer
        .post("/handoff", &json!({}))
        .await
        .json()
        .await
        .unwrap()
}

/// What the phone's Continue page gives it to post back: its one-off value and cookie.
async fn open_link(url: &str) -> (String, String) {
    let page = client().get(url).send().await.unwrap();
    assert_eq!(page.status(), 200, "the Continue page");
    let cookie = cookie_of(&page);
    let html = page.text().await.unwrap();
    let nonce = html
        .split(r#"name="nonce" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form's one-off value")
        .to_owned();
    (nonce, cookie)
}

/// The phone's tap on Continue: the form post of the page it opened.
fn tap_continue(url: &str, (nonce, cookie): &(String, String)) -> reqwest::RequestBuilder {
    client()
        .post(url)
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("nonce={nonce}"))
}

#[tokio::test]
async fn minting_needs_the_session_and_its_csrf_token() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let no_csrf = customer
        .client
        .post(format!("{}/handoff", customer.base))
        .header("cookie", &customer.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
    let anonymous = client()
        .post(format!("{}/handoff", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let minted = mint(&customer).await;
    let path = minted["path"].as_str().unwrap();
    assert!(
        path.starts_with("/handoff/") && path.len() == "/handoff/".len() + 27,
        "{path}"
    );
    assert!(minted["expires_at"].is_string());
}

#[tokio::test]
async fn a_code_says_it_ends_with_the_session_it_acts_for() {
    use kyc_onboarding::core::time::parse_rfc3339;
    // A session of a minute: a code cannot give the phone its usual ten.
    let server = Server::with(|c| {
        c.mode = kyc_server::config::Mode::Sandbox(common::fast());
        c.session_ttl = std::time::Duration::from_secs(60);
    })
    .await;
    let customer = server.start("scenario=passes").await;
    let session: Value = customer.get("/session").await.json().await.unwrap();
    let minted = mint(&customer).await;
    let at = |v: &Value| parse_rfc3339(v.as_str().unwrap()).unwrap();
    assert_eq!(at(&minted["expires_at"]), at(&session["expires_at"]));
}

#[tokio::test]
async fn two_simultaneous_redemptions_exactly_one_wins() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let minted = mint(&customer).await;
    let url = format!("{}{}", server.base, minted["path"].as_str().unwrap());
    let page = open_link(&url).await;
    let (a, b) = tokio::join!(
        tap_continue(&url, &page).send(),
        tap_continue(&url, &page).send()
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 410]);
    let winner = if a.status() == 303 { a } else { b };
    let cookie = cookie_of(&winner);
    assert_ne!(
        cookie, customer.cookie,
        "the phone gets a session of its own"
    );
    let session: Value = client()
        .get(format!("{}/session", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        session["customer_guid"],
        customer.guid.as_str(),
        "for the same customer"
    );
    let again = client().get(&url).send().await.unwrap();
    assert_eq!(again.status(), 410);
    let page = again.text().await.unwrap();
    assert!(
        page.contains(PageMsg::PageCodeUsedTitle.en())
            && page.contains(PageMsg::PageCodeUsedBody.en())
    );
}

#[tokio::test]
async fn a_new_code_kills_the_old_and_status_follows_the_phone() {
    let server = Server::sandbox().await;
    let desktop = server.start("scenario=passes").await;
    let first = mint(&desktop).await;
    let second = mint(&desktop).await;
    let old = client()
        .get(format!(
            "{}{}",
            server.base,
            first["path"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 410);
    let status: Value = desktop.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["code"], "active");
    assert!(status["verification"].is_null());

    let created = phone_creates(&server, &desktop, &second).await;
    let status: Value = desktop.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["code"], "used");
    assert_eq!(
        status["verification"]["guid"], created["guid"],
        "the desktop sees what the phone does"
    );
}

/// The phone opens the minted link, taps Continue and asks for a verification (as the app
/// does on start); the server's answer.
async fn phone_creates(server: &Server, desktop: &Customer, minted: &Value) -> Value {
    let link = format!("{}{}", server.base, minted["path"].as_str().unwrap());
    let phone = tap_continue(&link, &open_link(&link).await)
        .send()
        .await
        .unwrap();
    let phone_cookie = cookie_of(&phone);
    let phone_csrf: Value = client()
        .get(format!("{}/session", server.base))
        .header("cookie", &phone_cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    client()
        .post(format!("{}/api/identity_verifications", server.base))
        .header("cookie", &phone_cookie)
        .header("x-csrf-token", phone_csrf["csrf_token"].as_str().unwrap())
        .json(&json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": desktop.guid}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn once_the_bound_verification_expires_status_follows_the_phones_new_one() {
    use kyc_onboarding::core::api::VerificationState;
    let server = Server::sandbox().await;
    let desktop = server.start("scenario=passes&expire_after_ms=1500").await;
    let body = json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": desktop.guid});
    let first: Value = desktop
        .post("/api/identity_verifications", &body)
        .await
        .json()
        .await
        .unwrap();
    let first = first["guid"].as_str().unwrap();
    // The code is bound to the verification in flight, which then expires before the phone
    // gets to it: the phone starts a new one.
    let minted = mint(&desktop).await;
    desktop
        .wait_for(first, |v| v.state == VerificationState::Expired)
        .await;
    let created = phone_creates(&server, &desktop, &minted).await;
    assert_ne!(created["guid"], first);
    let status: Value = desktop.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(
        status["verification"]["guid"], created["guid"],
        "the desktop follows the one the phone works on, not the expired one"
    );
}

#[tokio::test]
async fn codes_are_bound_to_their_customer() {
    let server = Server::sandbox().await;
    let alice = server.start("scenario=passes").await;
    let bob = server.start("scenario=passes").await;
    let minted = mint(&alice).await;
    let bob_status: Value = bob.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(
        bob_status["code"], "none",
        "Bob sees nothing of Alice's code"
    );
    let link = format!("{}{}", server.base, minted["path"].as_str().unwrap());
    let phone = tap_continue(&link, &open_link(&link).await)
        .send()
        .await
        .unwrap();
    let cookie = cookie_of(&phone);
    let r = client()
        .get(format!("{}/api/customers/{}", server.base, bob.guid))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "the phone's session is Alice's, not Bob's");
}

#[tokio::test]
async fn opening_the_link_asks_before_using_the_code() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let minted = mint(&customer).await;
    let path = minted["path"].as_str().unwrap();
    let url = format!("{}{path}", server.base);
    // A chat app's link preview, then the phone: neither uses the code up.
    for _ in 0..2 {
        let page = client().get(&url).send().await.unwrap();
        assert_eq!(page.status(), 200);
        // No session: only the Continue form's one-off cookie.
        let cookies: Vec<_> = page.headers().get_all("set-cookie").iter().collect();
        assert_eq!(cookies.len(), 1);
        assert!(cookies[0].to_str().unwrap().starts_with("kyc_handoff="));
        assert!(cookies[0].to_str().unwrap().contains("SameSite=Strict"));
        let html = page.text().await.unwrap();
        assert!(
            html.contains(&format!(r#"<form method="post" action="{path}">"#)),
            "{html}"
        );
    }
    let status: Value = customer.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["code"], "active");
    // Another site cannot post the code for its visitors: not said to be cross-site, nor
    // without the page's one-off value and cookie (browsers without Sec-Fetch-Site).
    let page = open_link(&url).await;
    let forged = [
        client()
            .post(&url)
            .header("sec-fetch-site", "cross-site")
            .header("cookie", &page.1)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("nonce={}", page.0)),
        client().post(&url).body(format!("nonce={}", page.0)),
        client()
            .post(&url)
            .header("cookie", &page.1)
            .body("nonce=guess"),
        client().post(&url),
    ];
    for request in forged {
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.headers().get("set-cookie").is_none());
    }
    // The phone's tap on Continue (a same-origin form post of the page's value).
    let tapped = tap_continue(&url, &page).send().await.unwrap();
    assert_eq!(tapped.status(), 303);
    assert!(tapped.headers().get("set-cookie").is_some());
    assert_eq!(client().get(&url).send().await.unwrap().status(), 410);
}

/// A server page's text in a language of the app's catalogs.
fn in_language(tag: &str, msg: PageMsg) -> String {
    let path = format!("{}/../locales/{tag}.json", env!("CARGO_MANIFEST_DIR"));
    let catalog: Catalog<PageMsg> =
        Catalog::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    catalog.text(msg).to_owned()
}

#[tokio::test]
async fn the_phones_pages_speak_its_language() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let url = format!(
        "{}{}",
        server.base,
        mint(&customer).await["path"].as_str().unwrap()
    );
    let open = |accept: &'static str| client().get(&url).header("accept-language", accept).send();
    let french = open("fr-CA,fr;q=0.9,en;q=0.8").await.unwrap();
    assert_eq!(french.status(), 200);
    assert_eq!(french.headers()["vary"], "accept-language, cookie");
    let html = french.text().await.unwrap();
    assert!(html.contains(r#"<html lang="fr-CA">"#), "{html}");
    for msg in [
        PageMsg::PageContinueTitle,
        PageMsg::PageContinueWarning,
        PageMsg::PageContinueButton,
    ] {
        let text = in_language("fr-CA", msg);
        assert_ne!(text, msg.en());
        assert!(html.contains(&text), "{msg:?} in French: {html}");
    }
    // A language we do not speak: English.
    let html = open("de-DE,de;q=0.9").await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(PageMsg::PageContinueTitle.en()));
    assert!(html.contains(PageMsg::PageContinueWarning.en()), "{html}");
    // A refusal too: the code used up, then opened by a Spanish-speaking phone.
    let page = open_link(&url).await;
    assert_eq!(
        tap_continue(&url, &page).send().await.unwrap().status(),
        303
    );
    let used = open("es-MX").await.unwrap();
    assert_eq!(used.status(), 410);
    let html = used.text().await.unwrap();
    assert!(html.contains(r#"<html lang="es-MX">"#));
    assert!(
        html.contains(&in_language("es-MX", PageMsg::PageCodeUsedTitle)),
        "{html}"
    );
}

#[tokio::test]
async fn guessing_is_rate_limited() {
    let server = Server::sandbox().await;
    let http = client();
    let mut statuses = Vec::new();
    for i in 0..12 {
        let r = http
            .get(format!("{}/handoff/guess{i}", server.base))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(&statuses[..10], &[410; 10]);
    assert_eq!(&statuses[10..], &[429, 429]);
}

#[tokio::test]
async fn minting_codes_has_its_own_quota() {
    // Each code lists the customer's verifications upstream and can become a phone's
    // session: a script holding the desktop's cookie must not mint without limit.
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let limit = kyc_server::quota::Spend::Handoff.limit();
    for _ in 0..limit {
        assert_eq!(customer.post("/handoff", &json!({})).await.status(), 200);
    }
    let refused = customer.post("/handoff", &json!({})).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    // The customer's other calls go on.
    assert_eq!(customer.get("/handoff/status").await.status(), 200);
    assert_eq!(customer.get("/session").await.status(), 200);
}

#[tokio::test]
async fn a_code_made_from_an_outcome_does_not_report_that_verification() {
    // A retry is on the desktop's screen seconds after its verification was created, and
    // the customer moves to the phone: the status must not offer that one as the phone's.
    let server = Server::sandbox().await;
    let customer = server.start("scenario=fails-retry").await;
    let v = customer.create().await;
    let v = customer
        .wait_for(&v.guid, |v| v.persona_inquiry_id.is_some())
        .await;
    customer
        .complete_widget(v.persona_inquiry_id.as_deref().unwrap(), None)
        .await;
    customer.wait_for(&v.guid, |v| v.outcome.is_some()).await;
    assert_eq!(customer.post("/handoff", &json!({})).await.status(), 200);
    let status: Value = customer.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["code"], "active");
    assert!(status["verification"].is_null(), "{status}");
    // The phone's own new verification is reported.
    let phones = customer.create().await;
    let status: Value = customer.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["verification"]["guid"], phones.guid.as_str());
}

#[tokio::test]
async fn the_language_of_the_page_that_made_the_code_carries_on_to_the_phone() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let path = mint(&customer).await["path"].as_str().unwrap().to_owned();
    // The desktop read French; the phone's browser asks for English.
    let url = format!("{}{path}?lang=fr-CA", server.base);
    let page = client()
        .get(&url)
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<html lang="fr-CA">"#), "{html}");
    assert!(
        html.contains(&format!(r#"action="{path}?lang=fr-CA""#)),
        "the tap keeps it: {html}"
    );
    let tapped = tap_continue(&url, &open_link(&url).await)
        .send()
        .await
        .unwrap();
    assert_eq!(tapped.status(), 303);
    assert_eq!(tapped.headers()["location"], "/?lang=fr-CA");
    // A tag we do not know is not carried (nor echoed anywhere).
    let path = mint(&customer).await["path"].as_str().unwrap().to_owned();
    let url = format!("{}{path}?lang=%22%3E%3Cb%3E", server.base);
    let page = open_link(&url).await;
    let tapped = tap_continue(&url, &page).send().await.unwrap();
    assert_eq!(tapped.headers()["location"], "/");
}

#[tokio::test]
async fn the_server_draws_the_qr_code_of_the_unused_code() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let path = mint(&customer).await["path"].as_str().unwrap().to_owned();
    let link = format!("{}{path}?lang=fr-CA", server.base);
    let picture = customer.get("/handoff/qr.svg?v=1&lang=fr-CA").await;
    assert_eq!(picture.status(), 200);
    assert_eq!(picture.headers()["content-type"], "image/svg+xml");
    assert_eq!(picture.headers()["cache-control"], "no-store");
    let expected = kyc_server::qr::picture(&link).unwrap();
    assert_eq!(picture.text().await.unwrap(), expected, "the link {link}");
    // English links carry no language.
    let english = customer.get("/handoff/qr.svg?v=1&lang=en").await;
    let expected = kyc_server::qr::picture(&format!("{}{path}", server.base)).unwrap();
    assert_eq!(english.text().await.unwrap(), expected);
    // Only for the session's own customer, and a Host that is not a plain host draws nothing.
    let anonymous = client()
        .get(format!("{}/handoff/qr.svg", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let odd_host = client()
        .get(format!("{}/handoff/qr.svg", server.base))
        .header("cookie", &customer.cookie)
        .header("host", "evil.example/phish?")
        .send()
        .await
        .unwrap();
    assert_eq!(odd_host.status(), 404);
    // Once the phone has used the code, there is nothing left to scan.
    let url = format!("{}{path}", server.base);
    let tapped = tap_continue(&url, &open_link(&url).await)
        .send()
        .await
        .unwrap();
    assert_eq!(tapped.status(), 303);
    assert_eq!(customer.get("/handoff/qr.svg").await.status(), 404);
}

/// A phone's `User-Agent` (Chrome on a Pixel).
const PIXEL: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

/// A browser that opens the minted link, taps Continue and gets a session: as a client.
async fn redeem_as(server: &Server, minted: &Value, user_agent: &str) -> Customer {
    let link = format!("{}{}", server.base, minted["path"].as_str().unwrap());
    let tapped = tap_continue(&link, &open_link(&link).await)
        .header("user-agent", user_agent)
        .send()
        .await
        .unwrap();
    assert_eq!(tapped.status(), 303, "the code works");
    let mut phone = Customer {
        base: server.base.clone(),
        client: client(),
        cookie: cookie_of(&tapped),
        csrf: String::new(),
        guid: String::new(),
    };
    let session: Value = phone.get("/session").await.json().await.unwrap();
    phone.csrf = session["csrf_token"].as_str().unwrap().to_owned();
    phone.guid = session["customer_guid"].as_str().unwrap().to_owned();
    phone
}

#[tokio::test]
async fn a_bystander_who_opens_the_link_first_is_ended_by_the_desktop() {
    let server = Server::sandbox().await;
    let desktop = server.start("scenario=passes").await;
    let minted = mint(&desktop).await;
    let confirm = minted["confirm"].as_str().unwrap().to_owned();
    assert!(
        confirm.len() == 4 && confirm.bytes().all(|b| b.is_ascii_digit()),
        "{confirm}"
    );
    // The Continue page shows the same number and asks to compare it.
    let link = format!("{}{}", server.base, minted["path"].as_str().unwrap());
    let page = client()
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("<strong>{confirm}</strong>")));
    let asks = maud::html! { (PageMsg::PageContinueConfirm.en()) }.into_string();
    assert!(page.contains(&asks));

    // Someone who saw the QR code gets there before the customer's phone.
    let bystander = redeem_as(&server, &minted, PIXEL).await;
    assert_eq!(bystander.get("/session").await.status(), 200);
    let status: Value = desktop.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["code"], "used");
    assert_eq!(
        status["phone"], "Connected: Chrome on Android",
        "the desktop sees which phone came: coarse, no versions"
    );

    // "This isn't my phone": CSRF-checked, like every state change.
    let forged = client()
        .post(format!("{}/handoff/revoke", server.base))
        .header("cookie", &desktop.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(bystander.get("/session").await.status(), 200);
    let renewed = desktop.post("/handoff/revoke", &json!({})).await;
    assert_eq!(renewed.status(), 200);
    let renewed: Value = renewed.json().await.unwrap();
    assert_ne!(renewed["path"], minted["path"], "a new code to show");
    assert!(renewed["confirm"].is_string());

    // The bystander's session is over at once, and the code they used is dead.
    assert_eq!(bystander.get("/session").await.status(), 401);
    let list = format!("/api/identity_verifications?customer_guid={}", desktop.guid);
    assert_eq!(bystander.get(&list).await.status(), 401);
    assert_eq!(client().get(&link).send().await.unwrap().status(), 410);
    let status: Value = desktop.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["code"], "active");
    assert!(status["phone"].is_null());

    // The customer's own phone comes with the new code.
    let phone = redeem_as(&server, &renewed, PIXEL).await;
    assert_eq!(phone.guid, desktop.guid);
    assert_eq!(
        desktop.get("/session").await.status(),
        200,
        "the desktop goes on"
    );
}

#[tokio::test]
async fn an_ended_code_is_refused_and_a_used_one_is_not_ended_by_leaving() {
    let server = Server::sandbox().await;
    let desktop = server.start("scenario=passes").await;
    let minted = mint(&desktop).await;
    assert_eq!(
        desktop.post("/handoff/cancel", &json!({})).await.status(),
        204
    );
    let link = format!("{}{}", server.base, minted["path"].as_str().unwrap());
    assert_eq!(client().get(&link).send().await.unwrap().status(), 410);
    let status: Value = desktop.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["code"], "none");

    // Once a phone has come, a cancel (a late one, or another tab's) leaves it be.
    let minted = mint(&desktop).await;
    let phone = redeem_as(&server, &minted, PIXEL).await;
    assert_eq!(
        desktop.post("/handoff/cancel", &json!({})).await.status(),
        204
    );
    assert_eq!(phone.get("/session").await.status(), 200);
    let status: Value = desktop.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(status["code"], "used");
}

#[tokio::test]
async fn a_phones_session_cannot_hand_off_again_or_end_the_desktops_code() {
    let server = Server::sandbox().await;
    let desktop = server.start("scenario=passes").await;
    let minted = mint(&desktop).await;
    let phone = redeem_as(&server, &minted, PIXEL).await;
    for path in ["/handoff", "/handoff/revoke", "/handoff/cancel"] {
        assert_eq!(phone.post(path, &json!({})).await.status(), 403, "{path}");
    }
    let status: Value = desktop.get("/handoff/status").await.json().await.unwrap();
    assert_eq!(
        status["code"], "used",
        "the desktop still follows the phone"
    );
    assert_eq!(phone.get("/session").await.status(), 200);
}

#[tokio::test]
async fn a_phone_acts_only_on_the_verification_it_was_handed() {
    use kyc_onboarding::core::api::VerificationState;
    let server = Server::sandbox().await;
    let desktop = server.start("scenario=passes&expire_after_ms=1500").await;
    // An older verification of the customer's, and the one in flight when the code is made.
    let older = desktop.create().await;
    desktop
        .wait_for(&older.guid, |v| v.state == VerificationState::Expired)
        .await;
    let handed = desktop.create().await;
    let minted = mint(&desktop).await;
    let phone = redeem_as(&server, &minted, PIXEL).await;
    let path = |guid: &str| format!("/api/identity_verifications/{guid}");
    assert_eq!(phone.get(&path(&handed.guid)).await.status(), 200);
    assert_eq!(
        phone.get(&path(&older.guid)).await.status(),
        404,
        "the customer's others are not the phone's"
    );
    assert_eq!(desktop.get(&path(&older.guid)).await.status(), 200);
    let list = format!("/api/identity_verifications?customer_guid={}", desktop.guid);
    let listed: Value = phone.get(&list).await.json().await.unwrap();
    let guids: Vec<&str> = listed["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["guid"].as_str().unwrap())
        .collect();
    assert_eq!(guids, [handed.guid.as_str()]);
    // Nor may it open another's Persona inquiry.
    let older_session = phone
        .post(
            "/api/persona_sessions",
            &json!({
                "persona_inquiry_id": older.persona_inquiry_id.clone().unwrap_or_default(),
                "identity_verification_guid": older.guid,
            }),
        )
        .await;
    assert_eq!(older_session.status(), 404);
}

/// Issue 30: the code binds to the verification the customer is actually doing. A verified
/// customer with a document request open (seed 003) hands the phone that request, not the
/// identity check they passed.
#[tokio::test]
async fn a_code_made_beside_an_open_document_request_hands_the_phone_that_request() {
    let server = Server::sandbox().await;
    let desktop = server.start("scenario=verified-asks-documents").await;
    let list = format!("/api/identity_verifications?customer_guid={}", desktop.guid);
    let listed: Value = desktop.get(&list).await.json().await.unwrap();
    let request = listed["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["method"] == "document_submission" && v["state"] == "waiting")
        .expect("the scenario's open document request")["guid"]
        .clone();
    let minted = mint(&desktop).await;
    let phone = redeem_as(&server, &minted, PIXEL).await;
    let handed: Value = phone.get(&list).await.json().await.unwrap();
    let guids: Vec<&Value> = handed["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["guid"])
        .collect();
    assert_eq!(
        guids,
        [&request],
        "the phone is handed the document request"
    );
}
