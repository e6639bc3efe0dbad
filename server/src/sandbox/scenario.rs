//! Sandbox scenarios: how a sandbox customer's verification will go, chosen by URL.

use kyc_onboarding::core::api::{ComplianceOutcome, DecisionState};
use kyc_onboarding::core::failure::{FailureCategory, FailureCode};

use super::fault::FaultRule;
use super::Timings;

/// How the sandbox customer's verification goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The ID check passes; the customer becomes verified.
    Passes,
    /// The ID check fails with the chosen codes (review codes go through review first).
    Fails,
    /// Compliance review, then a pass.
    ReviewThenPasses,
    /// Compliance review, then a failure (rejected by default).
    ReviewThenFails,
    /// Compliance review that asks the customer for a document (a `document_submission`
    /// verification beside the reviewed one), then a pass once it is sent.
    ReviewAsksForDocuments,
    /// The ID used has expired: the verification ends expired.
    Expires,
    /// The inquiry takes a long time to be created.
    SlowInquiry,
    /// The customer is already verified.
    AlreadyVerified,
    /// The customer is already rejected.
    AlreadyRejected,
    /// The customer's account is frozen.
    Frozen,
    /// The customer started a verification earlier and left it part-way.
    PendingToResume,
    /// The customer was verified a year ago and is `unverified` again: the ID used has
    /// expired since (seed 001, "KYC expiry changes customer state").
    Renewal,
    /// The customer is verified and compliance asks for a bank statement (seed 003: a
    /// `document_submission` verification, as for a bank account).
    VerifiedAsksForDocuments,
}

/// One entry of the `/sandbox` page.
pub struct Entry {
    pub id: &'static str,
    pub kind: Kind,
    pub title: &'static str,
    pub description: &'static str,
    /// Extra query parameters of the entry's link.
    pub params: &'static str,
}

