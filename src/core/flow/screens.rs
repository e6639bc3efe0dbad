//! What the customer sees: every screen, its problem variants, and its descriptor (address,
//! heading, host event, view).

use super::*;

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

    /// What a host page hears of it.
    pub fn host_error(&self) -> HostError {
        match self {
            Problem::Network => HostError::Network,
            Problem::Server { .. } => HostError::Server,
            Problem::Persona(code) => HostError::Persona(code.clone()),
            Problem::PersonaUnavailable => HostError::PersonaUnavailable,
            Problem::UnknownCustomerState(_) => HostError::UnknownCustomerState,
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

/// The view that draws a screen (several screens share one: a wait turning slow, the three
/// ways to support). `Loading` and `Prep` are drawn by the first wasm module, every other
/// view by the second (`ui/later.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Finding out where the customer stands.
    Loading,
    /// "Before you start".
    Prep,
    /// "Before you start" for a business.
    BusinessPrep,
    /// Getting the ID check ready, and its slow waits.
    Preparing,
    /// Under Persona's window (here or on the phone).
    Capture,
    /// The QR code and the phone's progress.
    Handoff,
    /// Left part-way, or a document asked for.
    Paused,
    /// A document sent could not be used.
    DocumentRefused,
    /// Waiting for the decision.
    Checking,
    /// Verified.
    Verified,
    /// With the compliance team.
    Review,
    /// Did not pass; may try again.
    Retry,
    /// Rejected, unclassified or frozen: support.
    Support,
    /// A new verification is needed.
    Expired,
    /// Signed out.
    SessionEnded,
    /// Something failed that may be tried again.
    Problem,
}

impl View {
    /// Whether the view follows its screen's data in place as the flow changes it (a wait
    /// turning slow, the phone's progress, a review's codes, the camera check's findings on
    /// the retry screen): the customer's focus stays where it is. Every other view shows its
    /// screen as it was when built, and is built again when that changes.
    pub fn follows_its_screen(self) -> bool {
        matches!(
            self,
            View::Preparing | View::Handoff | View::Checking | View::Review | View::Retry
        )
    }
}

/// Everything derived from a screen alone, in one place: its address, its heading, what the
/// host page hears when it appears, and the view that draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenInfo {
    /// The path of its address (one of [`PATHS`]).
    pub path: &'static str,
    /// Its heading: the `h1` the UI shows and the tests look for.
    pub title: Msg,
    /// What a host page hears when it appears, if anything.
    pub event: Option<HostEvent>,
    /// The view that draws it.
    pub view: View,
}

impl Screen {
    /// The screen's descriptor: the one table of what each screen is.
    pub fn info(&self) -> ScreenInfo {
        use HostEvent::{Error, Outcome};
        let (path, title, event, view) = match self {
            Screen::Loading => ("/", Msg::LoadingTitle, None, View::Loading),
            Screen::Prep => ("/start", Msg::PrepTitle, None, View::Prep),
            Screen::BusinessPrep => ("/start", Msg::PrepTitle, None, View::BusinessPrep),
            Screen::Preparing(_) => ("/preparing", Msg::PreparingTitle, None, View::Preparing),
            Screen::StillPreparing | Screen::SlowWait(_) => (
                "/preparing",
                Msg::StillPreparingTitle,
                None,
                View::Preparing,
            ),
            Screen::Capture => ("/capture", Msg::CaptureTitle, None, View::Capture),
            Screen::CaptureOnPhone => ("/capture", Msg::CaptureOnPhoneTitle, None, View::Capture),
            Screen::Handoff { .. } => ("/phone", Msg::HandoffTitle, None, View::Handoff),
            Screen::Paused {
                documents: Some(_), ..
            } => ("/paused", Msg::DocumentsRequestedTitle, None, View::Paused),
            Screen::Paused { .. } => ("/paused", Msg::PausedTitle, None, View::Paused),
            Screen::DocumentRefused { .. } => (
                "/try-again",
                Msg::DocRefusedTitle,
                None,
                View::DocumentRefused,
            ),
            Screen::Checking(_) => ("/checking", Msg::CheckingTitle, None, View::Checking),
            Screen::StillChecking => ("/checking", Msg::StillCheckingTitle, None, View::Checking),
            Screen::Verified => (
                "/verified",
                Msg::VerifiedTitle,
                Some(Outcome(OutcomeKind::Verified)),
                View::Verified,
            ),
            Screen::Review { .. } => (
                "/review",
                Msg::ReviewTitle,
                Some(Outcome(OutcomeKind::Review)),
                View::Review,
            ),
            Screen::Retry { .. } => (
                "/try-again",
                Msg::RetryTitle,
                Some(Outcome(OutcomeKind::Retry)),
                View::Retry,
            ),
            Screen::Rejected { .. } => (
                "/support",
                Msg::RejectedTitle,
                Some(Outcome(OutcomeKind::Rejected)),
                View::Support,
            ),
            Screen::ContactSupport { .. } => (
                "/support",
                Msg::ContactSupportTitle,
                Some(Outcome(OutcomeKind::Rejected)),
                View::Support,
            ),
            Screen::Frozen => (
                "/support",
                Msg::FrozenTitle,
                Some(Outcome(OutcomeKind::Rejected)),
                View::Support,
            ),
            Screen::Expired(_) => (
                "/expired",
                Msg::ExpiredTitle,
                Some(Outcome(OutcomeKind::Expired)),
                View::Expired,
            ),
            Screen::SessionEnded => (
                "/session-ended",
                Msg::SessionEndedTitle,
                Some(Error(HostError::SessionEnded)),
                View::SessionEnded,
            ),
            Screen::Problem(problem) => (
                "/problem",
                problem.title(),
                Some(Error(problem.host_error())),
                View::Problem,
            ),
        };
        ScreenInfo {
            path,
            title,
            event,
            view,
        }
    }

    /// The screen's heading ([`Screen::info`]).
    pub fn title(&self) -> Msg {
        self.info().title
    }

    /// The path of the screen's URL ([`Screen::info`]).
    pub fn path(&self) -> &'static str {
        self.info().path
    }

    /// What a host page hears when this screen appears, if anything ([`Screen::info`]).
    pub fn host_event(&self) -> Option<HostEvent> {
        self.info().event
    }
}
