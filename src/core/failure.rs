//! The failure-code catalog, the one place that says what each code means for the customer,
//! and the verdict on a finished verification.

use super::api::{
    api_enum, ComplianceOutcome, DecisionState, IdentityVerification, Outcome, VerificationState,
};
use super::text::Msg;
use super::tips::TipGroup;

api_enum! {
    /// Every failure code the Cybrid API documents: the 34 that the KYC guide (seed 000,
    /// "Retry eligibility by failure code") sorts into three outcomes (13 retry, 12 review,
    /// 9 rejected), and 8 more that the API documents for bank-account and other flows
    /// (`account_number_check_failure`, the `plaid_*` codes, `requested_failure`,
    /// `deleted_account`). Those 8 are known so that a stray one on a KYC verification gets
    /// a neutral message and support rather than "unknown code"; any other code is
    /// [`FailureCode::Unknown`] and is never treated as retryable.
    FailureCode {
        // The customer stays unverified and may try again.
        IdCheckFailure = "id_check_failure",
        IdQualityCheckFailure = "id_quality_check_failure",
        IdExpirationCheckFailure = "id_expiration_check_failure",
        IdDoubleSideCheckFailure = "id_double_side_check_failure",
        IdTypeAllowedCheckFailure = "id_type_allowed_check_failure",
        IdCountryAllowedCheckFailure = "id_country_allowed_check_failure",
        PhoneNumberCheckFailure = "phone_number_check_failure",
        EmailAddressCheckFailure = "email_address_check_failure",
        DocumentTypeCheckFailure = "document_type_check_failure",
        DocumentQualityCheckFailure = "document_quality_check_failure",
        DocumentCheckFailure = "document_check_failure",
        UserCanceled = "user_canceled",
        DecisionTimeout = "decision_timeout",
        // Sent to the compliance team.
        DatabaseCheckFailure = "database_check_failure",
        IdBarcodeCheckFailure = "id_barcode_check_failure",
        IdNumberCheckFailure = "id_number_check_failure",
        DuplicatePersonCheckFailure = "duplicate_person_check_failure",
        CountryComparisonCheckFailure = "country_comparison_check_failure",
        NameCheckFailure = "name_check_failure",
        AddressCheckFailure = "address_check_failure",
        DobCheckFailure = "dob_check_failure",
        ReviewRequired = "review_required",
        PepCheckFailure = "pep_check_failure",
        MediaCheckFailure = "media_check_failure",
        WatchlistCheckFailure = "watchlist_check_failure",
        // The customer is rejected until support resets them.
        IdMrzCheckFailure = "id_mrz_check_failure",
        IdPresenceCheckFailure = "id_presence_check_failure",
        IdDigitalReplicaCheckFailure = "id_digital_replica_check_failure",
        IdPaperReplicaCheckFailure = "id_paper_replica_check_failure",
        ProhibitedPersonCheckFailure = "prohibited_person_check_failure",
        SelfieFailure = "selfie_failure",
        SelfiePoseCheckFailure = "selfie_pose_check_failure",
        SelfieQualityCheckFailure = "selfie_quality_check_failure",
        ComplianceRejection = "compliance_rejection",
        // Bank-account and other flows: not expected on a KYC verification.
        AccountNumberCheckFailure = "account_number_check_failure",
        PlaidFailure = "plaid_failure",
        PlaidItemLoginRequired = "plaid_item_login_required",
        PlaidInvalidProduct = "plaid_invalid_product",
        PlaidNoAccounts = "plaid_no_accounts",
        PlaidItemNotFound = "plaid_item_not_found",
        RequestedFailure = "requested_failure",
        DeletedAccount = "deleted_account",
    }
}

/// What a failure code means for what the customer can do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureCategory {
    /// Fixable by the customer: try again with the matching tips.
    RetryAllowed,
    /// The compliance team decides; the customer waits.
    ComplianceReview,
    /// Fraud signals or compliance: only support can reopen verification.
    Rejected,
    /// A bank-account or other non-KYC code.
    NotKyc,
    /// A code this version does not know. Never treated as retryable.
    Unrecognized,
}

