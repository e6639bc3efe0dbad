//! The verification flow as a state machine: `step(state, now, event) -> (state, effects)`.
//!
//! It decides everything: which request to make, when to poll again, when to open Persona,
//! what the customer sees. The shell only performs the [`Effect`]s and reports back with
//! [`Event`]s, passing the current time in, so the whole flow is testable without a browser,
//! a network or a clock.
//!
//! Invariants the tests hold it to:
//! - at most one request is outstanding, and only the answer carrying its id is taken (each
//!   request is numbered; an answer to one given up on is dropped, never guessed at);
//! - a verification is never created while the customer has one in flight: a create is always
//!   preceded by a list of the customer's verifications, and a failed create is never re-sent
//!   without listing again first;
//! - a Persona session token is used once: every resume asks for a new one.

use super::api::{
    Customer, CustomerState, CustomerType, IdentityVerification, PersonaSession, PersonaState,
    PostIdentityVerification, PostPersonaSession, VerificationMethod, VerificationState,
};
use super::document_request::DocumentAsk;
use super::failure::{verdict, FailureCode, Verdict};
use super::polling::{PollPolicy, RetryPolicy};
use super::text::{Lang, Msg};
use super::time::{parse_rfc3339, Millis, HOUR, MINUTE};
use super::tips::TipGroup;

mod answers;
mod browser_link;
mod failures;
mod handle;
mod handoff;
mod rules;
mod screens;
mod user;
mod vocabulary;

pub use browser_link::{BrowserLink, LinkForBrowser};
pub use handoff::*;
pub use rules::*;
pub use screens::*;
pub use vocabulary::*;

/// How long the app gives the platform to catch up (a verification still `storing`, a
/// customer record behind a recent pass): Persona's default inquiry life. Never used to
/// declare a verification expired: that is the platform's state, and the answer to a new
/// session token, to say.
pub const INQUIRY_LIFETIME: Millis = 24 * HOUR;
/// How long after a rejection Cybrid may still show the customer as `unverified`. A reload
/// within it confirms the rejection against the customer record (it is the customer's own
/// fresh result); later, an unverified customer means support has reset them.
pub const REJECTION_SETTLES: Millis = 10 * MINUTE;
/// How far the device's clock may be from the server's before the flow goes by the
/// server's.
pub const CLOCK_TOLERANCE: Millis = MINUTE;
/// After this many failed creates in a row, stop and tell the customer.
const MAX_CREATE_ATTEMPTS: u32 = 3;
/// How long Persona may take to show its first screen once launched. Past it (its frame
/// blocked, the connection lost) the customer gets a clear problem with "Try again", not an
/// endless spinner.
pub const PERSONA_READY_LIMIT_MS: u32 = 45_000;
/// After this long waiting on something the customer cannot speed up (Persona's frame, a
/// verification being set up), the screen says what is happening and offers the ways
/// forward (try again, another device, come back later) while the wait goes on.
pub const SLOW_WAIT_MS: u32 = 8_000;
/// The warning comes two minutes before the session's idle end (WCAG 2.2.1 asks for at
/// least 20 seconds), or halfway through a shorter idle time.
pub const IDLE_WARNING_BEFORE: Millis = 2 * MINUTE;

/// How long after the latest request the page warns that the session is about to end.
fn warn_after(idle: Millis) -> Millis {
    idle - IDLE_WARNING_BEFORE.min(idle / 2)
}

/// Where the flow stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    Loading,
    Prep,
    Listing(ListPurpose),
    Creating,
    WaitingForInquiry {
        since: Millis,
        /// Waited [`SLOW_WAIT_MS`]: the ways forward are offered.
        slow: bool,
    },
    StillPreparing,
    RequestingSession,
    Capture {
        ready: bool,
        on_phone: bool,
        /// Not ready after [`SLOW_WAIT_MS`]: the ways forward are offered.
        slow: bool,
    },
    Handoff {
        link: Option<HandoffLink>,
        phone: PhoneProgress,
    },
    Paused,
    Checking {
        since: Millis,
    },
    /// Looking at the followed verification again before resuming it; `problem` is shown if
    /// it turns out to be still resumable (a resume that cannot work is not retried blindly).
    Rechecking {
        problem: Option<Problem>,
    },
    /// Waiting for the customer record: created (`storing`), or after a verdict.
    Confirming {
        since: Millis,
        verdict: Option<Verdict>,
    },
    StillChecking,
    /// Under review; polls the verification while `reviewing`, else the customer.
    Review {
        reasons: Vec<FailureCode>,
    },
    Outcome(Screen),
    SessionEnded,
    Problem(Problem),
}

