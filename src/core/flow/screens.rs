//! What the customer sees: every screen, its problem variants, its title and its address.

use super::*;

impl Screen {
    /// What a host page hears when this screen appears, if anything.
    pub fn host_event(&self) -> Option<HostEvent> {
        Some(match self {
            Screen::Verified => HostEvent::Outcome(OutcomeKind::Verified),
            Screen::Review { .. } => HostEvent::Outcome(OutcomeKind::Review),
            Screen::Retry { .. } => HostEvent::Outcome(OutcomeKind::Retry),
            Screen::Rejected { .. } | Screen::ContactSupport { .. } | Screen::Frozen => {
                HostEvent::Outcome(OutcomeKind::Rejected)
            }
            Screen::Expired(_) => HostEvent::Outcome(OutcomeKind::Expired),
            Screen::SessionEnded => HostEvent::Error(HostError::SessionEnded),
            Screen::Problem(problem) => HostEvent::Error(match problem {
                Problem::Network => HostError::Network,
                Problem::Server { .. } => HostError::Server,
                Problem::Persona(code) => HostError::Persona(code.clone()),
                Problem::PersonaUnavailable => HostError::PersonaUnavailable,
                Problem::UnknownCustomerState(_) => HostError::UnknownCustomerState,
            }),
            _ => return None,
        })
    }
}

/// Why the customer is waiting on the preparing screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PreparingStage {
    /// Looking up the customer and any verification in progress.
    Looking,
    /// Creating the verification.
    Creating,
    /// Waiting for the ID check to be set up.
    WaitingForInquiry,
    /// Getting a new session for a verification in progress.
    Reconnecting,
    /// Loading the capture flow.
    OpeningCapture,
}

/// Why a verification cannot be carried on and a new one is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExpiryCause {
    /// Its time ran out before the customer finished (Persona says the inquiry expired).
    TimeRanOut,
    /// The ID used has expired: the codes say so (`id_expiration_check_failure`).
    IdExpired,
    /// The platform says `expired` without saying which of its two meanings (seed 001):
    /// not finished in time, or the ID used has expired. Both are said.
    Unclear,
    /// The customer was verified and is `unverified` again: the ID used has expired since
    /// (seed 001, "KYC expiry changes customer state"). Their verification needs renewing.
    Renewal,
}

impl ExpiryCause {
    /// What an `expired` verification's codes tell.
    pub fn of(reasons: &[FailureCode]) -> ExpiryCause {
        if reasons.contains(&FailureCode::IdExpirationCheckFailure) {
            ExpiryCause::IdExpired
        } else {
            ExpiryCause::Unclear
        }
    }

    /// Whether an ID that has not expired is the answer (the accepted-ID tips show).
    pub fn needs_valid_id(self) -> bool {
        self != ExpiryCause::TimeRanOut
    }
}

/// What the checking screen is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckingStage {
    /// The decision on the verification.
    Decision,
    /// The account to be updated after a pass.
    Account,
}

/// A failure the customer did not cause and can try again after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The backend could not be reached, repeatedly.
    Network,
    /// The backend answered with an error we cannot work around.
    Server {
        /// The HTTP status.
        status: u16,
    },
    /// Persona reported an error.
    Persona(PersonaErrorCode),
    /// The Persona SDK did not load.
    PersonaUnavailable,
    /// The customer record is in a state this version does not know.
    UnknownCustomerState(String),
}

impl Problem {
    /// The problem's heading.
    pub fn title(&self) -> Msg {
        match self {
            Problem::Network => Msg::ProblemNetworkTitle,
            Problem::Server { .. } => Msg::ProblemServerTitle,
            Problem::Persona(_) => Msg::PersonaErrorTitle,
            Problem::PersonaUnavailable => Msg::PersonaUnavailableTitle,
            Problem::UnknownCustomerState(_) => Msg::UnknownCustomerTitle,
        }
    }