/// Every scenario the `/sandbox` page offers.
pub const CATALOG: &[Entry] = &[
    Entry {
        id: "passes",
        kind: Kind::Passes,
        title: "Passes",
        description: "The ID and selfie check passes and the customer becomes verified.",
        params: "",
    },
    Entry {
        id: "fails-retry",
        kind: Kind::Fails,
        title: "Fails, can retry",
        description: "Blurry ID photo and a missing back side: the customer may try again.",
        params: "&codes=id_quality_check_failure,id_double_side_check_failure",
    },
    Entry {
        id: "fails-expired-id",
        kind: Kind::Fails,
        title: "Fails, expired ID",
        description: "The ID has expired: try again with a valid one.",
        params: "&codes=id_expiration_check_failure",
    },
    Entry {
        id: "fails-review",
        kind: Kind::Fails,
        title: "Fails into review",
        description: "Database and name checks need a person: the verification goes to review, \
                      which ends without approval; the customer is not rejected and may start \
                      a new verification.",
        params: "&codes=database_check_failure,name_check_failure",
    },
    Entry {
        id: "fails-phone",
        kind: Kind::Fails,
        title: "Fails, phone number",
        description: "The phone number could not be confirmed: the customer may try again \
                      without support (support only corrects details on file).",
        params: "&codes=phone_number_check_failure",
    },
    Entry {
        id: "check-insufficient",
        kind: Kind::Fails,
        title: "Check insufficient",
        description: "A compliance check had too little to go on: the customer may retry at once.",
        params: "&codes=id_double_side_check_failure&check=insufficient",
    },
    Entry {
        id: "check-inconclusive",
        kind: Kind::Fails,
        title: "Check inconclusive",
        description: "A compliance check needs a person's judgement: wait for the compliance \
                      team, no retry.",
        params: "&codes=id_check_failure&check=inconclusive",
    },
    Entry {
        id: "check-inconclusive-invalidated",
        kind: Kind::Fails,
        title: "Check inconclusive, old decision",
        description: "An inconclusive check beside a decision that was invalidated: still \
                      waiting for the compliance team.",
        params: "&codes=id_check_failure&check=inconclusive&decision=invalidated",
    },
    Entry {
        id: "check-inconclusive-decided",
        kind: Kind::Fails,
        title: "Check inconclusive, decided",
        description: "An inconclusive check the compliance team has decided on (failed, the \
                      customer not rejected): a new verification.",
        params: "&codes=id_check_failure&check=inconclusive&decision=failed",
    },
    Entry {
        id: "fails-rejected",
        kind: Kind::Fails,
        title: "Fails, rejected",
        description:
            "A selfie and replica failure: the customer is rejected and must contact support.",
        params: "&codes=selfie_failure,id_digital_replica_check_failure",
    },
    Entry {
        id: "fails-mixed",
        kind: Kind::Fails,
        title: "Fails, mixed codes",
        description: "Retry, review and rejection codes together: rejection wins.",
        params: "&codes=id_quality_check_failure,address_check_failure,id_mrz_check_failure",
    },
    Entry {
        id: "fails-unknown",
        kind: Kind::Fails,
        title: "Fails, unknown code",
        description: "A code this app does not know: shown honestly, sent to support.",
        params: "&codes=hologram_check_failure",
    },
    Entry {
        id: "review-passes",
        kind: Kind::ReviewThenPasses,
        title: "Review, then passes",
        description: "The verification goes to compliance review and is approved.",
        params: "",
    },
    Entry {
        id: "review-fails",
        kind: Kind::ReviewThenFails,
        title: "Review, then fails",
        description: "The verification goes to compliance review and is rejected.",
        params: "",
    },
    Entry {
        id: "review-asks-documents",
        kind: Kind::ReviewAsksForDocuments,
        title: "Review asks for a document",
        description: "Compliance asks for a proof of address during the review, then approves.",
        params: "",
    },
    Entry {
        id: "review-asks-bank-statement",
        kind: Kind::ReviewAsksForDocuments,
        title: "Review asks for a bank statement",
        description: "The date of birth could not be confirmed: compliance asks for a bank \
                      statement from the last 90 days, then approves.",
        params: "&codes=dob_check_failure",
    },
    Entry {
        id: "review-document-unreadable",
        kind: Kind::ReviewAsksForDocuments,
        title: "Review asks for a document, the first cannot be read",
        description: "The first document sent is refused (`document_quality_check_failure`): \
                      the customer is told and sends it again; then approved.",
        params: "&document_codes=document_quality_check_failure",
    },
    Entry {
        id: "verified-asks-documents",
        kind: Kind::VerifiedAsksForDocuments,
        title: "Verified, asked for a bank statement",
        description: "A verified customer with a document request (as for a bank account): \
                      they send a bank statement and stay verified.",
        params: "",
    },
    Entry {
        id: "verified-document-refused",
        kind: Kind::VerifiedAsksForDocuments,
        title: "Verified, the document is refused",
        description: "A verified customer's first document cannot be used \
                      (`document_check_failure`): told, sent again, accepted.",
        params: "&document_codes=document_check_failure",
    },
    Entry {
        id: "expires",
        kind: Kind::Expires,
        title: "Expires",
        description:
            "The ID used has expired: the verification ends expired and a new one is needed.",
        params: "",
    },
    Entry {
        id: "expires-id",
        kind: Kind::Expires,
        title: "Expires, the ID's own expiry",
        description: "The verification ends expired with `id_expiration_check_failure`: the ID \
                      used has expired.",
        params: "&codes=id_expiration_check_failure",
    },
    Entry {
        id: "renewal",
        kind: Kind::Renewal,
        title: "Renewal",
        description: "Verified a year ago, unverified now that the ID used has expired: the \
                      verification needs renewing.",
        params: "",
    },
    Entry {
        id: "slow-inquiry",
        kind: Kind::SlowInquiry,
        title: "Slow inquiry creation",
        description: "The Persona inquiry takes 8 seconds to appear.",
        params: "",
    },
    Entry {
        id: "already-verified",
        kind: Kind::AlreadyVerified,
        title: "Already verified",
        description: "Nothing to do: the customer is verified.",
        params: "",
    },
    Entry {
        id: "already-rejected",
        kind: Kind::AlreadyRejected,
        title: "Already rejected",
        description: "The customer was rejected earlier: contact support.",
        params: "",
    },
    Entry {
        id: "frozen",
        kind: Kind::Frozen,
        title: "Frozen",
        description: "The customer's account is frozen: contact support.",
        params: "",
    },
    Entry {
        id: "pending-resume",
        kind: Kind::PendingToResume,
        title: "Resume a pending verification",
        description: "A verification was started an hour ago and left part-way.",
        params: "",
    },
    Entry {
        id: "business-passes",
        kind: Kind::Passes,
        title: "Business (KYB) passes",
        description: "A business customer: its registration is verified (business_registration) \
                      and the business becomes verified.",
        params: "&customer_type=business",
    },
    Entry {
        id: "business-fails-ein",
        kind: Kind::Fails,
        title: "Business fails, EIN not validated",
        description: "The business's name, EIN or address could not be validated against \
                      official records: review, which ends without approval: support.",
        params: "&customer_type=business&codes=database_check_failure",
    },
    Entry {
        id: "business-fails-watchlist",
        kind: Kind::Fails,
        title: "Business fails, watchlist",
        description: "The business's AML screening finds a watchlist or sanctions match: \
                      review, which ends without approval: support.",
        params: "&customer_type=business&codes=watchlist_check_failure",
    },
    Entry {
        id: "business-fails-media",
        kind: Kind::Fails,
        title: "Business fails, adverse media",
        description: "The business's AML screening finds adverse media: review, which ends \
                      without approval: support.",
        params: "&customer_type=business&codes=media_check_failure",
    },
    Entry {
        id: "business-review-passes",
        kind: Kind::ReviewThenPasses,
        title: "Business review, then passes",
        description: "The business's records need a person: compliance review, then approved.",
        params: "&customer_type=business&codes=database_check_failure",
    },
];

