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
            Screen::Expired => HostEvent::Outcome(OutcomeKind::Expired),
            Screen::SessionEnded => HostEvent::Error {
                code: "session_ended".to_owned(),
            },
            Screen::Problem(problem) => HostEvent::Error {
                code: match problem {
                    Problem::Network => "network".to_owned(),
                    Problem::Server { .. } => "server".to_owned(),
                    Problem::Persona(code) => format!(
                        "persona_{}",
                        match code {
                            PersonaErrorCode::ApplicationError => "application_error",
                            PersonaErrorCode::InvalidConfig => "invalid_config",
                            PersonaErrorCode::Unauthenticated => "unauthenticated",
                            PersonaErrorCode::InactiveTemplate => "inactive_template",
                            PersonaErrorCode::Other(_) => "unknown",
                        }
                    ),
                    Problem::PersonaUnavailable => "persona_unavailable".to_owned(),
                    Problem::UnknownCustomerState(_) => "unknown_customer_state".to_owned(),
                },
            },
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
    /// Left part-way: offer to continue (until `resumable_until`, when known).
    Paused {
        /// Until when it can be continued, when known.
        resumable_until: Option<Millis>,
        /// It is compliance asking for a document (`document_submission`), not the ID and
        /// selfie left part-way.
        documents: bool,
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
    /// Ran out of time: start a new verification.
    Expired,
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
            Screen::StillPreparing => Msg::StillPreparingTitle,
            Screen::Capture => Msg::CaptureTitle,
            Screen::CaptureOnPhone => Msg::CaptureOnPhoneTitle,
            Screen::Handoff { .. } => Msg::HandoffTitle,
            Screen::Paused {
                documents: true, ..
            } => Msg::DocumentsRequestedTitle,
            Screen::Paused { .. } => Msg::PausedTitle,
            Screen::Checking(_) => Msg::CheckingTitle,
            Screen::StillChecking => Msg::StillCheckingTitle,
            Screen::Verified => Msg::VerifiedTitle,
            Screen::Review { .. } => Msg::ReviewTitle,
            Screen::Retry { .. } => Msg::RetryTitle,
            Screen::Rejected { .. } => Msg::RejectedTitle,
            Screen::ContactSupport { .. } => Msg::ContactSupportTitle,
            Screen::Frozen => Msg::FrozenTitle,
            Screen::Expired => Msg::ExpiredTitle,
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
            Screen::Preparing(_) | Screen::StillPreparing => "/preparing",
            Screen::Capture | Screen::CaptureOnPhone => "/capture",
            Screen::Handoff { .. } => "/phone",
            Screen::Paused { .. } => "/paused",
            Screen::Checking(_) | Screen::StillChecking => "/checking",
            Screen::Verified => "/verified",
            Screen::Review { .. } => "/review",
            Screen::Retry { .. } => "/try-again",
            Screen::Rejected { .. } | Screen::ContactSupport { .. } | Screen::Frozen => "/support",
            Screen::Expired => "/expired",
            Screen::SessionEnded => "/session-ended",
            Screen::Problem(_) => "/problem",
        }
    }
}
