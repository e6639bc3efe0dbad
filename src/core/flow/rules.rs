//! Shared rules about a customer's verifications: which one is tracked, which can be carried
//! on, which rules out creating another (the server applies the same rule).

use super::*;
use crate::core::api::Outcome;
use crate::core::failure::FailureCategory;

/// Why verifications are being listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ListPurpose {
    /// The page loaded: find out where the customer stands.
    Load,
    /// The customer pressed start: reuse one in flight, or create.
    Start,
    /// The customer is verified: is a document request open (seed 003), or one to send
    /// again?
    Verified,
}

/// The verification being followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Tracked {
    pub(super) guid: String,
    pub(super) inquiry_id: Option<String>,
    pub(super) created_ms: Option<Millis>,
    pub(super) state: VerificationState,
    pub(super) persona_state: Option<PersonaState>,
    /// Compliance asking for a document, not an ID and selfie.
    pub(super) documents: bool,
}

impl Tracked {
    pub(super) fn from(v: &IdentityVerification) -> Self {
        Tracked {
            documents: v.method == Some(VerificationMethod::DocumentSubmission),
            guid: v.guid.clone(),
            inquiry_id: v.persona_inquiry_id.clone(),
            created_ms: v.created_at.as_deref().and_then(parse_rfc3339),
            state: v.state.clone(),
            persona_state: v.persona_state.clone(),
        }
    }

    /// Waiting or pending, with an inquiry, and Persona not saying it is over. No clock of
    /// the app's own decides that its time is up (an inquiry's life is Persona's setting):
    /// the platform's state does, and a refused session token is looked into.
    pub(super) fn resumable(&self) -> bool {
        matches!(
            self.state,
            VerificationState::Waiting | VerificationState::Pending
        ) && self.inquiry_id.is_some()
            && !self.submitted()
            && !matches!(self.persona_state, Some(PersonaState::Expired))
    }

    /// The customer has started the inquiry: there is work of theirs to keep.
    pub(super) fn started(&self) -> bool {
        self.needs_session_token()
    }

    /// A document request that was sent or can no longer be opened: whatever it comes to is
    /// not the customer's outcome (the review it was asked for decides that).
    pub(super) fn documents_done(&self) -> bool {
        self.documents && self.state != VerificationState::Storing && !self.resumable()
    }

    /// The customer finished in Persona and the decision is not in yet: Persona is
    /// processing or done while the verification still says waiting or pending.
    pub(super) fn submitted(&self) -> bool {
        matches!(
            self.state,
            VerificationState::Waiting | VerificationState::Pending
        ) && matches!(
            self.persona_state,
            Some(PersonaState::Processing | PersonaState::Completed | PersonaState::Reviewing)
        )
    }

    /// Out of the customer's hands with no verdict yet: completed before its outcome is set,
    /// or a state this version does not know. Followed as a decision in progress, never
    /// taken for an expiry (which would start a second verification beside it).
    pub(super) fn deciding(&self) -> bool {
        matches!(
            self.state,
            VerificationState::Completed | VerificationState::Unknown(_)
        )
    }

    /// Persona needs a session token once the customer has started the inquiry.
    pub(super) fn needs_session_token(&self) -> bool {
        matches!(self.state, VerificationState::Pending)
            || matches!(self.persona_state, Some(PersonaState::Pending))
    }
}

/// A document request from compliance (`document_submission`) the customer can open now.
pub(super) fn open_document_request(v: &IdentityVerification) -> bool {
    let tracked = Tracked::from(v);
    v.is_kyc() && tracked.documents && tracked.resumable()
}

/// An identity check (ID and selfie, or a business's registration), not a document request:
/// the only kind a customer's "start" or "try again" makes or carries on.
pub(super) fn is_id_check(v: &IdentityVerification) -> bool {
    v.is_kyc() && v.method != Some(VerificationMethod::DocumentSubmission)
}

/// Sorts a list of verifications newest first by creation date, whatever order it came in
/// (the API's documents do not promise one): undated ones last, equal dates in the order
/// they came. The server sorts every list it gives the browser so; the flow relies on it
/// (the first match is the newest) and carries no sorting code.
pub fn newest_first(list: &mut [IdentityVerification]) {
    list.sort_by_key(|v| std::cmp::Reverse(v.created_at.as_deref().and_then(parse_rfc3339)));
}

/// The verification the customer is doing now, by the rule the app shows it: for a customer
/// who is not `verified`, the newest identity check that can be carried on; else a document
/// request compliance has open (for a customer not verified, one the newest identity check
/// has not made moot). The server binds a handoff to the same one, so the phone carries on
/// what the desktop showed.
///
/// `list` is newest first, as the server gives it ([`newest_first`]): the first match is the
/// newest.
pub fn in_hand(
    list: &[IdentityVerification],
    now: Millis,
    customer_verified: bool,
) -> Option<&IdentityVerification> {
    let newest = list.iter().find(|v| is_id_check(v));
    list.iter()
        .find(|v| !customer_verified && can_carry_on(v, now))
        .or_else(|| {
            list.iter()
                .filter(|v| open_document_request(v))
                .find(|v| customer_verified || !newest.is_some_and(|id| moots(id, v)))
        })
}