/// One row of the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureInfo {
    /// What the customer can do next.
    pub category: FailureCategory,
    /// Tip groups that help, most relevant first (empty where retrying is not the answer).
    pub tips: &'static [TipGroup],
    /// What happened, in plain words. Codes that must not be disclosed in detail (fraud and
    /// AML signals) share a neutral explanation.
    pub reason: Msg,
}

impl FailureCode {
    /// The code as the customer's browser may see it. Codes whose explanation is kept
    /// neutral (AML and fraud signals: watchlist, PEP, adverse media, prohibited person,
    /// replicas, ...) become the general code with that same explanation, category and tips,
    /// so what the customer reads does not change, and the browser's developer tools do not
    /// tell them which check caught them.
    pub fn as_told_to_customer(&self) -> FailureCode {
        match self.info().reason {
            Msg::ReasonManualReview => FailureCode::ReviewRequired,
            Msg::ReasonCannotVerifyOnline => FailureCode::ComplianceRejection,
            _ => self.clone(),
        }
    }

    /// The catalog row for this code.
    pub fn info(&self) -> FailureInfo {
        use FailureCategory::*;
        use FailureCode::*;
        use TipGroup as T;
        let (category, tips, reason): (FailureCategory, &'static [TipGroup], Msg) = match self {
            IdCheckFailure => (
                RetryAllowed,
                &[T::IdPhoto, T::AcceptedIds],
                Msg::ReasonIdCheck,
            ),
            IdQualityCheckFailure => (RetryAllowed, &[T::IdPhoto, T::Device], Msg::ReasonIdQuality),
            IdExpirationCheckFailure => (
                RetryAllowed,
                // Expired, or its date unreadable: a sharper photo is the other half.
                &[T::AcceptedIds, T::IdPhoto],
                Msg::ReasonIdExpired,
            ),
            IdDoubleSideCheckFailure => (RetryAllowed, &[T::IdPhoto], Msg::ReasonIdBothSides),
            IdTypeAllowedCheckFailure => (RetryAllowed, &[T::AcceptedIds], Msg::ReasonIdType),
            IdCountryAllowedCheckFailure => (RetryAllowed, &[T::AcceptedIds], Msg::ReasonIdCountry),
            PhoneNumberCheckFailure => (RetryAllowed, &[T::ContactDetails], Msg::ReasonPhone),
            EmailAddressCheckFailure => (RetryAllowed, &[T::ContactDetails], Msg::ReasonEmail),
            DocumentTypeCheckFailure => (RetryAllowed, &[T::Documents], Msg::ReasonDocumentType),
            DocumentQualityCheckFailure => (
                RetryAllowed,
                &[T::Documents, T::IdPhoto],
                Msg::ReasonDocumentQuality,
            ),
            DocumentCheckFailure => (RetryAllowed, &[T::Documents], Msg::ReasonDocumentCheck),
            UserCanceled => (RetryAllowed, &[T::Session, T::Device], Msg::ReasonCanceled),
            DecisionTimeout => (RetryAllowed, &[T::Session], Msg::ReasonTimeout),

            DatabaseCheckFailure | NameCheckFailure | AddressCheckFailure | DobCheckFailure => {
                (ComplianceReview, &[], Msg::ReasonRecordsMatch)
            }
            IdBarcodeCheckFailure | IdNumberCheckFailure => {
                (ComplianceReview, &[], Msg::ReasonIdDetailsReview)
            }
            CountryComparisonCheckFailure => (ComplianceReview, &[], Msg::ReasonLocationReview),
            DuplicatePersonCheckFailure
            | ReviewRequired
            | PepCheckFailure
            | MediaCheckFailure
            | WatchlistCheckFailure => (ComplianceReview, &[], Msg::ReasonManualReview),

            IdMrzCheckFailure
            | IdPresenceCheckFailure
            | IdDigitalReplicaCheckFailure
            | IdPaperReplicaCheckFailure
            | ProhibitedPersonCheckFailure
            | SelfieFailure
            | SelfiePoseCheckFailure
            | SelfieQualityCheckFailure
            | ComplianceRejection => (Rejected, &[], Msg::ReasonCannotVerifyOnline),

            AccountNumberCheckFailure
            | PlaidFailure
            | PlaidItemLoginRequired
            | PlaidInvalidProduct
            | PlaidNoAccounts
            | PlaidItemNotFound
            | RequestedFailure
            | DeletedAccount => (NotKyc, &[], Msg::ReasonUnexpected),

            Unknown(_) => (Unrecognized, &[], Msg::ReasonUnrecognized),
        };
        FailureInfo {
            category,
            tips,
            reason,
        }
    }