/// The whole state of the flow: where the customer is (`phase`) and the verification
/// followed, then one part for each concern the machine keeps track of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// The page's language, for Persona's window.
    language: Lang,
    /// Where the customer is.
    phase: Phase,
    /// The verification guid kept from an earlier visit.
    remembered: Option<String>,
    /// The verification followed, as last read.
    tracked: Option<Tracked>,
    /// Who the customer is, from the session and their record.
    customer: CustomerFacts,
    /// The request out, the timer set, and how they went.
    requests: Requests,
    /// The device is online (requests wait for the network otherwise).
    online: bool,
    /// The session's idle timeout and the server's clock.
    session: SessionWatch,
    /// Making a verification the customer asked for.
    creating: Creating,
    /// Persona's window.
    persona: PersonaWindow,
    /// Following the customer's phone.
    handoff: Following,
    /// What the customer's latest camera check found, if they made one on this page.
    camera_check: Option<crate::core::rehearsal::Outcome>,
    /// What the document request on offer asks for.
    asked: DocumentAsk,
    /// The link for the customer's own browser (in an in-app browser).
    link: LinkForBrowser,
}

/// Who the customer is, from the session and their record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct CustomerFacts {
    /// Their guid, once the session said.
    guid: Option<String>,
    /// The customer record said `verified` when last read (a document may still be asked).
    verified: bool,
    /// The customer record says `type: business` (KYB: its own prep and words).
    business: bool,
}

/// The one request out and the one timer set (quinn-proto style: each numbered, and an
/// answer or a timer taken only under the number awaited).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Requests {
    /// The one request awaiting an answer: only an answer carrying its id is taken.
    in_flight: Option<(RequestId, RequestKind)>,
    /// The one timer that matters, and the request it will send.
    timer: Option<(TimerId, RequestKind)>,
    /// The last number handed to a request timer.
    next_timer: u32,
    /// The last number handed to a request: each gets the next, never reused.
    last_id: u32,
    /// Polls made in the current wait (for the backoff).
    poll_attempt: u32,
    /// Consecutive passing failures of the current request.
    failures: u32,
}

/// The session's idle timeout and the server's clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct SessionWatch {
    /// How long the session lasts without a request, once the server said.
    idle: Option<Millis>,
    /// When the latest request went: each renews the session's idle timeout.
    last_request: Millis,
    /// A request went during the step under way.
    requested: bool,
    /// The session will end soon for want of a request: the page warns ("Stay here").
    ending: bool,
    /// The server's clock less the device's, when they differ by more than
    /// [`CLOCK_TOLERANCE`]; added to the time of every event.
    clock_offset: Millis,
}

/// Making a verification the customer asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Creating {
    /// The customer asked to start and no verification has been taken up since.
    starting: bool,
    /// Creates tried for this start.
    attempts: u32,
    /// A create was just refused (422) and the customer record is being read to see why.
    refused: bool,
    /// The create under way asks for a document again (one sent could not be used), not
    /// for an identity check.
    document: bool,
}

/// Persona's window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct PersonaWindow {
    /// The timer watching for Persona's `ready` after the latest launch.
    ready_timer: Option<TimerId>,
    /// Launches so far (the latest one's number is its ready timer's).
    launches: u32,
    /// Refused session tokens in a row (one automatic retry).
    token_refusals: u32,
}

/// Following the customer's phone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Following {
    /// This device hands the verification to the customer's phone and follows it.
    following: bool,
    /// The screen the customer handed off from (a retry with its tips, a saved
    /// verification, a problem), to go back to when they take it back here before the
    /// phone came.
    from: Option<Phase>,
    /// When the phone opened the code being followed.
    phone_since: Option<Millis>,
    /// Which phone that is.
    phone_device: Option<String>,
    /// When the shown code is due to be replaced ([`HANDOFF_REFRESH_BEFORE`]).
    refresh_due: Option<Millis>,
}

impl Flow {
    /// A flow for a page in `language`. Made in two places (the page's start, a restart):
    /// kept out of line, once (size).
    #[inline(never)]
    pub fn new(language: Lang) -> Flow {
        Flow {
            language,
            phase: Phase::Loading,
            remembered: None,
            tracked: None,
            customer: CustomerFacts::default(),
            requests: Requests::default(),
            online: true,
            session: SessionWatch::default(),
            creating: Creating::default(),
            persona: PersonaWindow::default(),
            handoff: Following::default(),
            camera_check: None,
            asked: DocumentAsk::Either,
            link: LinkForBrowser::default(),
        }
    }

    /// The number of the launch waiting for Persona to open, if one is: the shell opens
    /// Persona only while it is still this one.
    pub fn launch_pending(&self) -> Option<u32> {
        matches!(self.phase, Phase::Capture { ready: false, .. }).then_some(self.persona.launches)
    }