/// The customer's newest document request, if it was sent and could not be used (failed
/// with codes that let the customer send again, or none), and still matters: the customer is
/// `verified` (seed 003), or the newest identity check has not made it moot. The customer is
/// told, and may send one again; the server's create guard allows a new document request
/// for this one case alone. `list` is newest first ([`newest_first`]).
pub fn refused_document(
    list: &[IdentityVerification],
    customer_verified: bool,
) -> Option<&IdentityVerification> {
    let request = list.iter().find(|v| v.is_kyc() && !is_id_check(v))?;
    // Failed with codes the customer can fix (none told counts: "could not be read").
    let fixable = request.state == VerificationState::Completed
        && request.outcome == Some(Outcome::Failed)
        && request
            .failure_codes
            .iter()
            .all(|c| c.category() == FailureCategory::RetryAllowed);
    let moot = || {
        !customer_verified
            && list
                .iter()
                .find(|v| is_id_check(v))
                .is_some_and(|id| moots(id, request))
    };
    (fixable && !moot()).then_some(request)
}

/// When a verification last changed: its update, else its creation.
pub(super) fn last_change(v: &IdentityVerification) -> Option<Millis> {
    v.updated_at
        .as_deref()
        .or(v.created_at.as_deref())
        .and_then(parse_rfc3339)
}

/// Whether the ID verification `id` has made a document `request` moot, for a customer not
/// verified: a pass always; any other outcome beyond "under review" when the request came
/// before it (one that came after, such as a bill support asked for once the records did not
/// match, still stands). A verified customer's request always stands (seed 003).
pub(super) fn moots(id: &IdentityVerification, request: &IdentityVerification) -> bool {
    match verdict(id) {
        None | Some(Verdict::Review { .. }) => false,
        Some(Verdict::Passed) => true,
        Some(_) => match (Tracked::from(request).created_ms, last_change(id)) {
            (Some(asked), Some(decided)) => asked <= decided,
            _ => true,
        },
    }
}

/// Whether a pass was decided within an inquiry's life: the customer record may still be
/// catching up with it. An older one while the customer is unverified means a new
/// verification is needed (the ID used has since expired).
pub(super) fn recently_passed(v: &IdentityVerification, now: Millis) -> bool {
    last_change(v).is_some_and(|at| now < at + INQUIRY_LIFETIME)
}

/// Whether a verification is still in flight and can be carried on instead of creating a
/// new one: being created (for less than an inquiry's life: one stuck in `storing` longer
/// could never be finished), or waiting / pending and resumable by the platform's word. The rule that keeps a customer from ever having two in flight.
pub fn can_carry_on(v: &IdentityVerification, now: Millis) -> bool {
    let tracked = Tracked::from(v);
    is_id_check(v)
        && ((v.state == VerificationState::Storing
            && tracked
                .created_ms
                .is_none_or(|created| now < created + INQUIRY_LIFETIME))
            || (v.is_in_flight() && (tracked.resumable() || tracked.submitted())))
}

/// Whether a verification rules out creating another for its customer now: one that can be
/// carried on, one waiting for its inquiry, one out of the customer's hands with no verdict
/// yet (under review; or, within an inquiry's life, completed before its outcome is set or
/// in a state this version does not know), or one whose verdict the customer record has not
/// caught up with (a pass within an inquiry's life; a rejection or a "contact support" in its
/// first [`REJECTION_SETTLES`]): the app shows those, never "start" beside them. The
/// server's create guard: a new one beside it would be a duplicate.
pub fn rules_out_another(v: &IdentityVerification, now: Millis) -> bool {
    let recent = || {
        Tracked::from(v)
            .created_ms
            .is_none_or(|created| now < created + INQUIRY_LIFETIME)
    };
    can_carry_on(v, now)
        || (is_id_check(v)
            && match &v.state {
                // Waiting or pending without its inquiry yet: it is on its way.
                VerificationState::Waiting | VerificationState::Pending => {
                    v.persona_inquiry_id.is_none() && recent()
                }
                VerificationState::Reviewing => true,
                VerificationState::Completed => match verdict(v) {
                    None => recent(),
                    // An inconclusive check the compliance team has yet to decide on.
                    Some(Verdict::Review { .. }) => true,
                    Some(Verdict::Passed) => recently_passed(v, now),
                    Some(Verdict::Rejected { .. } | Verdict::ContactSupport { .. }) => {
                        last_change(v).is_some_and(|at| now < at + REJECTION_SETTLES)
                    }
                    _ => false,
                },
                VerificationState::Unknown(_) => recent(),
                _ => false,
            })
}