/// A scenario with its settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub kind: Kind,
    /// Failure codes for the failing kinds.
    pub codes: Vec<String>,
    pub timings: Timings,
    /// Faults injected into this customer's requests.
    pub faults: Vec<FaultRule>,
    /// The compliance check a failure reports (`check=insufficient`, `inconclusive`...).
    pub check: Option<ComplianceOutcome>,
    /// The compliance decision a failure reports (`decision=failed`, `invalidated`...).
    pub decision: Option<DecisionState>,
    /// The customer is a business (`customer_type=business`): verified by KYB.
    pub business: bool,
    /// The codes the customer's first document request fails with (`document_codes=`);
    /// empty: documents are accepted.
    pub document_codes: Vec<String>,
}

impl Scenario {
    /// The default scenario with the server's timings.
    pub fn passes(timings: Timings) -> Scenario {
        Scenario {
            kind: Kind::Passes,
            codes: Vec::new(),
            timings,
            faults: Vec::new(),
            check: None,
            decision: None,
            business: false,
            document_codes: Vec::new(),
        }
    }

    /// Reads `scenario=fails-retry&codes=a,b&inquiry_delay_ms=0&fault=create:lost:1...`
    /// (`customer_type=business` for a business customer).
    pub fn from_query(pairs: &[(String, String)], defaults: Timings) -> Result<Scenario, String> {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let id = get("scenario").unwrap_or("passes");
        let entry = CATALOG
            .iter()
            .find(|e| e.id == id || kind_name(e.kind) == id)
            .ok_or_else(|| format!("unknown scenario `{}`", printable(id)))?;
        let mut scenario = Scenario::passes(defaults);
        scenario.kind = entry.kind;
        // The entry's own settings unless the URL says otherwise.
        let preset = |key: &str| {
            entry
                .params
                .split('&')
                .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
        };
        scenario.business = match get("customer_type").or_else(|| preset("customer_type")) {
            None | Some("individual") => false,
            Some("business") => true,
            Some(other) => {
                return Err(format!(
                    "customer_type is individual or business, not `{}`",
                    printable(other)
                ))
            }
        };
        if entry.kind == Kind::SlowInquiry {
            scenario.timings.inquiry_delay_ms = scenario.timings.inquiry_delay_ms.max(8_000);
        }
        // Codes: from the URL (repeated or comma-separated), else the catalog entry's.
        let mut codes: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| k == "codes" || k == "code")
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        if codes.is_empty() {
            if let Some(list) = preset("codes") {
                codes = list.split(',').map(str::to_owned).collect();
            }
        }
        let document_codes: Vec<String> = get("document_codes")
            .or_else(|| preset("document_codes"))
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        for code in codes.iter().chain(&document_codes) {
            if code.len() > 64 || !code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(format!("`{}` is not a failure code", printable(code)));
            }
        }
        scenario.codes = codes;
        scenario.document_codes = document_codes;
        // The check and the decision: from the URL, else the catalog entry's.
        let listed = |key: &str| get(key).or_else(|| preset(key)).map(str::to_owned);
        if let Some(check) = listed("check") {
            match ComplianceOutcome::parse(&check) {
                ComplianceOutcome::Unknown(_) => {
                    return Err(format!("`{}` is not a check outcome", printable(&check)))
                }
                outcome => scenario.check = Some(outcome),
            }
        }
        if let Some(decision) = listed("decision") {
            match DecisionState::parse(&decision) {
                DecisionState::Unknown(_) => {
                    return Err(format!(
                        "`{}` is not a decision state",
                        printable(&decision)
                    ))
                }
                state => scenario.decision = Some(state),
            }
        }
        let ms = |key: &str, slot: &mut u64| -> Result<(), String> {
            if let Some(v) = get(key) {
                *slot = v
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n <= 24 * 3_600_000)
                    .ok_or_else(|| format!("{key} must be milliseconds, got `{}`", printable(v)))?;
            }
            Ok(())
        };
        ms("inquiry_delay_ms", &mut scenario.timings.inquiry_delay_ms)?;
        ms("decision_delay_ms", &mut scenario.timings.decision_delay_ms)?;
        ms("review_delay_ms", &mut scenario.timings.review_delay_ms)?;
        ms("customer_delay_ms", &mut scenario.timings.customer_delay_ms)?;
        ms("expire_after_ms", &mut scenario.timings.expire_after_ms)?;
        for (_, rule) in pairs.iter().filter(|(k, _)| k == "fault") {
            if scenario.faults.len() == super::fault::MAX_WAITING {
                return Err(format!(
                    "at most {} faults per scenario",
                    super::fault::MAX_WAITING
                ));
            }
            scenario.faults.push(FaultRule::parse(rule)?);
        }
        Ok(scenario)
    }

    /// The codes a failing verification ends with.
    pub fn failure_codes(&self) -> Vec<String> {
        match (self.kind, self.codes.is_empty()) {
            (_, false) => self.codes.clone(),
            (Kind::ReviewThenFails, true) => {
                vec!["name_check_failure".into(), "compliance_rejection".into()]
            }
            (Kind::ReviewThenPasses, true) => vec!["review_required".into()],
            (Kind::ReviewAsksForDocuments, true) => vec!["address_check_failure".into()],
            _ => vec!["id_check_failure".into()],
        }
    }

    /// Whether the codes send the verification to review before the outcome.
    pub fn goes_to_review(&self) -> bool {
        matches!(
            self.kind,
            Kind::ReviewThenPasses | Kind::ReviewThenFails | Kind::ReviewAsksForDocuments
        ) || (self.kind == Kind::Fails
            && self
                .failure_codes()
                .iter()
                .any(|c| FailureCode::parse(c).category() == FailureCategory::ComplianceReview))
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Passes => "passes",
        Kind::Fails => "fails",
        Kind::ReviewThenPasses => "review-then-passes",
        Kind::ReviewThenFails => "review-then-fails",
        Kind::ReviewAsksForDocuments => "review-asks-for-documents",
        Kind::Expires => "expires",
        Kind::SlowInquiry => "slow-inquiry",
        Kind::AlreadyVerified => "already-verified",
        Kind::AlreadyRejected => "already-rejected",
        Kind::Frozen => "frozen",
        Kind::PendingToResume => "pending-resume",
        Kind::Renewal => "renewal",
        Kind::VerifiedAsksForDocuments => "verified-asks-for-documents",
    }
}

