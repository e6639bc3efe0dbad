//! The API types read and written against the documents' fixtures, and readers that never panic.

use super::*;
use crate::core::failure::FailureCode;

const STATES: [(&str, &str); 7] = [
    ("storing", include_str!("../fixtures/iv_storing.json")),
    ("waiting", include_str!("../fixtures/iv_waiting.json")),
    ("pending", include_str!("../fixtures/iv_pending.json")),
    ("reviewing", include_str!("../fixtures/iv_reviewing.json")),
    ("expired", include_str!("../fixtures/iv_expired.json")),
    ("completed", include_str!("../fixtures/iv_passed.json")),
    ("completed", include_str!("../fixtures/iv_failed.json")),
];

#[test]
fn every_documented_state_round_trips() {
    for (state, json) in STATES {
        let v: IdentityVerification = parse(json).unwrap();
        assert_eq!(v.state.as_str(), state);
        assert!(!matches!(v.state, VerificationState::Unknown(_)));
        let again: IdentityVerification = parse(&to_json(&v)).unwrap();
        assert_eq!(again, v, "{state}");
    }
}

#[test]
fn fields_are_read_as_documented() {
    let v: IdentityVerification = parse(STATES[1].1).unwrap();
    assert_eq!(v.persona_inquiry_id.as_deref(), Some("inq_Ta7x"));
    assert_eq!(v.persona_state, Some(PersonaState::Waiting));
    assert_eq!(v.outcome, None);
    assert!(v.failure_codes.is_empty(), "null means none");
    assert!(v.is_kyc() && v.is_in_flight());

    let v: IdentityVerification = parse(STATES[0].1).unwrap();
    assert_eq!(v.persona_inquiry_id, None, "missing is fine too");
    assert!(v.compliance_checks.is_empty());

    let v: IdentityVerification = parse(STATES[6].1).unwrap();
    assert_eq!(v.outcome, Some(Outcome::Failed));
    assert_eq!(
        v.all_failure_codes(),
        [
            FailureCode::IdQualityCheckFailure,
            FailureCode::IdDoubleSideCheckFailure
        ]
    );
    assert_eq!(
        v.compliance_checks[0].outcome,
        Some(ComplianceOutcome::Insufficient)
    );
    assert_eq!(v.compliance_decisions[0].state, Some(DecisionState::Failed));
}

