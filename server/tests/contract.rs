//! The OpenAPI contract names every path the SPA relies on.

#[test]
fn the_contract_documents_every_spa_path() {
    let contract =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    for path in [
        "/session:",
        "/api/customers/{guid}:",
        "/api/identity_verifications:",
        "/api/identity_verifications/{guid}:",
        "/api/persona_sessions:",
        "/launch:",
        "/handoff:",
        "/handoff/status:",
        "/handoff/revoke:",
        "/handoff/cancel:",
        "/handoff/qr.svg:",
        "/handoff/{code}:",
    ] {
        assert!(
            contract.contains(&format!("  {path}")),
            "{path} is documented"
        );
    }
    for rule in ["HttpOnly", "X-CSRF-Token", "404", "single-use"] {
        assert!(contract.contains(rule), "the contract states {rule}");
    }
}