    /// Shorthand for `info().category`.
    pub fn category(&self) -> FailureCategory {
        self.info().category
    }

    /// Whether the review screen lists this code's reason: the neutral "needs a closer look
    /// by a person" (review and AML codes) only repeats that screen's heading.
    pub fn explains_review(&self) -> bool {
        self.info().reason != Msg::ReasonManualReview
    }

    /// Whether the compliance team may ask for a statement or bill over this code: details
    /// (address, date of birth, records) that did not match official records.
    pub fn may_lead_to_documents(&self) -> bool {
        self.info().reason == Msg::ReasonRecordsMatch
    }
}

/// What a finished verification means for the customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Passed: confirm the customer became `verified`.
    Passed,
    /// With the compliance team: nothing to do but wait.
    Review {
        /// The codes, in the order the API gave them.
        reasons: Vec<FailureCode>,
    },
    /// The customer may try again; these tips address what went wrong.
    Retry {
        /// The codes, in the order the API gave them.
        reasons: Vec<FailureCode>,
        /// Tip groups that address them, most relevant first.
        tips: Vec<TipGroup>,
    },
    /// Only support can reopen verification.
    Rejected {
        /// The codes, in the order the API gave them.
        reasons: Vec<FailureCode>,
    },
    /// Codes this app cannot classify as retryable: the safe answer is support.
    ContactSupport {
        /// The codes, in the order the API gave them.
        reasons: Vec<FailureCode>,
    },
    /// Expired: not finished in time, or the ID used has expired (the state means either);
    /// a new verification with a valid ID is needed.
    Expired {
        /// The codes, which may tell which of the two it was.
        reasons: Vec<FailureCode>,
    },
}

/// The verdict on a verification, or `None` while it is not finished.
///
/// Precedence, safest first: the `reviewing` state means review; on a failure, any
/// rejection code rejects; any code this version cannot classify (unknown or non-KYC) sends
/// the customer to support; an `inconclusive` check that no standing decision has settled
/// means the compliance team has yet to decide (wait, no retry); else the customer may
/// retry, with the tips of every code ordered by relevance. Review codes on a failure that
/// is no longer `reviewing` are a review that ended without approval: whether the customer
/// may try again is the customer record's to say (`rejected`: support; `unverified`: a new
/// verification), which the flow reads before it shows this verdict. `insufficient` checks
/// and a failure without codes also mean retry.
pub fn verdict(v: &IdentityVerification) -> Option<Verdict> {
    match (&v.state, &v.outcome) {
        (VerificationState::Expired, _) => {
            return Some(Verdict::Expired {
                reasons: v.all_failure_codes(),
            })
        }
        (VerificationState::Reviewing, _) => {
            return Some(Verdict::Review {
                reasons: v.all_failure_codes(),
            })
        }
        (VerificationState::Completed, Some(Outcome::Passed)) => return Some(Verdict::Passed),
        (VerificationState::Completed, Some(Outcome::Failed)) => {}
        (VerificationState::Completed, Some(Outcome::Unknown(_))) => {
            return Some(Verdict::ContactSupport {
                reasons: v.all_failure_codes(),
            })
        }
        // Completed without an outcome yet, or still in progress: not final.
        _ => return None,
    }
    Some(failed_verdict(v))
}