#[test]
fn unknown_values_and_extra_fields_are_kept_not_fatal() {
    let v: IdentityVerification =
        parse(include_str!("../fixtures/iv_unknown_values.json")).unwrap();
    assert_eq!(v.kind, Some(VerificationType::Unknown("kyc_plus".into())));
    assert_eq!(
        v.method,
        Some(VerificationMethod::Unknown("id_and_hologram".into()))
    );
    assert_eq!(v.state, VerificationState::Unknown("escalated".into()));
    assert_eq!(v.outcome, Some(Outcome::Unknown("partially_passed".into())));
    assert_eq!(
        v.persona_state,
        Some(PersonaState::Unknown("unknown".into()))
    );
    assert_eq!(
        v.failure_codes,
        [FailureCode::Unknown("id_hologram_check_failure".into())]
    );
    assert_eq!(
        v.compliance_checks[0].outcome,
        Some(ComplianceOutcome::Unknown("maybe".into()))
    );
    assert_eq!(
        v.compliance_decisions[0].state,
        Some(DecisionState::Unknown("paused".into()))
    );
    // Unknown values survive a round trip unchanged.
    let again: IdentityVerification = parse(&to_json(&v)).unwrap();
    assert_eq!(again, v);

    let c: Customer = parse(include_str!("../fixtures/customer_unverified.json")).unwrap();
    assert_eq!(c.state, CustomerState::Unverified);
    assert_eq!(c.kind, Some(CustomerType::Individual));
    let odd: Customer = parse(r#"{"guid":"c","state":"paused","type":null}"#).unwrap();
    assert_eq!(odd.state, CustomerState::Unknown("paused".into()));
    assert_eq!(odd.kind, None);
}

#[test]
fn every_known_value_round_trips_through_its_text() {
    fn check<T: PartialEq + std::fmt::Debug>(
        known: &[T],
        as_str: impl Fn(&T) -> &str,
        parse: impl Fn(&str) -> T,
    ) {
        for value in known {
            assert_eq!(&parse(as_str(value)), value);
        }
    }
    check(
        CustomerState::KNOWN,
        CustomerState::as_str,
        CustomerState::parse,
    );
    check(
        VerificationState::KNOWN,
        VerificationState::as_str,
        VerificationState::parse,
    );
    check(
        VerificationMethod::KNOWN,
        VerificationMethod::as_str,
        VerificationMethod::parse,
    );
    check(
        VerificationType::KNOWN,
        VerificationType::as_str,
        VerificationType::parse,
    );
    check(Outcome::KNOWN, Outcome::as_str, Outcome::parse);
    check(
        PersonaState::KNOWN,
        PersonaState::as_str,
        PersonaState::parse,
    );
    check(
        ComplianceOutcome::KNOWN,
        ComplianceOutcome::as_str,
        ComplianceOutcome::parse,
    );
    check(
        DecisionState::KNOWN,
        DecisionState::as_str,
        DecisionState::parse,
    );
    check(
        ExpectedBehaviour::KNOWN,
        ExpectedBehaviour::as_str,
        ExpectedBehaviour::parse,
    );
    assert_eq!(VerificationMethod::KNOWN.len(), 13);
}

#[test]
fn list_responses_parse_with_or_without_paging() {
    let list: ListResponse<IdentityVerification> =
        parse(include_str!("../fixtures/list.json")).unwrap();
    assert_eq!(list.objects.len(), 2);
    assert_eq!(
        (list.total, list.page, list.per_page),
        (Some(2), Some(0), Some(10))
    );
    assert!(list.objects[0].is_kyc() && !list.objects[1].is_kyc());
    let bare: ListResponse<IdentityVerification> = parse(r#"{"objects":[]}"#).unwrap();
    assert!(bare.objects.is_empty());
    // An answer without its list is not an empty list: read as one, it would let the
    // create guard make a duplicate.
    for odd in [r#"{}"#, r#"{"objects":null}"#, r#"{"total":3}"#] {
        assert!(
            parse::<ListResponse<IdentityVerification>>(odd).is_err(),
            "{odd}"
        );
    }
}

#[test]
fn requests_leave_out_what_is_not_set() {
    let post = PostIdentityVerification::kyc_id_and_selfie("cust_1");
    assert_eq!(
        to_json(&post),
        r#"{"type":"kyc","method":"id_and_selfie","customer_guid":"cust_1"}"#
    );
    let sandbox = PostIdentityVerification {
        require_tax_id: Some(true),
        expected_behaviours: vec![ExpectedBehaviour::PassedImmediately],
        ..post
    };
    assert_eq!(
        to_json(&sandbox),
        r#"{"type":"kyc","method":"id_and_selfie","customer_guid":"cust_1","require_tax_id":true,"expected_behaviours":["passed_immediately"]}"#
    );
    let session = PostPersonaSession {
        persona_inquiry_id: "inq_1".into(),
        identity_verification_guid: "iv_1".into(),
    };
    assert_eq!(
        to_json(&session),
        r#"{"persona_inquiry_id":"inq_1","identity_verification_guid":"iv_1"}"#
    );
}

#[test]
fn the_apps_writer_writes_what_the_server_writes() {
    use crate::core::json::ToJson;
    fn same<T: ToJson + serde::Serialize>(value: &T) {
        assert_eq!(value.to_json(), to_json(value));
    }
    for (_, json) in STATES {
        same(&parse::<IdentityVerification>(json).unwrap());
    }
    same(
        &parse::<IdentityVerification>(include_str!("../fixtures/iv_unknown_values.json")).unwrap(),
    );
    same(
        &parse::<ListResponse<IdentityVerification>>(include_str!("../fixtures/list.json"))
            .unwrap(),
    );
    same(&parse::<Customer>(include_str!("../fixtures/customer_unverified.json")).unwrap());
    let post = PostIdentityVerification::kyc_id_and_selfie("cust_1");
    same(&post);
    same(&PostIdentityVerification {
        require_tax_id: Some(false),
        expected_behaviours: vec![
            ExpectedBehaviour::PassedImmediately,
            ExpectedBehaviour::Unknown("later".into()),
        ],
        ..post
    });
    same(&PostPersonaSession {
        persona_inquiry_id: "inq_1".into(),
        identity_verification_guid: "iv_1".into(),
    });
    let session: SessionInfo = parse(
        r#"{"customer_guid":"c1","csrf_token":"t","persona":{"frame_ancestors":["a"]},
            "branding":{"name":"Bank","radius_px":8,"tip_groups":[]}}"#,
    )
    .unwrap();
    same(&session);
    same(&crate::core::branding::Branding::default());
    same(&ErrorResponse {
        status: 422,
        error_message: None,
        message_code: Some("x".into()),
    });
}

#[test]
fn error_bodies_and_session_info_parse() {
    let e: ErrorResponse = parse(
        r#"{"status":422,"error_message":"Invalid customer","message_code":"invalid_parameter"}"#,
    )
    .unwrap();
    assert_eq!(e.status, 422);
    assert_eq!(e.message_code.as_deref(), Some("invalid_parameter"));
    let s: SessionInfo = parse(
        r#"{"customer_guid":"c1","environment":"sandbox","expires_at":"2026-11-23T12:00:00Z",
            "csrf_token":"csrf_secret","persona":{"sdk_url":"/persona.js","host":"localhost:8080"}}"#,
    )
    .unwrap();
    assert_eq!(s.persona.host.as_deref(), Some("localhost:8080"));
    assert_eq!(s.persona.frame_ancestors, Vec::<String>::new(), "optional");
    assert!(
        !format!("{s:?}").contains("csrf_secret"),
        "the CSRF token is redacted"
    );
}