    /// What happened and what to do (with `{status}` to fill in).
    pub fn body(&self) -> Msg {
        match self {
            Problem::Network => Msg::ProblemNetworkBody,
            Problem::Server { .. } => Msg::ProblemServerBody,
            Problem::Persona(code) => match code {
                PersonaErrorCode::ApplicationError => Msg::PersonaApplicationError,
                PersonaErrorCode::InvalidConfig => Msg::PersonaInvalidConfig,
                PersonaErrorCode::Unauthenticated => Msg::PersonaUnauthenticated,
                PersonaErrorCode::InactiveTemplate => Msg::PersonaInactiveTemplate,
                PersonaErrorCode::Other(_) => Msg::PersonaOther,
            },
            Problem::PersonaUnavailable => Msg::PersonaUnavailableBody,
            Problem::UnknownCustomerState(_) => Msg::UnknownCustomerBody,
        }
    }

    /// Whether "Try again" can help, or only support can.
    pub fn retryable(&self) -> bool {
        !matches!(
            self,
            Problem::Persona(PersonaErrorCode::InvalidConfig | PersonaErrorCode::InactiveTemplate)
                | Problem::UnknownCustomerState(_)
        )
    }

    /// Whether "Try again" resumes Persona (rather than starting from the customer).
    pub fn resumes_persona(&self) -> bool {
        matches!(self, Problem::Persona(_) | Problem::PersonaUnavailable)
    }
}

/// What the customer sees. Each screen has its own component and URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Finding out where the customer stands.
    Loading,
    /// "Before you start": what is needed, tips, start button.
    Prep,
    /// "Before you start" for a business (KYB): the business's and its owners' details.
    BusinessPrep,
    /// Getting the ID check ready.
    Preparing(PreparingStage),
    /// Waited a long time for the ID check to be set up: keep waiting or come back later.
    StillPreparing,
    /// Still waiting (for the verification to be set up, or for Persona's frame) after a
    /// few seconds: what is happening, and the ways forward while the wait goes on.
    SlowWait(PreparingStage),
    /// Persona's flow is open on top of the page.
    Capture,
    /// Persona's flow continues on the customer's phone through Persona's own link.
    CaptureOnPhone,
    /// Continuing on a phone: the QR code and the phone's progress.
    Handoff {
        /// The link, once the code is made.
        link: Option<HandoffLink>,
        /// How far the phone has got.
        phone: PhoneProgress,
        /// The phone that came ("Chrome on Android"), once one has.
        device: Option<String>,
    },
    /// Left part-way: offer to continue. No "until": the platform gives no such time.
    Paused {
        /// It is compliance asking for a document (`document_submission`), not the ID and
        /// selfie left part-way: what it asks for.
        documents: Option<DocumentAsk>,
    },
    /// A document compliance asked for was sent and could not be used: why, and the way
    /// to send it again.
    DocumentRefused {
        /// What was wrong with it (may be empty).
        reasons: Vec<FailureCode>,
    },
    /// Waiting for the result.
    Checking(CheckingStage),
    /// Waited a long time for the decision: keep waiting or come back later.
    StillChecking,
    /// Done: the customer is verified.
    Verified,
    /// With the compliance team: nothing to do.
    Review {
        /// What sent it there.
        reasons: Vec<FailureCode>,
    },
    /// Did not pass, may try again.
    Retry {
        /// What went wrong.
        reasons: Vec<FailureCode>,
        /// Tips that address it, most relevant first.
        tips: Vec<TipGroup>,
        /// What the customer's camera check found, if they made one: the advice refers
        /// back to it.
        camera: Option<crate::core::rehearsal::Outcome>,
    },
    /// Cannot continue online: contact support.
    Rejected {
        /// What led there (may be empty).
        reasons: Vec<FailureCode>,
    },
    /// An unclassified result: contact support.
    ContactSupport {
        /// What came back.
        reasons: Vec<FailureCode>,
    },
    /// The account is frozen: contact support.
    Frozen,
    /// Cannot be carried on (out of time, an expired ID, a verification to renew): start a
    /// new verification.
    Expired(ExpiryCause),
    /// Signed out: sign in again.
    SessionEnded,
    /// Something failed that the customer can retry.
    Problem(Problem),
}

