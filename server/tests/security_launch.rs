//! Attacks on `/launch` and on the launch settings: a HEAD that would spend a token, tokens
//! for another audience or signed with a retired key, and a Cybrid-mode server that would
//! take customers from any site without being told to.

mod common;

use common::chain::{
    chain_with, launch_token, now_secs, open_launch, upstream_customer, LAUNCH_SECRET,
};
use common::client;
use kyc_server::config::Config;
use kyc_server::launch::{sign, sign_with_kid};
use serde_json::json;

fn parse(env: &[(&str, &str)]) -> Result<Config, String> {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_args_and_env(Vec::new(), move |key| {
        env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    })
    .map(|(_, config)| config)
}

const CYBRID: [(&str, &str); 4] = [
    ("CYBRID_CLIENT_ID", "id"),
    ("CYBRID_CLIENT_SECRET", "client-s3cr3t-value"),
    ("KYC_LAUNCH_SECRET", "0123456789abcdef0123456789abcdef"),
    ("KYC_PUBLIC_URL", "https://kyc.example.com"),
];

fn cybrid_with(extra: &[(&'static str, &'static str)]) -> Result<Config, String> {
    let mut env = CYBRID.to_vec();
    env.extend_from_slice(extra);
    parse(&env)
}

#[tokio::test]
async fn a_head_request_never_spends_a_launch_token() {
    let (upstream, bff) = chain_with(|_| {}).await;
    let guid = upstream_customer(&upstream).await;
    let token = launch_token(&guid);
    // A mail scanner or link preview asks for the headers first.
    let head = client()
        .head(format!("{}/launch?token={token}", bff.base))
        .send()
        .await
        .unwrap();
    assert_ne!(head.status(), 303, "no session from a HEAD");
    assert!(head.headers().get("set-cookie").is_none());
    // The customer's own tap still works.
    let r = open_launch(&bff, &token).await;
    assert_eq!(r.status(), 303, "the token is still unspent");
    assert!(r.headers().get("set-cookie").is_some());
}

#[tokio::test]
async fn a_token_signed_for_another_audience_is_refused_over_http() {
    let (upstream, bff) = chain_with(|c| {
        c.launch_audience = Some("https://kyc.bank.example".into());
        c.launch_issuer = Some("https://bank.example".into());
    })
    .await;
    let guid = upstream_customer(&upstream).await;
    let token = |aud: &str| {
        sign(
            LAUNCH_SECRET,
            &json!({"customer_guid": guid, "exp": now_secs() + 60,
                    "aud": aud, "iss": "https://bank.example"}),
        )
    };
    let r = open_launch(&bff, &token("https://payments.bank.example")).await;
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("set-cookie").is_none());
    let r = open_launch(&bff, &token("https://kyc.bank.example")).await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn during_a_rotation_both_configured_keys_sign_customers_in() {
    const OLD: &[u8] = b"the integrator's old secret, 32+ bytes";
    let (upstream, bff) = chain_with(|c| {
        c.launch_key_id = Some("2025-06".into());
        c.launch_secret_previous = Some(OLD.to_vec());
        c.launch_key_id_previous = Some("2025-01".into());
    })
    .await;
    let guid = upstream_customer(&upstream).await;
    let claims = || json!({"customer_guid": guid, "exp": now_secs() + 60});
    for token in [
        sign(LAUNCH_SECRET, &claims()),
        sign(OLD, &claims()),
        sign_with_kid(LAUNCH_SECRET, Some("2025-06"), &claims()),
        sign_with_kid(OLD, Some("2025-01"), &claims()),
    ] {
        assert_eq!(open_launch(&bff, &token).await.status(), 303);
    }
    let retired = sign(b"a retired secret, also 32+ bytes long!", &claims());
    assert_eq!(open_launch(&bff, &retired).await.status(), 401);
    let misnamed = sign_with_kid(OLD, Some("2025-06"), &claims());
    assert_eq!(open_launch(&bff, &misnamed).await.status(), 401);
}

