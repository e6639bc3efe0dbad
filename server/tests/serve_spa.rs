//! The server serves the built SPA: index, precompressed assets, SPA routes, headers.

mod common;

use common::{client, Server, INDEX, SCRIPT};
use kyc_server::{app, Config};

#[tokio::test]
async fn serves_index_and_precompressed_assets() {
    let server = Server::sandbox().await;
    let http = client();
    let index = http
        .get(format!("{}/start", server.base))
        .send()
        .await
        .unwrap();
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

    let asset = format!("{}/app-0123456789abcdef.js", server.base);
    let br = http
        .get(&asset)
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

    let gz = http
        .get(&asset)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"GZIP-BYTES");

    let plain = http.get(&asset).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), SCRIPT);
}

#[tokio::test]
async fn spa_routes_get_index_and_unknown_files_404() {
    let server = Server::sandbox().await;
    let http = client();
    let route = http
        .get(format!("{}/checking", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(route.status(), 200);
    assert_eq!(route.text().await.unwrap(), INDEX);
    let missing = http
        .get(format!("{}/missing.js", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let health = http
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn a_sandbox_visitor_without_a_session_lands_on_the_scenarios() {
    let server = Server::sandbox().await;
    let r = client()
        .get(format!("{}/", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/sandbox");
    let customer = server.start("scenario=passes").await;
    let r = customer.get("/").await;
    assert_eq!(r.status(), 200, "with a session, the app itself");
    assert_eq!(r.text().await.unwrap(), INDEX);
}

#[tokio::test]
async fn security_headers_on_pages_and_api() {
    let server = Server::sandbox().await;
    let http = client();
    for path in [
        "/",
        "/start",
        "/session",
        "/api/customers/x",
        "/healthz",
        "/sandbox",
    ] {
        let r = http
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}"
        );
        assert!(
            csp.contains("frame-ancestors 'self'"),
            "{path}: the sandbox frames itself only"
        );
        assert!(csp.contains("connect-src 'self'"), "{path}");
        let port = server.running.addr.port();
        assert!(
            csp.contains(&format!("frame-src http://localhost:{port}")),
            "{path}: {csp}"
        );
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        let permissions = h["permissions-policy"].to_str().unwrap();
        assert!(
            permissions.contains(&format!("camera=(self \"http://localhost:{port}\")")),
            "{path}: {permissions}"
        );
    }
}

#[tokio::test]
async fn a_customers_own_data_is_never_cached() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let created = customer.create().await;
    for path in [
        format!("/api/customers/{}", customer.guid),
        format!(
            "/api/identity_verifications?customer_guid={}",
            customer.guid
        ),
        format!("/api/identity_verifications/{}", created.guid),
        "/api/identity_verifications/nope".to_owned(),
        "/handoff/status".to_owned(),
        "/session".to_owned(),
    ] {
        let r = customer.get(&path).await;
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
    let again = customer
        .post(
            "/api/identity_verifications",
            &serde_json::json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid}),
        )
        .await;
    assert_eq!(again.headers()["cache-control"], "no-store", "create");
    // The app's own files keep their caching.
    let index = customer.get("/").await;
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn frame_ancestors_follow_the_configuration() {
    let server = Server::with(|c| c.frame_ancestors = vec!["https://bank.example".into()]).await;
    let r = client()
        .get(format!("{}/", server.base))
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors https://bank.example"),
        "{csp}"
    );
    // The app hands them to Persona where the browser cannot list its ancestors.
    let customer = server.start("scenario=passes").await;
    let session: serde_json::Value = customer.get("/session").await.json().await.unwrap();
    assert_eq!(
        session["persona"]["frame_ancestors"],
        serde_json::json!(["https://bank.example"])
    );
}

#[test]
fn refuses_to_start_without_a_build() {
    let empty = tempfile::tempdir().unwrap();
    let err = app(
        Config::sandbox(empty.path().to_path_buf()),
        "127.0.0.1:1".parse().unwrap(),
    )
    .unwrap_err();
    assert!(err.contains("no index.html"), "{err}");
}

/// A sandbox server whose build has the real `index.html`, with `adjust` applied.
async fn with_real_index(adjust: impl FnOnce(&mut Config)) -> (Server, tempfile::TempDir) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        include_str!("../../index.html"),
    )
    .unwrap();
    let path = dist.path().to_path_buf();
    let server = Server::with(move |c| {
        c.mode = kyc_server::Mode::Sandbox(common::fast());
        c.dist = path;
        adjust(c);
    })
    .await;
    (server, dist)
}

#[tokio::test]
async fn the_first_paint_speaks_the_language_the_app_will_pick() {
    use kyc_onboarding::core::text::{Catalog, Msg};
    use std::io::Read;
    let fr: Catalog<Msg> = Catalog::parse(include_str!("../../locales/fr-CA.json")).unwrap();
    let es: Catalog<Msg> = Catalog::parse(include_str!("../../locales/es-MX.json")).unwrap();
    let (server, _dist) = with_real_index(|_| {}).await;
    let get = |path: &str, language: &str, encoding: &str| {
        client()
            .get(format!("{}{path}", server.base))
            .header("accept-language", language)
            .header("accept-encoding", encoding)
            .send()
    };
    // The browser's language, compressed like every page.
    let page = get("/start", "fr-CA,fr;q=0.9,en;q=0.5", "gzip")
        .await
        .unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");
    assert_eq!(
        page.headers()["vary"],
        "accept-encoding, accept-language, cookie"
    );
    let mut html = String::new();
    flate2::read::GzDecoder::new(&page.bytes().await.unwrap()[..])
        .read_to_string(&mut html)
        .unwrap();
    assert!(html.contains(r#"<html lang="fr-CA">"#), "{html}");
    assert!(html.contains(&format!("<h1>{}</h1>", fr.text(Msg::LoadingTitle))));
    assert!(!html.contains(Msg::LoadingTitle.en()));
    // A link's language before the browser's; English for languages we do not speak.
    let page = get("/start?lang=es-MX", "fr-CA", "identity").await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("<h1>{}</h1>", es.text(Msg::LoadingTitle))));
    let page = get("/start", "de-DE", "identity").await.unwrap();
    assert!(page.text().await.unwrap().contains(r#"<html lang="en">"#));
    // The language the customer picked in the switcher before all of them.
    let picked = |cookie: &'static str| {
        client()
            .get(format!("{}/start?lang=fr-CA", server.base))
            .header("accept-language", "fr-CA")
            .header("cookie", cookie)
            .send()
    };
    let html = picked("kyc_session=x; kyc_lang=es-MX").await.unwrap();
    let html = html.text().await.unwrap();
    assert!(html.contains(r#"<html lang="es-MX">"#), "{html}");
    assert!(html.contains(r#"id="kyc-catalog" lang="es-MX""#));
    let html = picked("kyc_lang=en").await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"<html lang="en">"#));
    // A value that names no language of ours is ignored.
    let html = picked("kyc_lang=<x>").await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"<html lang="fr-CA">"#));

    // The integrator's language before both.
    let (server, _dist) = with_real_index(|c| c.language = Some("es-MX".into())).await;
    let page = client()
        .get(format!("{}/start?lang=fr-CA", server.base))
        .header("accept-language", "fr-CA")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["vary"], "accept-encoding, cookie");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<html lang="es-MX">"#));
    assert!(html.contains(r#"id="kyc-catalog" lang="es-MX""#));
    // Only the customer's own pick comes before it.
    let page = client()
        .get(format!("{}/start", server.base))
        .header("cookie", "kyc_lang=fr-CA")
        .send()
        .await
        .unwrap();
    assert!(page
        .text()
        .await
        .unwrap()
        .contains(r#"<html lang="fr-CA">"#));
}

#[tokio::test]
async fn serves_each_languages_catalog_in_the_form_the_app_reads() {
    use kyc_onboarding::core::text::{Catalog, Msg};
    let server = Server::sandbox().await;
    for (tag, keyed) in [
        ("fr-CA", include_str!("../../locales/fr-CA.json")),
        ("es-MX", include_str!("../../locales/es-MX.json")),
    ] {
        let answer = client()
            .get(format!("{}/locales/{tag}.json", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{tag}");
        assert_eq!(answer.headers()["content-type"], "application/json");
        assert_eq!(answer.headers()["cache-control"], "no-cache");
        let list = Catalog::<Msg>::from_list(&answer.text().await.unwrap()).unwrap();
        assert_eq!(list, Catalog::<Msg>::parse(keyed).unwrap(), "{tag}");
        assert!(list.missing().is_empty(), "{tag} lacks texts");
    }
    let english = client()
        .get(format!("{}/locales/en.json", server.base))
        .send()
        .await
        .unwrap();
    assert_ne!(english.status(), 200, "English is built into the app");
}
