//! Business customers (KYB): what the person verifying a business needs at hand, and the
//! words a business reads in place of those written for a person.
//!
//! A customer whose record says `type: business` is verified by its registration
//! (`business_registration`, in the same Persona embedded flow; the server picks the method
//! from the customer record, [`VerificationMethod::for_customer`]). A business's
//! verifications go through the same states and carry the same failure codes as a person's
//! (seed 001, "For Businesses (KYB)"), so the flow and the verdicts are the same; the prep
//! screen and some words differ. Every text here is in the `later` group: the business
//! screens live in the second wasm module.
//!
//! [`VerificationMethod::for_customer`]: super::api::VerificationMethod::for_customer

use super::text::Msg;

/// "About the business": its names, EIN, address, phone, website and registration papers.
pub const BUSINESS_NEEDS: [Msg; 4] = [
    Msg::BizNeedName,
    Msg::BizNeedEin,
    Msg::BizNeedContact,
    Msg::BizNeedPapers,
];

/// "About its owners": who they are, and that each verifies their own identity (KYC).
pub const OWNER_NEEDS: [Msg; 2] = [Msg::BizNeedOwners, Msg::BizOwnersKyc];

/// The timing tips for a business, for the customer's device: the person's "about three
/// minutes" does not hold for a business, the rest does (on a phone, without carrying on by
/// QR code).
pub fn timing_tips(on_phone: bool) -> impl Iterator<Item = Msg> {
    [
        Msg::BizTimingOneGo,
        Msg::TipSessionExpiry,
        Msg::TipSessionHandoff,
        Msg::TipSessionResume,
    ]
    .into_iter()
    .filter(move |tip| !(on_phone && *tip == Msg::TipSessionHandoff))
}

/// The text a business reads in place of `msg`: a failure reason or a line written for a
/// person (an ID and a selfie, "your identity"), in words for a business; any other text as
/// it is.
pub fn for_business(msg: Msg) -> Msg {
    match msg {
        // Seed 001, KYB: the database check validates the name, EIN and address.
        Msg::ReasonRecordsMatch => Msg::BizReasonRecords,
        // The AML screening of the business (watchlist, adverse media), told neutrally.
        Msg::ReasonManualReview => Msg::BizReasonManualReview,
        Msg::ReasonCannotVerifyOnline => Msg::BizReasonCannotVerifyOnline,
        Msg::StageOpening => Msg::BizStageOpening,
        Msg::CaptureBody => Msg::BizCaptureBody,
        Msg::CheckingDecision => Msg::BizCheckingDecision,
        Msg::VerifiedBody => Msg::BizVerifiedBody,
        Msg::ReviewDocuments => Msg::BizReviewDocuments,
        Msg::RejectedTitle => Msg::BizRejectedTitle,
        Msg::ContactSupportBody => Msg::BizContactSupportBody,
        Msg::RetryAfterReview => Msg::BizRetryAfterReview,
        Msg::PrepPrivacy => Msg::BizPrivacy,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::{parse, CustomerType, VerificationMethod};
    use crate::core::failure::{FailureCategory, FailureCode};

    /// The codes seed 001 lists for KYB: the AML report failures and the tax
    /// identification (EIN) failure.
    const KYB_CODES: [&str; 3] = [
        "media_check_failure",
        "watchlist_check_failure",
        "database_check_failure",
    ];

    fn english(msgs: &[Msg]) -> String {
        msgs.iter()
            .map(|m| m.en())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }

    #[test]
    fn a_business_is_verified_by_its_registration_and_anyone_else_by_id_and_selfie() {
        // The incumbent's component: `type: kyc, method: business_registration` for a
        // business customer.
        let business: CustomerType = parse("\"business\"").unwrap();
        assert_eq!(
            VerificationMethod::for_customer(Some(&business)).as_str(),
            "business_registration"
        );
        for other in ["\"individual\"", "\"sole_trader\""] {
            let kind: CustomerType = parse(other).unwrap();
            assert_eq!(
                VerificationMethod::for_customer(Some(&kind)).as_str(),
                "id_and_selfie"
            );
        }
        assert_eq!(
            VerificationMethod::for_customer(None).as_str(),
            "id_and_selfie"
        );
    }

    #[test]
    fn the_prep_lists_what_the_kyb_guide_collects() {
        // Seed 001, "Information Collected": name and DBA, EIN, address, phone number,
        // website; the beneficial owners with 25% or more, each through standard KYC (a
        // government photo ID and a selfie). The issue adds the registration papers.
        let needs = english(&BUSINESS_NEEDS);
        for words in [
            "legal name",
            "dba",
            "doing business as",
            "ein",
            "address",
            "phone number",
            "website",
            "registered",
        ] {
            assert!(needs.contains(words), "{words}: {needs}");
        }
        let owners = english(&OWNER_NEEDS);
        for words in ["25%", "owns", "each", "photo id", "selfie"] {
            assert!(owners.contains(words), "{words}: {owners}");
        }
    }

    #[test]
    fn kyb_failure_codes_are_explained_for_the_business() {
        for name in KYB_CODES {
            let code: FailureCode = parse(&format!("\"{name}\"")).unwrap();
            // Seed 000/001: these send the verification to the compliance team.
            assert_eq!(code.category(), FailureCategory::ComplianceReview, "{name}");
            // What the customer's browser is told, in the business's words.
            let person = code.as_told_to_customer().info().reason;
            let business = for_business(person);
            assert_ne!(business, person, "{name}");
            let text = business.en().to_lowercase();
            assert!(text.contains("business"), "{name}: {text}");
            for personal in ["your identity", "your id", "selfie", "date of birth"] {
                assert!(!text.contains(personal), "{name}: {text}");
            }
        }
        // Seed 001: the database verification of a business validates name, EIN, address.
        let records = for_business(FailureCode::DatabaseCheckFailure.info().reason)
            .en()
            .to_lowercase();
        for words in ["name", "ein", "address"] {
            assert!(records.contains(words), "{records}");
        }
    }

    #[test]
    fn a_business_reads_about_the_business_where_a_person_reads_about_themselves() {
        for msg in Msg::ALL.iter().copied() {
            let business = for_business(msg);
            if business != msg {
                assert!(business.key().starts_with("Biz"), "{msg:?}");
                assert!(
                    business.en().to_lowercase().contains("business")
                        || business == Msg::BizPrivacy,
                    "{business:?}"
                );
            }
        }
        assert_eq!(for_business(Msg::TryAgain), Msg::TryAgain);
    }

    #[test]
    fn business_texts_travel_in_the_second_module() {
        for msg in Msg::ALL.iter().filter(|m| m.key().starts_with("Biz")) {
            assert_eq!(msg.first_en(), None, "{msg:?}");
        }
    }

    #[test]
    fn a_phone_is_not_told_to_carry_on_by_qr_code() {
        assert!(timing_tips(false).any(|t| t == Msg::TipSessionHandoff));
        assert!(!timing_tips(true).any(|t| t == Msg::TipSessionHandoff));
        assert!(!timing_tips(false).any(|t| t == Msg::TipSessionOneGo));
    }
}