#[test]
fn cybrid_mode_takes_customers_from_any_site_only_when_told() {
    let err = cybrid_with(&[]).unwrap_err();
    assert!(
        err.contains("KYC_LAUNCH_ORIGINS") && err.contains('*'),
        "{err}"
    );
    let any = cybrid_with(&[("KYC_LAUNCH_ORIGINS", "*")]).unwrap();
    assert!(any.launch_origins.is_empty(), "any site");
    let listed = cybrid_with(&[("KYC_LAUNCH_ORIGINS", "https://bank.example")]).unwrap();
    assert_eq!(listed.launch_origins, ["https://bank.example"]);
    assert!(cybrid_with(&[("KYC_LAUNCH_ORIGINS", "* https://bank.example")]).is_err());
    // The sandbox is unchanged: unset is any.
    assert!(parse(&[]).unwrap().launch_origins.is_empty());
}

#[test]
fn the_upstream_hosts_must_be_https_but_on_this_machine() {
    let origins = ("KYC_LAUNCH_ORIGINS", "*");
    for (name, url) in [
        ("CYBRID_BANK_URL", "http://bank.sandbox.cybrid.app"),
        ("CYBRID_ID_URL", "http://id.sandbox.cybrid.app"),
        ("CYBRID_ID_URL", "http://localhost.evil.example"),
        ("CYBRID_BANK_URL", "ftp://bank.example"),
    ] {
        let err = cybrid_with(&[origins, (name, url)]).unwrap_err();
        assert!(err.contains(name), "{name}={url}: {err}");
    }
    for url in [
        "http://127.0.0.1:9000",
        "http://localhost:9000",
        "http://[::1]:9000",
    ] {
        assert!(
            cybrid_with(&[origins, ("CYBRID_BANK_URL", url), ("CYBRID_ID_URL", url)]).is_ok(),
            "{url}"
        );
    }
}

#[test]
fn key_rotation_settings_must_agree() {
    let origins = ("KYC_LAUNCH_ORIGINS", "*");
    let previous = (
        "KYC_LAUNCH_SECRET_PREVIOUS",
        "fedcba9876543210fedcba9876543210",
    );
    let config = cybrid_with(&[
        origins,
        previous,
        ("KYC_LAUNCH_KEY_ID", "k2"),
        ("KYC_LAUNCH_KEY_ID_PREVIOUS", "k1"),
        ("KYC_LAUNCH_AUDIENCE", "kyc"),
        ("KYC_LAUNCH_ISSUER", "bank"),
    ])
    .unwrap();
    assert!(config.launch_secret_previous.is_some());
    assert_eq!(config.launch_audience.as_deref(), Some("kyc"));
    for bad in [
        vec![("KYC_LAUNCH_SECRET_PREVIOUS", "short")],
        vec![("KYC_LAUNCH_KEY_ID_PREVIOUS", "k1")],
        vec![
            previous,
            ("KYC_LAUNCH_KEY_ID", "k"),
            ("KYC_LAUNCH_KEY_ID_PREVIOUS", "k"),
        ],
        vec![("KYC_LAUNCH_KEY_ID", "has space")],
    ] {
        let mut env = bad.clone();
        env.push(origins);
        assert!(cybrid_with(&env).is_err(), "{bad:?}");
    }
    let same = cybrid_with(&[origins, ("KYC_LAUNCH_SECRET_PREVIOUS", CYBRID[2].1)]).unwrap_err();
    assert!(
        !same.contains(CYBRID[2].1),
        "the secret is not shown: {same}"
    );
}

#[test]
fn no_secret_shows_in_the_configurations_debug_output() {
    let secrets = [
        "0123456789abcdef0123456789abcdef",
        "fedcba9876543210fedcba9876543210",
        "client-s3cr3t-value",
        "sandbox-bank-s3cr3t",
        "sandbox-bank-client-id",
        "redis-passw0rd",
    ];
    let mut config = cybrid_with(&[
        ("KYC_LAUNCH_ORIGINS", "*"),
        ("KYC_LAUNCH_SECRET_PREVIOUS", secrets[1]),
        (
            "KYC_REDIS_URL",
            "redis://kyc:redis-passw0rd@redis.internal:6379/0",
        ),
    ])
    .unwrap();
    config.sandbox_bank_credentials = Some((secrets[4].into(), secrets[3].into()));
    let shown = format!("{config:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    // Nor as the list of bytes a `Vec<u8>` would show.
    let bytes = format!("{:?}", secrets[0].as_bytes().to_vec());
    assert!(!shown.contains(&bytes[1..20]), "{shown}");
    assert!(
        shown.contains("redis.internal"),
        "the rest still shows: {shown}"
    );
}