    /// What the customer sees now.
    pub fn screen(&self) -> Screen {
        match &self.phase {
            Phase::Loading => Screen::Loading,
            Phase::Prep if self.customer.business => Screen::BusinessPrep,
            Phase::Prep => Screen::Prep,
            Phase::Listing(ListPurpose::Load | ListPurpose::Verified) => Screen::Loading,
            Phase::Listing(ListPurpose::Start) => Screen::Preparing(PreparingStage::Looking),
            Phase::Creating => Screen::Preparing(PreparingStage::Creating),
            Phase::WaitingForInquiry { slow: true, .. } => {
                Screen::SlowWait(PreparingStage::WaitingForInquiry)
            }
            Phase::WaitingForInquiry { .. } => Screen::Preparing(PreparingStage::WaitingForInquiry),
            Phase::StillPreparing => Screen::StillPreparing,
            Phase::RequestingSession => Screen::Preparing(PreparingStage::Reconnecting),
            Phase::Capture {
                ready: false,
                slow: true,
                ..
            } => Screen::SlowWait(PreparingStage::OpeningCapture),
            Phase::Capture { ready: false, .. } => {
                Screen::Preparing(PreparingStage::OpeningCapture)
            }
            Phase::Capture {
                on_phone: false, ..
            } => Screen::Capture,
            Phase::Capture { .. } => Screen::CaptureOnPhone,
            Phase::Handoff { link, phone } => Screen::Handoff {
                link: link.clone(),
                phone: *phone,
                device: self.handoff.phone_device.clone(),
            },
            Phase::Paused => Screen::Paused {
                documents: self
                    .tracked
                    .as_ref()
                    .is_some_and(|t| t.documents)
                    .then_some(self.asked),
            },
            Phase::Checking { .. } => Screen::Checking(CheckingStage::Decision),
            Phase::Rechecking { .. } => Screen::Preparing(PreparingStage::Reconnecting),
            Phase::Confirming { verdict: None, .. } => Screen::Loading,
            Phase::Confirming {
                verdict: Some(Verdict::Passed),
                ..
            } => Screen::Checking(CheckingStage::Account),
            Phase::Confirming {
                verdict: Some(_), ..
            } => Screen::Checking(CheckingStage::Decision),
            Phase::StillChecking => Screen::StillChecking,
            Phase::Review { reasons } => Screen::Review {
                reasons: reasons.clone(),
            },
            Phase::Outcome(screen) => screen.clone(),
            Phase::SessionEnded => Screen::SessionEnded,
            Phase::Problem(problem) => Screen::Problem(problem.clone()),
        }
    }

    /// Whether the customer is a business (its screens speak of the business).
    pub fn business(&self) -> bool {
        self.customer.business
    }

    /// False while the browser says it is offline.
    pub fn online(&self) -> bool {
        self.online
    }

    /// Whether the session is about to end for want of a request: the page warns, with a
    /// way to stay (WCAG 2.2.1).
    pub fn session_ending(&self) -> bool {
        self.session.ending
    }

    /// Whether a request failed for a passing reason (a 5xx, a 429, a dropped connection)
    /// and is about to go again: the page says so, so a wait is never silent.
    pub fn retrying(&self) -> bool {
        self.requests.failures > 0
    }

    /// The guid of the verification being followed, if any.
    pub fn verification_guid(&self) -> Option<&str> {
        self.tracked.as_ref().map(|t| t.guid.as_str())
    }

    /// The request awaiting an answer, if any.
    pub fn in_flight(&self) -> Option<RequestKind> {
        self.requests.in_flight.map(|(_, kind)| kind)
    }
}

/// Advances the flow by one event. Emits `Show` whenever the screen changes.
pub fn step(mut flow: Flow, now: Millis, event: Event) -> (Flow, Vec<Effect>) {
    let before = flow.screen();
    let mut fx = Vec::new();
    // On the server's clock, which the verifications' dates are on.
    let now = now + flow.session.clock_offset;
    flow.handle(now, event, &mut fx);
    // Each request renews the session's idle timeout: the warning goes, and its timer
    // starts again.
    if std::mem::take(&mut flow.session.requested) {
        flow.session.last_request = now;
        flow.session.ending = false;
        if let Some(idle) = flow.session.idle {
            fx.push(Effect::StartTimer {
                id: TimerId::IdleWarning,
                ms: u32::try_from(warn_after(idle)).unwrap_or(u32::MAX),
            });
        }
    }
    let after = flow.screen();
    // Leaving the screen of a code no phone has used (for another screen, not a new code):
    // it ends, not left for anyone who saw it.
    if matches!(
        before,
        Screen::Handoff {
            phone: PhoneProgress::WaitingForPhone,
            ..
        }
    ) && !matches!(after, Screen::Handoff { .. } | Screen::SessionEnded)
    {
        flow.send_unawaited(Request::CancelHandoff, &mut fx);
    }
    if after != before {
        // An outcome or an error is told to the host once, when it first shows.
        if std::mem::discriminant(&after) != std::mem::discriminant(&before) {
            if let Some(event) = after.host_event() {
                fx.push(Effect::Notify(event));
            }
        }
        fx.push(Effect::Show(after));
    }
    (flow, fx)
}

#[cfg(test)]
mod tests;