/// A value from a URL, safe to put in an error message (printable ASCII, at most 40 chars).
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(40)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_scenarios_codes_timings_and_faults() {
        let s = Scenario::from_query(
            &q(&[
                ("scenario", "fails-retry"),
                ("codes", "id_check_failure"),
                ("code", "user_canceled"),
                ("inquiry_delay_ms", "0"),
                ("fault", "create:lost:1"),
            ]),
            Timings::default(),
        )
        .unwrap();
        assert_eq!(s.kind, Kind::Fails);
        assert_eq!(s.codes, ["id_check_failure", "user_canceled"]);
        assert_eq!(s.timings.inquiry_delay_ms, 0);
        assert_eq!(s.faults.len(), 1);
        let catalog_codes =
            Scenario::from_query(&q(&[("scenario", "fails-review")]), Timings::default()).unwrap();
        assert_eq!(
            catalog_codes.codes,
            ["database_check_failure", "name_check_failure"]
        );
        assert!(catalog_codes.goes_to_review());
    }

    #[test]
    fn refuses_nonsense_with_a_clear_message() {
        let err =
            Scenario::from_query(&q(&[("scenario", "<script>")]), Timings::default()).unwrap_err();
        assert!(err.contains("unknown scenario"));
        assert!(Scenario::from_query(&q(&[("codes", "DROP TABLE")]), Timings::default()).is_err());
        assert!(
            Scenario::from_query(&q(&[("inquiry_delay_ms", "-1")]), Timings::default()).is_err()
        );
    }

    #[test]
    fn reads_the_compliance_check_and_decision() {
        let s = Scenario::from_query(
            &q(&[("scenario", "check-inconclusive-invalidated")]),
            Timings::default(),
        )
        .unwrap();
        assert_eq!(s.check, Some(ComplianceOutcome::Inconclusive));
        assert_eq!(s.decision, Some(DecisionState::Invalidated));
        let s = Scenario::from_query(
            &q(&[("scenario", "fails"), ("check", "insufficient")]),
            Timings::default(),
        )
        .unwrap();
        assert_eq!(s.check, Some(ComplianceOutcome::Insufficient));
        assert!(Scenario::from_query(&q(&[("check", "maybe")]), Timings::default()).is_err());
    }

    #[test]
    fn business_scenarios_make_a_business_customer_with_the_kyb_codes() {
        let s = |pairs: &[(&str, &str)]| Scenario::from_query(&q(pairs), Timings::default());
        let ein = s(&[("scenario", "business-fails-ein")]).unwrap();
        assert!(ein.business);
        assert_eq!(ein.kind, Kind::Fails);
        assert_eq!(ein.codes, ["database_check_failure"]);
        assert!(ein.goes_to_review(), "seed 000: a review code");
        assert!(s(&[("scenario", "business-passes")]).unwrap().business);
        assert!(!s(&[("scenario", "passes")]).unwrap().business);
        // Any scenario, for a business, from the URL.
        let any = s(&[("scenario", "fails-retry"), ("customer_type", "business")]).unwrap();
        assert!(any.business);
        assert_eq!(
            any.codes,
            ["id_quality_check_failure", "id_double_side_check_failure"]
        );
        assert!(s(&[("customer_type", "<b>")]).is_err());
        // Seed 001's KYB codes each have a scenario.
        for code in [
            "database_check_failure",
            "watchlist_check_failure",
            "media_check_failure",
        ] {
            assert!(
                CATALOG
                    .iter()
                    .any(|e| e.params.contains("customer_type=business")
                        && e.kind == Kind::Fails
                        && e.params.ends_with(&format!("codes={code}"))),
                "{code}"
            );
        }
    }

    #[test]
    fn every_catalog_entry_parses() {
        for entry in CATALOG {
            let s =
                Scenario::from_query(&q(&[("scenario", entry.id)]), Timings::default()).unwrap();
            assert_eq!(s.kind, entry.kind, "{}", entry.id);
        }
    }
}