#[test]
fn persona_gets_every_ancestor_of_a_framed_app() {
    let own = "https://kyc.example";
    let config: PersonaConfig =
        parse(r#"{"frame_ancestors":["https://bank.example","'self'","http://old.example"]}"#)
            .unwrap();
    // Chrome and Safari list the ancestors: they are what Persona gets.
    let listed = vec!["https://portal.example".to_owned()];
    assert_eq!(
        config.frame_ancestors_for(own, Some(listed)),
        [own, "https://portal.example"]
    );
    // Firefox cannot: the https origins allowed to frame the app stand in.
    assert_eq!(
        config.frame_ancestors_for(own, None),
        [own, "https://bank.example"]
    );
    assert_eq!(
        PersonaConfig::default().frame_ancestors_for(own, None),
        [own]
    );
}

#[test]
fn each_retry_of_the_sdk_load_has_an_address_of_its_own() {
    let at = |url: Option<&str>, attempt| {
        PersonaConfig {
            sdk_url: url.map(str::to_owned),
            ..PersonaConfig::default()
        }
        .sdk_url_for(attempt)
    };
    assert_eq!(at(None, 0), "/persona.js");
    assert_eq!(at(None, 1), "/persona.js?retry=1");
    let cdn = "https://cdn.withpersona.com/dist/persona-v5.9.0.js";
    assert_eq!(at(Some(cdn), 0), cdn);
    assert_eq!(at(Some(cdn), 2), format!("{cdn}?retry=2"));
    assert_eq!(at(Some("/p.js?v=5"), 3), "/p.js?v=5&retry=3");
    assert_eq!(at(Some("/p.js?"), 1), "/p.js?retry=1");
    assert_eq!(at(Some("/p.js?v=5&"), 1), "/p.js?v=5&retry=1");
    assert_eq!(at(Some("/p.js#x"), 1), "/p.js?retry=1#x");
    assert_eq!(at(Some("/p.js?v=5#x?y"), 1), "/p.js?v=5&retry=1#x?y");
    let all: Vec<String> = (0..5).map(|n| at(None, n)).collect();
    for (i, a) in all.iter().enumerate() {
        assert!(!all[i + 1..].contains(a), "{a} is used once");
    }
}

#[test]
fn malformed_bodies_give_typed_errors() {
    type Expect = fn(&ParseError) -> bool;
    let cases: [(&str, Expect); 8] = [
        ("", |e| *e == ParseError::Truncated),
        (r#"{"guid":"iv_1","state":"wait"#, |e| {
            *e == ParseError::Truncated
        }),
        ("<html>502 Bad Gateway</html>", |e| {
            matches!(e, ParseError::Syntax { .. })
        }),
        (r#"{"guid":"iv_1","state":"waiting",}"#, |e| {
            matches!(e, ParseError::Syntax { .. })
        }),
        (r#"{"state":"waiting"}"#, |e| {
            matches!(e, ParseError::Shape { .. })
        }),
        (r#"{"guid":7,"state":"waiting"}"#, |e| {
            matches!(e, ParseError::Shape { .. })
        }),
        (r#"{"guid":"iv","state":null}"#, |e| {
            matches!(e, ParseError::Shape { .. })
        }),
        (r#"[1,2,3]"#, |e| matches!(e, ParseError::Shape { .. })),
    ];
    for (body, expected) in cases {
        let err = parse::<IdentityVerification>(body).unwrap_err();
        assert!(expected(&err), "{body:?} gave {err:?}");
        assert!(!err.to_string().is_empty());
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Arbitrary JSON, biased towards the API's field names and values.
    fn json() -> impl Strategy<Value = serde_json::Value> {
        let word = prop_oneof![
            Just("guid"),
            Just("state"),
            Just("type"),
            Just("outcome"),
            Just("failure_codes"),
            Just("compliance_checks"),
            Just("compliance_decisions"),
            Just("persona_inquiry_id"),
            Just("persona_state"),
            Just("created_at"),
            Just("objects"),
            Just("kyc"),
            Just("waiting"),
            Just("completed"),
            Just("failed"),
            Just("insufficient"),
            Just("id_check_failure"),
            Just("\u{202e}rtl"),
            Just(""),
        ]
        .prop_map(str::to_owned);
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            word.clone().prop_map(serde_json::Value::from),
            ".{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(word.clone(), inner, 0..8)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn parsers_never_panic_on_any_json(value in json()) {
            let text = value.to_string();
            let _ = parse::<IdentityVerification>(&text);
            let _ = parse::<ListResponse<IdentityVerification>>(&text);
            let _ = parse::<Customer>(&text);
            let _ = parse::<PersonaSession>(&text);
            let _ = parse::<ErrorResponse>(&text);
            let _ = parse::<SessionInfo>(&text);
            if let Ok(v) = parse::<IdentityVerification>(&text) {
                // Whatever parsed, the verdict can be computed.
                let _ = crate::core::failure::verdict(&v);
            }
        }

        #[test]
        fn parsers_never_panic_on_any_bytes(text in "\\PC{0,200}") {
            let _ = parse::<IdentityVerification>(&text);
            let _ = parse::<Customer>(&text);
        }
    }
}

#[test]
fn the_session_says_whether_it_is_the_sandbox_and_tolerates_any_environment() {
    let sandbox = |json: &str| {
        parse::<SessionInfo>(&format!(
            r#"{{"customer_guid":"c1","csrf_token":"t"{json}}}"#
        ))
        .unwrap()
        .sandbox()
    };
    assert!(sandbox(r#","environment":"sandbox""#));
    assert!(!sandbox(r#","environment":"production""#));
    assert!(!sandbox(r#","environment":"staging""#));
    assert!(!sandbox(""));
    assert_eq!(Environment::parse("sandbox"), Environment::Sandbox);
    assert_eq!(
        Environment::parse("staging"),
        Environment::Unknown("staging".into())
    );
    assert_eq!(to_json(&Environment::Sandbox), r#""sandbox""#);
}