fn failed_verdict(v: &IdentityVerification) -> Verdict {
    let reasons = v.all_failure_codes();
    let has = |category| reasons.iter().any(|c| c.category() == category);
    // A person has decided: a standing decision that passed or failed.
    let decided = v
        .standing_decisions()
        .any(|d| matches!(d.state, Some(DecisionState::Passed | DecisionState::Failed)));
    let inconclusive = v
        .compliance_checks
        .iter()
        .any(|c| c.outcome == Some(ComplianceOutcome::Inconclusive));
    if has(FailureCategory::Rejected) {
        Verdict::Rejected { reasons }
    } else if has(FailureCategory::Unrecognized) || has(FailureCategory::NotKyc) {
        Verdict::ContactSupport { reasons }
    } else if inconclusive && !decided {
        Verdict::Review { reasons }
    } else {
        let tips = tips_for(&reasons);
        Verdict::Retry { reasons, tips }
    }
}

/// The union of the tip groups of `codes`, most relevant first: a group scores more the
/// earlier it comes in a code's list and the more codes name it; ties keep display order.
/// Without any retryable code, the general groups.
pub fn tips_for(codes: &[FailureCode]) -> Vec<TipGroup> {
    let mut scores: Vec<(TipGroup, usize)> = Vec::new();
    for code in codes {
        let tips = code.info().tips;
        for (rank, group) in tips.iter().enumerate() {
            let weight = tips.len() - rank;
            match scores.iter_mut().find(|(g, _)| g == group) {
                Some((_, score)) => *score += weight,
                None => scores.push((*group, weight)),
            }
        }
    }
    if scores.is_empty() {
        return TipGroup::GENERAL.to_vec();
    }
    // Highest score first, ties in display order: picked one by one from a handful of
    // groups, which keeps sorting code out of the wasm.
    let mut ordered = Vec::with_capacity(scores.len());
    while let Some(best) = (0..scores.len()).min_by(|&a, &b| {
        let ((ga, sa), (gb, sb)) = (scores[a], scores[b]);
        sb.cmp(&sa).then(ga.cmp(&gb))
    }) {
        ordered.push(scores.swap_remove(best).0);
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::{parse, ComplianceCheck, ComplianceDecision};
    use FailureCategory::*;

    #[test]
    fn the_customer_is_told_the_same_without_the_signal() {
        let mut hidden = 0;
        for (name, _) in SEED_TABLE {
            let code: FailureCode = parse(&format!("\"{name}\"")).unwrap();
            let told = code.as_told_to_customer();
            assert_eq!(told.info(), code.info(), "{name}: same advice");
            if told != code {
                hidden += 1;
                assert!(
                    matches!(
                        told,
                        FailureCode::ReviewRequired | FailureCode::ComplianceRejection
                    ),
                    "{name}"
                );
            }
        }
        for signal in [
            FailureCode::WatchlistCheckFailure,
            FailureCode::PepCheckFailure,
            FailureCode::MediaCheckFailure,
            FailureCode::ProhibitedPersonCheckFailure,
        ] {
            assert_ne!(signal.as_told_to_customer(), signal, "{signal:?}");
        }
        assert!(hidden >= 4);
        assert_eq!(
            FailureCode::IdQualityCheckFailure.as_told_to_customer(),
            FailureCode::IdQualityCheckFailure,
            "a code the customer can act on is told as it is"
        );
    }

    /// The seed's classification, code by code (all 42 documented codes).
    const SEED_TABLE: [(&str, FailureCategory); 42] = [
        ("id_check_failure", RetryAllowed),
        ("id_quality_check_failure", RetryAllowed),
        ("id_expiration_check_failure", RetryAllowed),
        ("id_double_side_check_failure", RetryAllowed),
        ("id_type_allowed_check_failure", RetryAllowed),
        ("id_country_allowed_check_failure", RetryAllowed),
        ("phone_number_check_failure", RetryAllowed),
        ("email_address_check_failure", RetryAllowed),
        ("document_type_check_failure", RetryAllowed),
        ("document_quality_check_failure", RetryAllowed),
        ("document_check_failure", RetryAllowed),
        ("user_canceled", RetryAllowed),
        ("decision_timeout", RetryAllowed),
        ("database_check_failure", ComplianceReview),
        ("id_barcode_check_failure", ComplianceReview),
        ("id_number_check_failure", ComplianceReview),
        ("duplicate_person_check_failure", ComplianceReview),
        ("country_comparison_check_failure", ComplianceReview),
        ("name_check_failure", ComplianceReview),
        ("address_check_failure", ComplianceReview),
        ("dob_check_failure", ComplianceReview),
        ("review_required", ComplianceReview),
        ("pep_check_failure", ComplianceReview),
        ("media_check_failure", ComplianceReview),
        ("watchlist_check_failure", ComplianceReview),
        ("id_mrz_check_failure", Rejected),
        ("id_presence_check_failure", Rejected),
        ("id_digital_replica_check_failure", Rejected),
        ("id_paper_replica_check_failure", Rejected),
        ("prohibited_person_check_failure", Rejected),
        ("selfie_failure", Rejected),
        ("selfie_pose_check_failure", Rejected),
        ("selfie_quality_check_failure", Rejected),
        ("compliance_rejection", Rejected),
        ("account_number_check_failure", NotKyc),
        ("plaid_failure", NotKyc),
        ("plaid_item_login_required", NotKyc),
        ("plaid_invalid_product", NotKyc),
        ("plaid_no_accounts", NotKyc),
        ("plaid_item_not_found", NotKyc),
        ("requested_failure", NotKyc),
        ("deleted_account", NotKyc),
    ];

    #[test]
    fn the_kyc_guide_lists_34_codes_and_the_api_8_more() {
        let count = |category| SEED_TABLE.iter().filter(|(_, c)| *c == category).count();
        // Seed 000, "Retry eligibility by failure code": three lists.
        assert_eq!(
            (
                count(RetryAllowed),
                count(ComplianceReview),
                count(Rejected)
            ),
            (13, 12, 9)
        );
        // The API's other flows (domain reference): bank accounts, Plaid, and two more.
        assert_eq!(count(NotKyc), 8);
    }

    #[test]
    fn every_documented_code_lands_in_the_seed_category() {
        for (text, category) in SEED_TABLE {
            let code = FailureCode::parse(text);
            assert!(!matches!(code, FailureCode::Unknown(_)), "{text} is known");
            assert_eq!(code.as_str(), text);
            assert_eq!(code.category(), category, "{text}");
        }
        // ...and the enum documents exactly those codes, no more.
        assert_eq!(FailureCode::KNOWN.len(), SEED_TABLE.len());
        for code in FailureCode::KNOWN {
            assert!(
                SEED_TABLE.iter().any(|(t, _)| *t == code.as_str()),
                "{code:?}"
            );
        }
    }

    #[test]
    fn retryable_codes_have_tips_and_the_others_do_not() {
        for code in FailureCode::KNOWN {
            let info = code.info();
            assert_eq!(
                info.category == RetryAllowed,
                !info.tips.is_empty(),
                "{code:?}: tips only where retrying helps"
            );
        }
    }

    #[test]
    fn the_reference_examples_get_the_matching_tips() {
        assert_eq!(
            FailureCode::IdQualityCheckFailure.info().tips[0],
            TipGroup::IdPhoto
        );
        assert_eq!(
            FailureCode::IdDoubleSideCheckFailure.info().tips,
            &[TipGroup::IdPhoto]
        );
        assert_eq!(
            FailureCode::IdExpirationCheckFailure.info().tips,
            &[TipGroup::AcceptedIds, TipGroup::IdPhoto],
            "an unexpired ID first; the date may also have been unreadable"
        );
        assert_eq!(
            FailureCode::IdTypeAllowedCheckFailure.info().tips,
            &[TipGroup::AcceptedIds]
        );
    }

    #[test]
    fn unknown_codes_are_kept_and_never_retryable() {
        let code = FailureCode::parse("brand_new_check_failure");
        assert_eq!(code, FailureCode::Unknown("brand_new_check_failure".into()));
        assert_eq!(code.category(), Unrecognized);
        assert!(code.info().tips.is_empty());
    }

    fn failed(codes: &[&str]) -> IdentityVerification {
        let codes: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
        parse(&format!(
            r#"{{"guid":"iv_1","type":"kyc","state":"completed","outcome":"failed",
                "failure_codes":[{}]}}"#,
            codes.join(",")
        ))
        .unwrap()
    }

    fn codes(list: &[&str]) -> Vec<FailureCode> {
        list.iter().map(|c| FailureCode::parse(c)).collect()
    }

    #[test]
    fn rejection_beats_support_beats_retry() {
        let all = [
            "id_quality_check_failure",
            "brand_new_code",
            "name_check_failure",
            "selfie_failure",
        ];
        assert_eq!(
            verdict(&failed(&all)),
            Some(Verdict::Rejected {
                reasons: codes(&all)
            })
        );
        // Review codes on a failed verification (with a retry code beside them): the review
        // is over and did not approve; seed 000 leaves the next step to the customer's state,
        // and an `unverified` customer may create a new verification (the flow reads the
        // customer record before showing it: a `rejected` one goes to support).
        let reviewed = ["id_quality_check_failure", "name_check_failure"];
        assert_eq!(
            verdict(&failed(&reviewed)),
            Some(Verdict::Retry {
                reasons: codes(&reviewed),
                tips: vec![TipGroup::IdPhoto, TipGroup::Device]
            })
        );
        let mut reviewing = failed(&reviewed);
        (reviewing.state, reviewing.outcome) = (VerificationState::Reviewing, None);
        assert_eq!(
            verdict(&reviewing),
            Some(Verdict::Review {
                reasons: codes(&reviewed)
            })
        );
        let no_review = &all[..2];
        assert_eq!(
            verdict(&failed(no_review)),
            Some(Verdict::ContactSupport {
                reasons: codes(no_review)
            })
        );
        assert_eq!(
            verdict(&failed(&all[..1])),
            Some(Verdict::Retry {
                reasons: codes(&all[..1]),
                tips: vec![TipGroup::IdPhoto, TipGroup::Device]
            })
        );
    }

    #[test]
    fn non_kyc_codes_go_to_support_not_retry() {
        let v = failed(&["plaid_failure", "id_check_failure"]);
        assert!(matches!(verdict(&v), Some(Verdict::ContactSupport { .. })));
    }

    #[test]
    fn failed_without_codes_means_retry_with_general_tips() {
        let v = failed(&[]);
        assert_eq!(
            verdict(&v),
            Some(Verdict::Retry {
                reasons: vec![],
                tips: TipGroup::GENERAL.to_vec()
            })
        );
        let mut with_null = v.clone();
        with_null.failure_codes.clear();
        let parsed: IdentityVerification =
            parse(r#"{"guid":"iv_1","state":"completed","outcome":"failed","failure_codes":null}"#)
                .unwrap();
        assert_eq!(verdict(&parsed), verdict(&with_null));
    }

    #[test]
    fn compliance_checks_feed_the_verdict() {
        let mut v = failed(&[]);
        v.compliance_checks.push(ComplianceCheck {
            kind: Some("identity_document".into()),
            outcome: Some(ComplianceOutcome::Insufficient),
            failure_codes: codes(&["id_double_side_check_failure"]),
        });
        assert_eq!(
            verdict(&v),
            Some(Verdict::Retry {
                reasons: codes(&["id_double_side_check_failure"]),
                tips: vec![TipGroup::IdPhoto]
            })
        );
        v.compliance_checks.push(ComplianceCheck {
            kind: Some("database".into()),
            outcome: Some(ComplianceOutcome::Inconclusive),
            failure_codes: vec![],
        });
        // Inconclusive (seed 000): wait for the compliance team, do not prompt a retry.
        assert!(matches!(verdict(&v), Some(Verdict::Review { .. })));
    }

    fn decision(state: &str, codes_: &[&str]) -> ComplianceDecision {
        ComplianceDecision {
            kind: Some("identity_document".into()),
            state: Some(DecisionState::parse(state)),
            failure_codes: codes(codes_),
            expired_at: None,
        }
    }

    #[test]
    fn only_standing_decisions_weigh_on_the_verdict() {
        let inconclusive = || {
            let mut v = failed(&[]);
            v.compliance_checks.push(ComplianceCheck {
                kind: None,
                outcome: Some(ComplianceOutcome::Inconclusive),
                failure_codes: vec![],
            });
            v
        };
        // A decision that expired or was invalidated settles nothing: still waiting.
        for gone in ["expired", "invalidated"] {
            let mut v = inconclusive();
            v.compliance_decisions.push(decision(gone, &[]));
            assert!(
                matches!(verdict(&v), Some(Verdict::Review { .. })),
                "{gone}"
            );
        }
        // ...nor do its codes reject anyone.
        let mut v = failed(&["id_quality_check_failure"]);
        v.compliance_decisions
            .push(decision("invalidated", &["compliance_rejection"]));
        assert!(matches!(verdict(&v), Some(Verdict::Retry { .. })));
        // A standing decision is a person's answer: no longer waiting, and its codes count.
        let mut v = inconclusive();
        v.compliance_decisions.push(decision("failed", &[]));
        assert!(matches!(verdict(&v), Some(Verdict::Retry { .. })));
        let mut v = failed(&["id_quality_check_failure"]);
        v.compliance_decisions
            .push(decision("failed", &["compliance_rejection"]));
        assert!(matches!(verdict(&v), Some(Verdict::Rejected { .. })));
    }

    #[test]
    fn states_other_than_failed() {
        let mut v = failed(&[]);
        v.outcome = Some(Outcome::Passed);
        assert_eq!(verdict(&v), Some(Verdict::Passed));
        v.outcome = None;
        assert_eq!(
            verdict(&v),
            None,
            "completed without an outcome is not final yet"
        );
        v.outcome = Some(Outcome::Unknown("partial".into()));
        assert!(matches!(verdict(&v), Some(Verdict::ContactSupport { .. })));
        v.state = VerificationState::Reviewing;
        assert!(matches!(verdict(&v), Some(Verdict::Review { .. })));
        v.state = VerificationState::Expired;
        assert_eq!(verdict(&v), Some(Verdict::Expired { reasons: vec![] }));
        for state in ["storing", "waiting", "pending", "brand_new_state"] {
            v.state = VerificationState::parse(state);
            assert_eq!(verdict(&v), None, "{state}");
        }
    }

    #[test]
    fn tips_are_a_union_ordered_by_relevance() {
        // IdPhoto scores 4; AcceptedIds, Device and Session 2 each, so display order breaks the tie.
        let tips = tips_for(&codes(&[
            "id_type_allowed_check_failure",
            "id_quality_check_failure",
            "id_check_failure",
            "user_canceled",
        ]));
        assert_eq!(
            tips,
            [
                TipGroup::IdPhoto,
                TipGroup::AcceptedIds,
                TipGroup::Device,
                TipGroup::Session
            ]
        );
        // No duplicates, whatever the input.
        let tips = tips_for(&codes(&["id_check_failure", "id_check_failure"]));
        assert_eq!(tips, [TipGroup::IdPhoto, TipGroup::AcceptedIds]);
    }

    #[test]
    fn the_review_screen_lists_what_explains_and_may_mention_documents() {
        // Some review codes still say something of their own (which details, where from).
        assert!(FailureCode::KNOWN
            .iter()
            .any(|c| c.category() == ComplianceReview && c.explains_review()));
        assert!(!FailureCode::WatchlistCheckFailure.explains_review());
        assert!(!FailureCode::ReviewRequired.explains_review());
        assert!(FailureCode::AddressCheckFailure.explains_review());
        assert!(FailureCode::AddressCheckFailure.may_lead_to_documents());
        assert!(!FailureCode::WatchlistCheckFailure.may_lead_to_documents());
        assert!(!FailureCode::IdCheckFailure.may_lead_to_documents());
    }
}
