//! Document requests (`document_submission`): what compliance is asking the customer for, as
//! far as the platform's data lets the app tell, and the words that ask for it.
//!
//! Compliance asks for a document by creating a `document_submission` verification for the
//! customer; the customer sends it in the same Persona embedded flow. The request itself does
//! not say which document it wants, so the app reads it from the case (seed 001, "Document
//! requests"; seed 003, "bank account identity verification"):
//! - the date of birth could not be confirmed: a bank statement from the last 90 days;
//! - the address could not be confirmed: a utility or telephone bill (or, when no bill can be
//!   supplied, the bank statement);
//! - a customer who is already verified is asked for a document for something else, such as
//!   a bank account they added: a bank statement from the last 90 days with their full name
//!   and current address;
//! - anything else (both issues, or codes that say neither): either kind, told plainly.

use super::failure::FailureCode;
use super::text::Msg;

/// What a document request most likely asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentAsk {
    /// A bank statement from the last 90 days.
    BankStatement,
    /// Proof of address: a recent utility or phone bill, else a bank statement.
    ProofOfAddress,
    /// A verified customer's request (a bank account, seed 003): a bank statement.
    ForVerifiedCustomer,
    /// Cannot tell: a recent bank statement, or a utility or phone bill.
    Either,
}

impl DocumentAsk {
    /// What a request asks for, from whether the customer is already verified and the codes
    /// of the verification under review when it was asked (empty if none).
    pub fn of(customer_verified: bool, review_codes: &[FailureCode]) -> DocumentAsk {
        if customer_verified {
            return DocumentAsk::ForVerifiedCustomer;
        }
        let dob = review_codes.contains(&FailureCode::DobCheckFailure);
        let address = review_codes.contains(&FailureCode::AddressCheckFailure);
        match (dob, address) {
            (true, false) => DocumentAsk::BankStatement,
            (false, true) => DocumentAsk::ProofOfAddress,
            _ => DocumentAsk::Either,
        }
    }

    /// The screen's explanation of what is asked and why.
    pub fn body(self) -> Msg {
        match self {
            DocumentAsk::BankStatement => Msg::DocAskBankStatement,
            DocumentAsk::ProofOfAddress => Msg::DocAskProofOfAddress,
            DocumentAsk::ForVerifiedCustomer => Msg::DocAskVerified,
            DocumentAsk::Either => Msg::DocumentsRequestedBody,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_case_tells_which_document_the_documents_name() {
        use FailureCode::*;
        // Seed 001: date of birth -> bank statement; address -> utility or phone bill.
        assert_eq!(
            DocumentAsk::of(false, &[DobCheckFailure]),
            DocumentAsk::BankStatement
        );
        assert_eq!(
            DocumentAsk::of(false, &[AddressCheckFailure, NameCheckFailure]),
            DocumentAsk::ProofOfAddress
        );
        assert_eq!(
            DocumentAsk::of(false, &[AddressCheckFailure, DobCheckFailure]),
            DocumentAsk::Either
        );
        assert_eq!(DocumentAsk::of(false, &[]), DocumentAsk::Either);
        // Seed 003: a verified customer's request is a bank statement, whatever old codes.
        assert_eq!(
            DocumentAsk::of(true, &[AddressCheckFailure]),
            DocumentAsk::ForVerifiedCustomer
        );
    }

    #[test]
    fn each_ask_has_its_own_words() {
        let asks = [
            DocumentAsk::BankStatement,
            DocumentAsk::ProofOfAddress,
            DocumentAsk::ForVerifiedCustomer,
            DocumentAsk::Either,
        ];
        let bodies: std::collections::HashSet<Msg> = asks.iter().map(|a| a.body()).collect();
        assert_eq!(bodies.len(), asks.len());
        // The words come from the documents: 90 days for a statement, a bill for an address.
        assert!(DocumentAsk::BankStatement.body().en().contains("90 days"));
        assert!(DocumentAsk::ForVerifiedCustomer
            .body()
            .en()
            .contains("90 days"));
        let address = DocumentAsk::ProofOfAddress.body().en();
        assert!(address.contains("utility") && address.contains("phone bill"));
    }
}