/// Every path a screen can have (for the router).
pub const PATHS: [&str; 14] = [
    "/",
    "/phone",
    "/start",
    "/preparing",
    "/capture",
    "/paused",
    "/checking",
    "/verified",
    "/review",
    "/try-again",
    "/support",
    "/expired",
    "/session-ended",
    "/problem",
];

/// The path an address in the browser stands for: `/index.html` is `/`, and a trailing
/// slash is dropped (`/start/` is `/start`), so the same screen is not "not found" under
/// another spelling.
pub fn canonical_path(raw: &str) -> &str {
    let path = raw.trim_end_matches('/');
    if path.is_empty() || path == "/index.html" {
        "/"
    } else {
        path
    }
}

impl Screen {
    /// The screen's heading: the `h1` the UI shows and the tests look for.
    pub fn title(&self) -> Msg {
        match self {
            Screen::Loading => Msg::LoadingTitle,
            Screen::Prep | Screen::BusinessPrep => Msg::PrepTitle,
            Screen::Preparing(_) => Msg::PreparingTitle,
            Screen::StillPreparing | Screen::SlowWait(_) => Msg::StillPreparingTitle,
            Screen::Capture => Msg::CaptureTitle,
            Screen::CaptureOnPhone => Msg::CaptureOnPhoneTitle,
            Screen::Handoff { .. } => Msg::HandoffTitle,
            Screen::Paused {
                documents: Some(_), ..
            } => Msg::DocumentsRequestedTitle,
            Screen::DocumentRefused { .. } => Msg::DocRefusedTitle,
            Screen::Paused { .. } => Msg::PausedTitle,
            Screen::Checking(_) => Msg::CheckingTitle,
            Screen::StillChecking => Msg::StillCheckingTitle,
            Screen::Verified => Msg::VerifiedTitle,
            Screen::Review { .. } => Msg::ReviewTitle,
            Screen::Retry { .. } => Msg::RetryTitle,
            Screen::Rejected { .. } => Msg::RejectedTitle,
            Screen::ContactSupport { .. } => Msg::ContactSupportTitle,
            Screen::Frozen => Msg::FrozenTitle,
            Screen::Expired(_) => Msg::ExpiredTitle,
            Screen::SessionEnded => Msg::SessionEndedTitle,
            Screen::Problem(problem) => problem.title(),
        }
    }

    /// Whether the heading takes focus when the screen appears (and a screen reader reads
    /// it from there): every screen but those under Persona's window, which has the focus.
    pub fn heading_takes_focus(&self) -> bool {
        !matches!(self, Screen::Capture | Screen::CaptureOnPhone)
    }

    /// The path of the screen's URL.
    pub fn path(&self) -> &'static str {
        match self {
            Screen::Loading => "/",
            Screen::Prep | Screen::BusinessPrep => "/start",
            Screen::Preparing(_) | Screen::StillPreparing | Screen::SlowWait(_) => "/preparing",
            Screen::Capture | Screen::CaptureOnPhone => "/capture",
            Screen::Handoff { .. } => "/phone",
            Screen::Paused { .. } => "/paused",
            Screen::Checking(_) | Screen::StillChecking => "/checking",
            Screen::Verified => "/verified",
            Screen::Review { .. } => "/review",
            Screen::Retry { .. } | Screen::DocumentRefused { .. } => "/try-again",
            Screen::Rejected { .. } | Screen::ContactSupport { .. } | Screen::Frozen => "/support",
            Screen::Expired(_) => "/expired",
            Screen::SessionEnded => "/session-ended",
            Screen::Problem(_) => "/problem",
        }
    }
}
