//! The verification flow as a state machine: `step(state, now, event) -> (state, effects)`.
//!
//! It decides everything: which request to make, when to poll again, when to open Persona,
//! what the customer sees. The shell only performs the [`Effect`]s and reports back with
//! [`Event`]s, passing the current time in, so the whole flow is testable without a browser,
//! a network or a clock.
//!
//! Invariants the tests hold it to:
//! - at most one request is outstanding, and answers to anything else are ignored;
//! - a verification is never created while the customer has one in flight: a create is always
//!   preceded by a list of the customer's verifications, and a failed create is never re-sent
//!   without listing again first;
//! - a Persona session token is used once: every resume asks for a new one.

use super::api::{
    Customer, CustomerState, IdentityVerification, PersonaSession, PersonaState,
    PostIdentityVerification, PostPersonaSession, VerificationMethod, VerificationState,
};
use super::failure::{verdict, FailureCode, Verdict};
use super::polling::{PollPolicy, RetryPolicy};
use super::text::{Lang, Msg};
use super::time::{parse_rfc3339, Millis, HOUR, MINUTE};
use super::tips::TipGroup;

/// How long a Persona inquiry lives after it is created.
pub const INQUIRY_LIFETIME: Millis = 24 * HOUR;
/// Resume only while at least this much of the inquiry's life remains.
pub const RESUME_MARGIN: Millis = MINUTE;
/// How often the desktop asks how the phone is doing.
pub const HANDOFF_POLL_MS: u32 = 2_000;
/// Once the phone has had the verification this long without finishing (put down, its
/// battery gone), the desktop asks only every [`HANDOFF_SLOW_POLL_MS`]: an abandoned phone
/// must not cost the backend a call every two seconds until the session ends.
pub const HANDOFF_SLOW_AFTER: Millis = 5 * MINUTE;
/// The slower pace, still quick enough to follow a phone that carries on.
pub const HANDOFF_SLOW_POLL_MS: u32 = 10_000;
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

/// A string that must never be logged: `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The backend calls the flow makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// `GET /session`.
    Session,
    /// `GET /api/customers/{guid}`.
    Customer,
    /// `GET /api/identity_verifications?customer_guid=`.
    ListVerifications,
    /// `POST /api/identity_verifications`.
    CreateVerification,
    /// `GET /api/identity_verifications/{guid}`.
    Verification,
    /// `POST /api/persona_sessions`.
    PersonaSession,
    /// `POST /handoff`.
    Handoff,
    /// `GET /handoff/status`.
    HandoffStatus,
}

impl RequestKind {
    /// Safe to send again after a passing failure. Creating a verification is not: a lost
    /// answer may mean it was created.
    pub fn retry_is_safe(self) -> bool {
        !matches!(self, RequestKind::CreateVerification)
    }
}

/// Why a request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpError {
    /// No answer: offline, connection dropped, DNS.
    Network,
    /// No answer in time.
    Timeout,
    /// An answer that could not be read.
    Malformed,
    /// An error status.
    Status {
        /// The HTTP status.
        status: u16,
        /// From a `Retry-After` header.
        retry_after_ms: Option<u32>,
        /// From the error body, when it had one.
        message_code: Option<String>,
    },
}

impl HttpError {
    /// A failure that may pass if the same request is tried again later.
    pub fn is_transient(&self) -> bool {
        match self {
            HttpError::Network | HttpError::Timeout | HttpError::Malformed => true,
            HttpError::Status { status, .. } => *status == 429 || *status >= 500,
        }
    }

    /// The session is gone or was never there.
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            HttpError::Status {
                status: 401 | 403,
                ..
            }
        )
    }

    fn retry_after_ms(&self) -> Option<u32> {
        match self {
            HttpError::Status { retry_after_ms, .. } => *retry_after_ms,
            _ => None,
        }
    }
}

/// Persona's error codes (`onError`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PersonaErrorCode {
    /// Something broke inside the flow.
    ApplicationError,
    /// The options were wrong (our side).
    InvalidConfig,
    /// The session token was refused: wrong, used or expired.
    Unauthenticated,
    /// The inquiry template is switched off (the integrator's side).
    InactiveTemplate,
    /// Anything else.
    Other(String),
}

impl PersonaErrorCode {
    /// Reads the SDK's `code`.
    pub fn parse(code: &str) -> Self {
        match code {
            "application_error" => PersonaErrorCode::ApplicationError,
            "invalid_config" => PersonaErrorCode::InvalidConfig,
            "unauthenticated" => PersonaErrorCode::Unauthenticated,
            "inactive_template" => PersonaErrorCode::InactiveTemplate,
            other => PersonaErrorCode::Other(other.to_owned()),
        }
    }
}

/// Which timer fired. Timers from an earlier state are ignored when they fire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerId(pub u32);

/// What the app tells the page that embeds or opened it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostEvent {
    /// The customer started (or restarted) a verification.
    Started,
    /// Persona's flow is open.
    PersonaReady,
    /// The customer finished Persona's flow (its status; the decision comes later).
    PersonaCompleted {
        /// Persona's status, such as `completed` or `failed`.
        status: String,
    },
    /// The verification reached an outcome.
    Outcome(OutcomeKind),
    /// Something went wrong that stopped the flow.
    Error {
        /// A stable code: `network`, `server`, `persona_<code>`, `persona_unavailable`,
        /// `unknown_customer_state` or `session_ended`.
        code: String,
    },
}

/// The outcomes a host page hears about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutcomeKind {
    /// The customer is verified.
    Verified,
    /// With the compliance team.
    Review,
    /// Did not pass; may try again.
    Retry,
    /// Only support can help (rejected, unclassified result, frozen account).
    Rejected,
    /// Ran out of time.
    Expired,
}

impl OutcomeKind {
    /// The name in event payloads.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Verified => "verified",
            OutcomeKind::Review => "review",
            OutcomeKind::Retry => "retry",
            OutcomeKind::Rejected => "rejected",
            OutcomeKind::Expired => "expired",
        }
    }
}

impl HostEvent {
    /// The event's `type` in payloads.
    pub fn kind(&self) -> &'static str {
        match self {
            HostEvent::Started => "started",
            HostEvent::PersonaReady => "persona_ready",
            HostEvent::PersonaCompleted { .. } => "persona_completed",
            HostEvent::Outcome(_) => "outcome",
            HostEvent::Error { .. } => "error",
        }
    }
}

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

/// What became of a handoff code (`GET /handoff/status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandoffCode {
    /// Waiting for the phone.
    Active,
    /// The phone opened it.
    Used,
    /// It ran out before the phone came.
    Expired,
    /// There is no code.
    None,
}

impl HandoffCode {
    /// Reads the status's `code`.
    pub fn parse(text: &str) -> HandoffCode {
        match text {
            "active" => HandoffCode::Active,
            "used" => HandoffCode::Used,
            "expired" => HandoffCode::Expired,
            _ => HandoffCode::None,
        }
    }
}

/// The link in the QR code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoffLink {
    /// The path after the app's origin (`/handoff/<code>`).
    pub path: String,
    /// When it stops working.
    pub expires_ms: Option<Millis>,
}

/// The whole link to a handoff code's `path` on the app's `origin`. It carries the page's
/// language unless that is English (the default), so the other device carries on in the
/// language the customer was reading.
pub fn handoff_url(origin: &str, path: &str, lang: Lang) -> String {
    [origin, path, lang.link_query()].concat()
}

/// How far the phone has got, as the desktop sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PhoneProgress {
    /// The code is shown; the phone has not opened it.
    WaitingForPhone,
    /// The phone opened the link.
    Connected,
    /// The customer is taking the photos on the phone.
    InProgress,
    /// The code ran out before the phone came: make a new one.
    CodeExpired,
}

/// What the customer asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UserAction {
    /// "Start verification", or "Try again" after a retryable failure, or "Start again" after
    /// an expiry.
    Start,
    /// "Try again" on a problem screen: start over from the customer record.
    Retry,
    /// "Continue where you left off".
    Resume,
    /// "Keep waiting" after a long wait.
    KeepWaiting,
    /// "Read the tips again" from the paused screen: back to the prep screen, keeping the
    /// verification in progress for when the customer starts again.
    StartOver,
    /// "Continue on your phone": show a QR code and follow the phone from here.
    ContinueOnPhone,
    /// "Make a new code": the old one stops working.
    NewCode,
    /// "Use this device instead" of the phone, at any point of the handoff.
    UseThisDevice,
}

/// Something that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The page loaded.
    AppStarted {
        /// The verification guid kept from an earlier visit.
        remembered: Option<String>,
        /// This device was following the customer's phone.
        handoff: bool,
        /// The customer had asked to start and no verification was taken up yet (a reload
        /// while the first one was being looked for or created).
        starting: bool,
    },
    /// `GET /session` answered.
    SessionLoaded {
        /// The customer the session is for.
        customer_guid: String,
        /// The server's clock when it answered, when it said.
        server_ms: Option<Millis>,
    },
    /// `GET /api/customers/{guid}` answered.
    CustomerLoaded(Customer),
    /// The customer's verifications (any order).
    VerificationsListed(Vec<IdentityVerification>),
    /// `POST /api/identity_verifications` answered.
    VerificationCreated(IdentityVerification),
    /// `GET /api/identity_verifications/{guid}` answered.
    VerificationPolled(IdentityVerification),
    /// `POST /api/persona_sessions` answered.
    SessionTokenReceived(PersonaSession),
    /// A request failed.
    RequestFailed {
        /// Which request.
        request: RequestKind,
        /// How it failed.
        error: HttpError,
    },
    /// Persona's `onReady`: the flow is open.
    PersonaReady,
    /// Persona's `onComplete` (its `complete` and `fail` events alike).
    PersonaCompleted {
        /// Persona's status (`completed`, `failed`...); the backend has the final word.
        status: String,
    },
    /// Persona's `onCancel`. Its session token is deliberately not carried: a resume always
    /// asks for a new one.
    PersonaCancelled,
    /// Persona's `onError`.
    PersonaErrored {
        /// Which error.
        code: PersonaErrorCode,
    },
    /// The Persona SDK script could not be loaded or constructed.
    PersonaUnavailable,
    /// A timer started by [`Effect::StartTimer`] ran out.
    TimerFired(TimerId),
    /// The browser went offline or came back.
    Connectivity {
        /// True when back online.
        online: bool,
    },
    /// `POST /handoff` answered.
    HandoffMinted {
        /// The path to put in the QR code, after the app's origin.
        path: String,
        /// When the code stops working.
        expires_ms: Option<Millis>,
    },
    /// `GET /handoff/status` answered.
    HandoffStatus {
        /// What became of the code.
        code: HandoffCode,
        /// The verification the phone works on, if any.
        verification: Option<IdentityVerification>,
    },
    /// The customer switched language: Persona opens in this locale from now on.
    Language {
        /// A Persona locale such as `fr`.
        persona_locale: String,
    },
    /// One of Persona's `onEvent` events, by name (no metadata).
    PersonaEvent {
        /// The event's name, such as `one-time-link-sent`.
        name: String,
    },
    /// The customer did something.
    User(UserAction),
}

/// Something the shell must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `GET /session`.
    FetchSession,
    /// `GET /api/customers/{guid}`.
    FetchCustomer {
        /// Whose record.
        customer_guid: String,
    },
    /// `GET /api/identity_verifications?customer_guid=`.
    ListVerifications {
        /// Whose verifications.
        customer_guid: String,
    },
    /// `POST /api/identity_verifications` with this body.
    CreateVerification(PostIdentityVerification),
    /// `GET /api/identity_verifications/{guid}`.
    FetchVerification {
        /// Which verification.
        guid: String,
    },
    /// `POST /api/persona_sessions` with this body.
    RequestSessionToken(PostPersonaSession),
    /// Fire `TimerFired(id)` after `ms`.
    StartTimer {
        /// Which timer.
        id: TimerId,
        /// After how many milliseconds.
        ms: u32,
    },
    /// Construct the Persona client and open it once ready.
    LaunchPersona {
        /// The inquiry to open.
        inquiry_id: String,
        /// A fresh session token when resuming; used once.
        session_token: Option<Secret>,
        /// The Persona locale.
        language: String,
    },
    /// Destroy the Persona client, its iframe and its callbacks.
    DestroyPersona,
    /// Keep this verification guid for a reload (never a token, never personal data).
    Remember(String),
    /// Drop the remembered verification guid.
    Forget,
    /// `POST /handoff`.
    MintHandoff,
    /// `GET /handoff/status`.
    FetchHandoffStatus,
    /// Note for a reload that this device follows a phone (or no longer does).
    MarkHandoff(bool),
    /// Note for a reload that the customer asked to start (or that a verification was taken
    /// up since): a reload then carries on instead of asking again.
    MarkStarting(bool),
    /// Tell the page that embeds or opened the app (never personal data or tokens).
    Notify(HostEvent),
    /// Switch to this screen.
    Show(Screen),
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
            Screen::Prep => Msg::PrepTitle,
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
            Screen::Prep => "/start",
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

/// Why verifications are being listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ListPurpose {
    /// The page loaded: find out where the customer stands.
    Load,
    /// The customer pressed start: reuse one in flight, or create.
    Start,
}

/// The verification being followed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tracked {
    guid: String,
    inquiry_id: Option<String>,
    created_ms: Option<Millis>,
    state: VerificationState,
    persona_state: Option<PersonaState>,
    /// Compliance asking for a document, not an ID and selfie.
    documents: bool,
}

impl Tracked {
    fn from(v: &IdentityVerification) -> Self {
        Tracked {
            documents: v.method == Some(VerificationMethod::DocumentSubmission),
            guid: v.guid.clone(),
            inquiry_id: v.persona_inquiry_id.clone(),
            created_ms: v.created_at.as_deref().and_then(parse_rfc3339),
            state: v.state.clone(),
            persona_state: v.persona_state.clone(),
        }
    }

    /// Until when a new session may be started (24 hours after creation, less a minute).
    fn resumable_until(&self) -> Option<Millis> {
        self.created_ms
            .map(|created| created + INQUIRY_LIFETIME - RESUME_MARGIN)
    }

    /// Waiting or pending, with an inquiry, with at least a minute of its life left (when
    /// its age is known), and Persona not saying it is over.
    fn resumable(&self, now: Millis) -> bool {
        matches!(
            self.state,
            VerificationState::Waiting | VerificationState::Pending
        ) && self.inquiry_id.is_some()
            && !self.submitted()
            && !matches!(self.persona_state, Some(PersonaState::Expired))
            && self.resumable_until().is_none_or(|until| now < until)
    }

    /// A document request that was sent or can no longer be opened: whatever it comes to is
    /// not the customer's outcome (the review it was asked for decides that).
    fn documents_done(&self, now: Millis) -> bool {
        self.documents && self.state != VerificationState::Storing && !self.resumable(now)
    }

    /// The customer finished in Persona and the decision is not in yet: Persona is
    /// processing or done while the verification still says waiting or pending.
    fn submitted(&self) -> bool {
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
    fn deciding(&self) -> bool {
        matches!(
            self.state,
            VerificationState::Completed | VerificationState::Unknown(_)
        )
    }

    /// Persona needs a session token once the customer has started the inquiry.
    fn needs_session_token(&self) -> bool {
        matches!(self.state, VerificationState::Pending)
            || matches!(self.persona_state, Some(PersonaState::Pending))
    }
}

/// A document request from compliance (`document_submission`) the customer can open now.
fn open_document_request(v: &IdentityVerification, now: Millis) -> bool {
    let tracked = Tracked::from(v);
    v.is_kyc() && tracked.documents && tracked.resumable(now)
}

/// When a verification last changed: its update, else its creation.
fn last_change(v: &IdentityVerification) -> Option<Millis> {
    v.updated_at
        .as_deref()
        .or(v.created_at.as_deref())
        .and_then(parse_rfc3339)
}

/// Whether the ID verification `id` has made a document `request` moot: a pass always; any
/// other outcome beyond "under review" when the request came before it (one that came after,
/// such as a bill support asked for once the records did not match, still stands).
fn moots(id: &IdentityVerification, request: &IdentityVerification) -> bool {
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
fn recently_passed(v: &IdentityVerification, now: Millis) -> bool {
    last_change(v).is_some_and(|at| now < at + INQUIRY_LIFETIME)
}

/// Whether a verification is still in flight and can be carried on instead of creating a
/// new one: being created (for less than an inquiry's life: one stuck in `storing` longer
/// could never be finished), or waiting / pending with at least a minute of its inquiry's
/// life left. The rule that keeps a customer from ever having two in flight.
pub fn can_carry_on(v: &IdentityVerification, now: Millis) -> bool {
    let tracked = Tracked::from(v);
    v.is_kyc()
        && ((v.state == VerificationState::Storing
            && tracked
                .created_ms
                .is_none_or(|created| now < created + INQUIRY_LIFETIME))
            || (v.is_in_flight() && (tracked.resumable(now) || tracked.submitted())))
}

/// Takes one off a count of answers to drop; whether there was one to take.
fn count_off(count: &mut u32) -> bool {
    let stale = *count > 0;
    *count = count.saturating_sub(1);
    stale
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
        || (v.is_kyc()
            && match &v.state {
                // Waiting or pending without its inquiry yet: it is on its way.
                VerificationState::Waiting | VerificationState::Pending => {
                    v.persona_inquiry_id.is_none() && recent()
                }
                VerificationState::Reviewing => true,
                VerificationState::Completed => match verdict(v) {
                    None => recent(),
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

/// Where the flow stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    Loading,
    Prep,
    Listing(ListPurpose),
    Creating,
    WaitingForInquiry {
        since: Millis,
    },
    StillPreparing,
    RequestingSession,
    Capture {
        ready: bool,
        on_phone: bool,
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

/// The whole state of the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    language: String,
    customer_guid: Option<String>,
    customer_state: Option<CustomerState>,
    remembered: Option<String>,
    tracked: Option<Tracked>,
    phase: Phase,
    /// The one request awaiting an answer.
    in_flight: Option<RequestKind>,
    /// The one timer that matters, and the request it will send.
    timer: Option<(TimerId, RequestKind)>,
    next_timer: u32,
    /// Polls made in the current wait (for the backoff).
    poll_attempt: u32,
    /// Consecutive passing failures of the current request.
    failures: u32,
    create_attempts: u32,
    /// A create was just refused (422) and the customer record is being read to see why.
    create_refused: bool,
    /// Refused session tokens in a row (one automatic retry).
    token_refusals: u32,
    online: bool,
    /// This device hands the verification to the customer's phone and follows it.
    following_phone: bool,
    /// The screen the customer handed off from (a retry with its tips, a saved verification,
    /// a problem), to go back to when they take it back here before the phone came.
    handed_off_from: Option<Phase>,
    /// When the phone opened the code being followed.
    phone_since: Option<Millis>,
    /// The customer asked to start and no verification has been taken up since.
    starting: bool,
    /// The timer watching for Persona's `ready` after the latest launch. Its ids count down
    /// from `u32::MAX` (request timers count up from 1): the two never meet.
    ready_timer: Option<TimerId>,
    launches: u32,
    /// Answers still to come for codes the customer gave up on while they were being made.
    /// Minting kills the customer's previous code, so such an answer must not pass for the
    /// code asked for since (answers carry no request id; the first one to come is the
    /// older request's).
    stale_mints: u32,
    /// Answers still to come for looks at the phone's progress under a code given up on
    /// since (a new code made, or the handoff left, while one was on its way): dropped when
    /// they come, so an old code's state never passes for the new one's.
    stale_statuses: u32,
    /// The server's clock less the device's, when they differ by more than
    /// [`CLOCK_TOLERANCE`]; added to the time of every event.
    clock_offset: Millis,
}

impl Flow {
    /// A flow for a page in `language` (a Persona locale such as `en-US`).
    pub fn new(language: &str) -> Flow {
        Flow {
            language: language.to_owned(),
            customer_guid: None,
            customer_state: None,
            remembered: None,
            tracked: None,
            phase: Phase::Loading,
            in_flight: None,
            timer: None,
            next_timer: 0,
            poll_attempt: 0,
            failures: 0,
            create_attempts: 0,
            create_refused: false,
            token_refusals: 0,
            online: true,
            following_phone: false,
            handed_off_from: None,
            starting: false,
            ready_timer: None,
            launches: 0,
            stale_mints: 0,
            stale_statuses: 0,
            clock_offset: 0,
            phone_since: None,
        }
    }

    /// The number of the launch waiting for Persona to open, if one is: the shell opens
    /// Persona only while it is still this one.
    pub fn launch_pending(&self) -> Option<u32> {
        matches!(self.phase, Phase::Capture { ready: false, .. }).then_some(self.launches)
    }

    /// What the customer sees now.
    pub fn screen(&self) -> Screen {
        match &self.phase {
            Phase::Loading => Screen::Loading,
            Phase::Prep => Screen::Prep,
            Phase::Listing(ListPurpose::Load) => Screen::Loading,
            Phase::Listing(ListPurpose::Start) => Screen::Preparing(PreparingStage::Looking),
            Phase::Creating => Screen::Preparing(PreparingStage::Creating),
            Phase::WaitingForInquiry { .. } => Screen::Preparing(PreparingStage::WaitingForInquiry),
            Phase::StillPreparing => Screen::StillPreparing,
            Phase::RequestingSession => Screen::Preparing(PreparingStage::Reconnecting),
            Phase::Capture { ready: false, .. } => {
                Screen::Preparing(PreparingStage::OpeningCapture)
            }
            Phase::Capture {
                ready: true,
                on_phone: false,
            } => Screen::Capture,
            Phase::Capture {
                ready: true,
                on_phone: true,
            } => Screen::CaptureOnPhone,
            Phase::Handoff { link, phone } => Screen::Handoff {
                link: link.clone(),
                phone: *phone,
            },
            Phase::Paused => Screen::Paused {
                resumable_until: self.tracked.as_ref().and_then(Tracked::resumable_until),
                documents: self.tracked.as_ref().is_some_and(|t| t.documents),
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

    /// False while the browser says it is offline.
    pub fn online(&self) -> bool {
        self.online
    }

    /// Whether a request failed for a passing reason (a 5xx, a 429, a dropped connection)
    /// and is about to go again: the page says so, so a wait is never silent.
    pub fn retrying(&self) -> bool {
        self.failures > 0
    }

    /// The guid of the verification being followed, if any.
    pub fn verification_guid(&self) -> Option<&str> {
        self.tracked.as_ref().map(|t| t.guid.as_str())
    }

    /// The request awaiting an answer, if any.
    pub fn in_flight(&self) -> Option<RequestKind> {
        self.in_flight
    }
}

/// Advances the flow by one event. Emits `Show` whenever the screen changes.
pub fn step(mut flow: Flow, now: Millis, event: Event) -> (Flow, Vec<Effect>) {
    let before = flow.screen();
    let mut fx = Vec::new();
    // On the server's clock, which the verifications' dates are on.
    let now = now + flow.clock_offset;
    flow.handle(now, event, &mut fx);
    let after = flow.screen();
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

impl Flow {
    fn handle(&mut self, now: Millis, event: Event, fx: &mut Vec<Effect>) {
        match event {
            Event::AppStarted {
                remembered,
                handoff,
                starting,
            } => {
                // A restart ("Try again") keeps what it cannot know afresh: whether the
                // device is online, and the timer ids already handed out (so a timer of the
                // old run cannot pass for one of the new).
                let before = std::mem::replace(self, Flow::new(&self.language));
                self.online = before.online;
                self.next_timer = before.next_timer;
                self.launches = before.launches;
                self.clock_offset = before.clock_offset;
                self.stale_mints =
                    before.stale_mints + u32::from(before.in_flight == Some(RequestKind::Handoff));
                self.stale_statuses = before.stale_statuses
                    + u32::from(before.in_flight == Some(RequestKind::HandoffStatus));
                self.remembered = remembered;
                self.following_phone = handoff;
                self.starting = starting;
                self.send(RequestKind::Session, fx);
            }
            Event::SessionLoaded {
                customer_guid,
                server_ms,
            } => {
                if self.accept(RequestKind::Session) {
                    if let Some(server) = server_ms {
                        // A device clock minutes or days off would misjudge every lifetime
                        // (resume, expiry, a recent pass). Within the tolerance, the
                        // answer's own travel time is not worth correcting for.
                        let offset = server - (now - self.clock_offset);
                        self.clock_offset = if offset.abs() > CLOCK_TOLERANCE {
                            offset
                        } else {
                            0
                        };
                    }
                    self.customer_guid = Some(customer_guid);
                    self.send(RequestKind::Customer, fx);
                }
            }
            Event::CustomerLoaded(customer) => {
                if self.accept(RequestKind::Customer) {
                    self.on_customer(now, customer, fx);
                }
            }
            Event::VerificationsListed(list) => {
                if self.accept(RequestKind::ListVerifications) {
                    self.on_list(now, list, fx);
                }
            }
            Event::VerificationCreated(v) => {
                if self.accept(RequestKind::CreateVerification) {
                    self.create_attempts = 0;
                    self.adopt(&v, fx);
                    self.follow(now, &v, fx);
                }
            }
            Event::VerificationPolled(v) => {
                let ours = self.tracked.as_ref().is_some_and(|t| t.guid == v.guid);
                if ours && self.accept(RequestKind::Verification) {
                    self.tracked = Some(Tracked::from(&v));
                    self.follow(now, &v, fx);
                }
            }
            Event::SessionTokenReceived(session) => {
                let inquiry = self.tracked.as_ref().and_then(|t| t.inquiry_id.clone());
                if inquiry.as_deref() == Some(session.persona_inquiry_id.as_str())
                    && self.accept(RequestKind::PersonaSession)
                {
                    self.launch(Some(Secret(session.persona_session_token)), fx);
                }
            }
            Event::RequestFailed { request, error } => {
                if request == RequestKind::Handoff && self.stale_mint() {
                    return;
                }
                if request == RequestKind::HandoffStatus && self.stale_status() {
                    return;
                }
                if self.in_flight == Some(request) {
                    self.in_flight = None;
                    self.on_failure(request, error, fx);
                }
            }
            Event::PersonaReady => {
                if let Phase::Capture { ready, .. } = &mut self.phase {
                    if !*ready {
                        fx.push(Effect::Notify(HostEvent::PersonaReady));
                    }
                    *ready = true;
                    self.token_refusals = 0;
                }
            }
            Event::PersonaCompleted { status } => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::Notify(HostEvent::PersonaCompleted { status }));
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Checking { since: now };
                    self.poll_attempt = 0;
                    self.send(RequestKind::Verification, fx);
                }
            }
            Event::PersonaCancelled => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Paused;
                    if self.tracked.as_ref().is_some_and(|t| t.documents) {
                        self.poll_attempt = 0;
                        self.poll_review(RequestKind::ListVerifications, now, fx);
                    }
                }
            }
            Event::PersonaErrored { code } => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::DestroyPersona);
                    self.on_persona_error(code, fx);
                }
            }
            Event::PersonaUnavailable => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Problem(Problem::PersonaUnavailable);
                }
            }
            Event::Language { persona_locale } => self.language = persona_locale,
            Event::PersonaEvent { name } => {
                if let Phase::Capture { on_phone, .. } = &mut self.phase {
                    match name.as_str() {
                        "one-time-link-sent" | "one-time-link-start" => *on_phone = true,
                        "one-time-link-exit" => *on_phone = false,
                        _ => {}
                    }
                }
            }
            Event::HandoffMinted { path, expires_ms } => {
                if !self.stale_mint() && self.accept(RequestKind::Handoff) {
                    if let Phase::Handoff { link, phone } = &mut self.phase {
                        *link = Some(HandoffLink { path, expires_ms });
                        *phone = PhoneProgress::WaitingForPhone;
                        self.later(RequestKind::HandoffStatus, HANDOFF_POLL_MS, fx);
                    }
                }
            }
            Event::HandoffStatus { code, verification } => {
                if !self.stale_status() && self.accept(RequestKind::HandoffStatus) {
                    self.on_handoff_status(now, code, verification, fx);
                }
            }
            Event::TimerFired(id) if self.ready_timer == Some(id) => {
                self.ready_timer = None;
                if matches!(self.phase, Phase::Capture { ready: false, .. }) {
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Problem(Problem::PersonaUnavailable);
                }
            }
            Event::TimerFired(id) => {
                if let Some((current, request)) = self.timer {
                    if current == id {
                        self.timer = None;
                        self.send(request, fx);
                    }
                }
            }
            Event::Connectivity { online } => {
                self.online = online;
                // Back online: do not make the customer wait out a backoff.
                if online {
                    if let Some((_, request)) = self.timer.take() {
                        self.send(request, fx);
                    }
                }
            }
            Event::User(action) => self.on_user(now, action, fx),
        }
    }

    /// Whether a mint's answer is for a code given up on (counted off if so).
    fn stale_mint(&mut self) -> bool {
        count_off(&mut self.stale_mints)
    }

    /// Whether a handoff-status answer is one of those counted off (see `stale_statuses`).
    fn stale_status(&mut self) -> bool {
        count_off(&mut self.stale_statuses)
    }

    /// Whether an answer to `request` is the one awaited; if so, it is no longer in flight.
    fn accept(&mut self, request: RequestKind) -> bool {
        if self.in_flight == Some(request) {
            self.in_flight = None;
            self.failures = 0;
            true
        } else {
            false
        }
    }

    /// Emits the effect for `request` now, cancelling any timer.
    fn send(&mut self, request: RequestKind, fx: &mut Vec<Effect>) {
        self.timer = None;
        let customer_guid = self.customer_guid.clone().unwrap_or_default();
        let tracked = self.tracked.as_ref();
        let effect = match request {
            RequestKind::Session => Effect::FetchSession,
            RequestKind::Customer => Effect::FetchCustomer { customer_guid },
            RequestKind::ListVerifications => Effect::ListVerifications { customer_guid },
            RequestKind::CreateVerification => Effect::CreateVerification(
                PostIdentityVerification::kyc_id_and_selfie(&customer_guid),
            ),
            RequestKind::Verification => match tracked {
                Some(t) => Effect::FetchVerification {
                    guid: t.guid.clone(),
                },
                None => return self.fall_back_to_list(fx),
            },
            RequestKind::Handoff => Effect::MintHandoff,
            RequestKind::HandoffStatus => Effect::FetchHandoffStatus,
            RequestKind::PersonaSession => match tracked {
                Some(Tracked {
                    guid,
                    inquiry_id: Some(inquiry),
                    ..
                }) => Effect::RequestSessionToken(PostPersonaSession {
                    persona_inquiry_id: inquiry.clone(),
                    identity_verification_guid: guid.clone(),
                }),
                _ => return self.fall_back_to_list(fx),
            },
        };
        self.in_flight = Some(request);
        fx.push(effect);
    }

    /// Nothing to follow after all (cannot happen through `step`): find out afresh.
    fn fall_back_to_list(&mut self, fx: &mut Vec<Effect>) {
        self.phase = Phase::Listing(ListPurpose::Load);
        self.send(RequestKind::ListVerifications, fx);
    }

    /// Sends `request` after `ms`.
    fn later(&mut self, request: RequestKind, ms: u32, fx: &mut Vec<Effect>) {
        self.next_timer = self.next_timer.wrapping_add(1);
        let id = TimerId(self.next_timer);
        self.timer = Some((id, request));
        fx.push(Effect::StartTimer { id, ms });
    }

    /// Polls `request` again under `policy`, or gives up into `on_deadline` once the wait
    /// that began at `since` has lasted too long.
    fn poll(
        &mut self,
        now: Millis,
        since: Millis,
        policy: PollPolicy,
        request: RequestKind,
        on_deadline: Phase,
        fx: &mut Vec<Effect>,
    ) {
        let waited = u32::try_from((now - since).max(0)).unwrap_or(u32::MAX);
        if policy.within_deadline(waited) {
            let delay = policy.delay_ms(self.poll_attempt);
            self.poll_attempt = self.poll_attempt.saturating_add(1);
            self.later(request, delay, fx);
        } else {
            self.phase = on_deadline;
        }
    }

    fn on_customer(&mut self, now: Millis, customer: Customer, fx: &mut Vec<Effect>) {
        let refused = std::mem::take(&mut self.create_refused);
        let state = customer.state.clone();
        self.customer_state = Some(state.clone());
        match state {
            CustomerState::Verified => {
                fx.push(Effect::Forget);
                self.phase = Phase::Outcome(Screen::Verified);
            }
            CustomerState::Rejected => {
                let reasons = self.verdict_reasons();
                self.phase = Phase::Outcome(Screen::Rejected { reasons });
            }
            CustomerState::Frozen => self.phase = Phase::Outcome(Screen::Frozen),
            CustomerState::Storing => {
                let since = match &self.phase {
                    Phase::Confirming { since, .. } => *since,
                    _ => {
                        self.poll_attempt = 0;
                        now
                    }
                };
                let verdict = self.pending_verdict();
                self.phase = Phase::Confirming { since, verdict };
                self.poll(
                    now,
                    since,
                    PollPolicy::CUSTOMER,
                    RequestKind::Customer,
                    Phase::StillPreparing,
                    fx,
                );
            }
            CustomerState::Unverified => match self.pending_verdict() {
                None if matches!(self.phase, Phase::Review { .. }) => {
                    self.poll_review(RequestKind::Customer, now, fx)
                }
                // Refused although the customer may still be verified: not something a
                // new attempt fixes (the service says no), so say so instead of starting over.
                None if refused => self.phase = Phase::Problem(Problem::Server { status: 422 }),
                None if self.following_phone => {
                    self.phase = Phase::Handoff {
                        link: None,
                        phone: PhoneProgress::WaitingForPhone,
                    };
                    self.send(RequestKind::HandoffStatus, fx);
                }
                None => {
                    self.phase = Phase::Listing(ListPurpose::Load);
                    self.send(RequestKind::ListVerifications, fx);
                }
                Some(Verdict::Passed) => {
                    let since = match &self.phase {
                        Phase::Confirming { since, .. } => *since,
                        _ => now,
                    };
                    self.poll(
                        now,
                        since,
                        PollPolicy::CUSTOMER,
                        RequestKind::Customer,
                        Phase::StillChecking,
                        fx,
                    );
                }
                Some(verdict) => self.show_verdict(now, verdict, fx),
            },
            CustomerState::Unknown(other) => {
                self.phase = Phase::Problem(Problem::UnknownCustomerState(other));
            }
        }
    }

    /// The verdict the flow is confirming against the customer record, if any.
    fn pending_verdict(&self) -> Option<Verdict> {
        match &self.phase {
            Phase::Confirming { verdict, .. } => verdict.clone(),
            _ => None,
        }
    }

    fn verdict_reasons(&self) -> Vec<FailureCode> {
        match self.pending_verdict() {
            Some(
                Verdict::Rejected { reasons }
                | Verdict::Review { reasons }
                | Verdict::Retry { reasons, .. }
                | Verdict::ContactSupport { reasons },
            ) => reasons,
            _ => Vec::new(),
        }
    }

    fn on_list(&mut self, now: Millis, list: Vec<IdentityVerification>, fx: &mut Vec<Effect>) {
        let purpose = match self.phase {
            // Asked to start before a reload: carry on with that, as if the click's own list
            // had come back.
            Phase::Listing(_) if self.starting => ListPurpose::Start,
            Phase::Listing(purpose) => purpose,
            Phase::Review { .. } => return self.on_review_list(now, &list, fx),
            // Looking again while a document request is offered: the review may have ended.
            Phase::Paused if self.tracked.as_ref().is_some_and(|t| t.documents) => {
                ListPurpose::Load
            }
            _ => return,
        };
        // Newest first, whatever order the page came in: missing dates count as oldest, and
        // among equal dates the page's order wins (`min_by_key` keeps the first). No sort, so
        // no sorting code in the wasm.
        let age = |v: &&IdentityVerification| {
            std::cmp::Reverse(v.created_at.as_deref().and_then(parse_rfc3339))
        };
        // Compliance's document requests are offered while they can be opened, and are
        // never the customer's outcome nor a verification to carry on.
        let requested = list.iter().find(|v| open_document_request(v, now));
        let ids = || {
            list.iter()
                .filter(|v| v.is_kyc() && !Tracked::from(v).documents)
        };
        let newest = ids().min_by_key(age);
        // The newest verification still in flight that can be carried on.
        let reusable = ids().filter(|v| can_carry_on(v, now)).min_by_key(age);
        if let (None, Some(v)) = (reusable, requested) {
            if !newest.is_some_and(|id| moots(id, v)) {
                return self.offer_documents(now, v, fx);
            }
        }
        match purpose {
            ListPurpose::Start => match reusable {
                Some(v) => {
                    self.create_attempts = 0;
                    self.adopt(v, fx);
                    self.follow(now, v, fx);
                }
                None => {
                    self.create_attempts += 1;
                    self.phase = Phase::Creating;
                    self.send(RequestKind::CreateVerification, fx);
                }
            },
            ListPurpose::Load => match (reusable, newest) {
                (_, None) => self.phase = Phase::Prep,
                (Some(v), _) if v.state == VerificationState::Storing => {
                    self.adopt(v, fx);
                    self.follow(now, v, fx);
                }
                (Some(v), _) if Tracked::from(v).submitted() => {
                    self.adopt(v, fx);
                    self.follow(now, v, fx);
                }
                (Some(v), _) => {
                    self.adopt(v, fx);
                    self.phase = Phase::Paused;
                }
                // In flight with less than a minute left: a new verification will be needed.
                (None, Some(v)) if v.is_in_flight() => self.phase = Phase::Prep,
                (None, Some(v)) => {
                    let remembered = self.remembered.as_deref() == Some(v.guid.as_str());
                    match verdict(v) {
                        // An old pass while the customer is unverified (the ID used has
                        // since expired): a new verification is needed. Old by when it was
                        // decided, not created: a review can take days.
                        Some(Verdict::Passed) if !recently_passed(v, now) => {
                            self.phase = Phase::Prep
                        }
                        // An old expiry nobody is looking at.
                        Some(Verdict::Expired) if !remembered => self.phase = Phase::Prep,
                        // A fresh rejection (a reload a moment after it, before Cybrid has
                        // marked the customer rejected): the same screen as before the
                        // reload, never "start" beside it.
                        Some(verdict @ Verdict::Rejected { .. })
                            if last_change(v).is_some_and(|at| now < at + REJECTION_SETTLES) =>
                        {
                            self.adopt(v, fx);
                            self.conclude(now, v, verdict, fx);
                        }
                        // Rejected codes long ago while the customer is unverified: support
                        // has reset the customer, who may start again.
                        Some(Verdict::Rejected { .. }) => self.phase = Phase::Prep,
                        // A recent pass while the customer record is not `verified` yet (a
                        // reload while still checking, or another browser that never saw
                        // this one): confirm it against the customer record, never show
                        // "verified" on the verification alone, and never offer a second
                        // verification beside it. An older one is the case above.
                        Some(Verdict::Passed) => {
                            self.adopt(v, fx);
                            self.conclude(now, v, Verdict::Passed, fx);
                        }
                        // "Contact support" long ago while the customer is still unverified
                        // (not rejected): support has dealt with it, and the customer may
                        // start again, as after a rejection.
                        Some(Verdict::ContactSupport { .. })
                            if last_change(v).is_none_or(|at| now >= at + REJECTION_SETTLES) =>
                        {
                            self.phase = Phase::Prep
                        }
                        Some(verdict) => {
                            self.adopt(v, fx);
                            self.show_verdict(now, verdict, fx);
                        }
                        None => {
                            // A state this version does not know: follow it as a decision
                            // in progress.
                            self.adopt(v, fx);
                            self.phase = Phase::Checking { since: now };
                            self.poll_attempt = 0;
                            self.follow(now, v, fx);
                        }
                    }
                }
            },
        }
    }

    /// A look at the list while a verification is with the compliance team.
    fn on_review_list(&mut self, now: Millis, list: &[IdentityVerification], fx: &mut Vec<Effect>) {
        let Some(guid) = self.tracked.as_ref().map(|t| t.guid.clone()) else {
            return self.fall_back_to_list(fx);
        };
        let followed = list.iter().find(|v| v.guid == guid);
        if let Some(v) = list.iter().find(|v| open_document_request(v, now)) {
            if !followed.is_some_and(|id| moots(id, v)) {
                return self.offer_documents(now, v, fx);
            }
        }
        match followed {
            Some(v) => {
                self.tracked = Some(Tracked::from(v));
                self.follow(now, v, fx);
            }
            // Not on the list's first page: look at it directly next time.
            None => self.poll_review(RequestKind::Verification, now, fx),
        }
    }

    /// Looks again with `request` under the review's slow pace (which has no deadline).
    fn poll_review(&mut self, request: RequestKind, now: Millis, fx: &mut Vec<Effect>) {
        self.poll(
            now,
            now,
            PollPolicy::REVIEW,
            request,
            Phase::StillChecking,
            fx,
        );
    }

    /// Offers a document request: never opened over the review screen unasked. The list is
    /// looked at again meanwhile, as the review may end without it.
    fn offer_documents(&mut self, now: Millis, v: &IdentityVerification, fx: &mut Vec<Effect>) {
        self.adopt(v, fx);
        self.phase = Phase::Paused;
        self.poll_review(RequestKind::ListVerifications, now, fx);
    }

    /// Starts following `v`, remembering it across reloads.
    fn adopt(&mut self, v: &IdentityVerification, fx: &mut Vec<Effect>) {
        if self.tracked.as_ref().is_none_or(|t| t.guid != v.guid) {
            self.poll_attempt = 0;
        }
        self.tracked = Some(Tracked::from(v));
        if self.starting {
            self.starting = false;
            fx.push(Effect::MarkStarting(false));
        }
        if self.remembered.as_deref() != Some(v.guid.as_str()) {
            self.remembered = Some(v.guid.clone());
            fx.push(Effect::Remember(v.guid.clone()));
        }
    }

    /// A document request sent (or no longer open): its result is not the customer's. Back
    /// to the review it was asked for, found out as a page load does.
    fn back_to_review(&mut self, fx: &mut Vec<Effect>) {
        self.stop_following_phone(fx);
        self.phase = Phase::Listing(ListPurpose::Load);
        self.send(RequestKind::ListVerifications, fx)
    }

    /// Decides what to do with the latest view of the followed verification.
    fn follow(&mut self, now: Millis, v: &IdentityVerification, fx: &mut Vec<Effect>) {
        let tracked = Tracked::from(v);
        if tracked.documents_done(now) {
            return self.back_to_review(fx);
        }
        if let Some(found) = verdict(v) {
            return self.conclude(now, v, found, fx);
        }
        match &self.phase {
            // After Persona: keep polling for the decision.
            Phase::Checking { since } => {
                let since = *since;
                self.poll(
                    now,
                    since,
                    PollPolicy::RESULT,
                    RequestKind::Verification,
                    Phase::StillChecking,
                    fx,
                );
            }
            _ if tracked.submitted() || tracked.deciding() => {
                // Finished in Persona, decision pending: follow it, never reopen it.
                let since = match &self.phase {
                    Phase::Checking { since } => *since,
                    _ => {
                        self.poll_attempt = 0;
                        now
                    }
                };
                self.phase = Phase::Checking { since };
                self.poll(
                    now,
                    since,
                    PollPolicy::RESULT,
                    RequestKind::Verification,
                    Phase::StillChecking,
                    fx,
                );
            }
            Phase::Rechecking { problem } if tracked.inquiry_id.is_some() => {
                let problem = problem.clone();
                match problem {
                    _ if !tracked.resumable(now) => self.phase = Phase::Outcome(Screen::Expired),
                    Some(problem) => self.phase = Phase::Problem(problem),
                    None => {
                        self.phase = Phase::RequestingSession;
                        self.send(RequestKind::PersonaSession, fx);
                    }
                }
            }
            Phase::Review { .. } => {
                // Back from review into something unfinished: follow it as a decision.
                self.phase = Phase::Checking { since: now };
                self.poll_attempt = 0;
                self.poll(
                    now,
                    now,
                    PollPolicy::RESULT,
                    RequestKind::Verification,
                    Phase::StillChecking,
                    fx,
                );
            }
            _ if tracked.inquiry_id.is_some() && tracked.resumable(now) => {
                if tracked.needs_session_token() {
                    self.phase = Phase::RequestingSession;
                    self.send(RequestKind::PersonaSession, fx);
                } else {
                    self.launch(None, fx);
                }
            }
            _ if tracked.inquiry_id.is_some() && tracked.state != VerificationState::Storing => {
                // The inquiry exists but its time is up: a new verification is needed.
                self.phase = Phase::Outcome(Screen::Expired);
            }
            _ => {
                if let Phase::WaitingForInquiry { since } = self.phase {
                    self.poll(
                        now,
                        since,
                        PollPolicy::INQUIRY,
                        RequestKind::Verification,
                        Phase::StillPreparing,
                        fx,
                    );
                } else {
                    // Starting to wait: look at once, the inquiry may already be there.
                    self.poll_attempt = 0;
                    self.phase = Phase::WaitingForInquiry { since: now };
                    self.send(RequestKind::Verification, fx);
                }
            }
        }
    }

    /// A finished verification (or one under review).
    fn conclude(
        &mut self,
        now: Millis,
        v: &IdentityVerification,
        found: Verdict,
        fx: &mut Vec<Effect>,
    ) {
        self.stop_following_phone(fx);
        match found {
            Verdict::Review { reasons } if v.state == VerificationState::Reviewing => {
                if !matches!(self.phase, Phase::Review { .. }) {
                    self.poll_attempt = 0;
                }
                self.phase = Phase::Review { reasons };
                // The whole list, not just this verification: compliance may ask for a
                // document meanwhile, as a new verification beside it.
                self.poll_review(RequestKind::ListVerifications, now, fx);
            }
            Verdict::Expired => self.phase = Phase::Outcome(Screen::Expired),
            // Confirm against the customer record: a pass must reach `verified`, and a
            // failure's next step depends on whether the customer was rejected.
            verdict => {
                self.phase = Phase::Confirming {
                    since: now,
                    verdict: Some(verdict),
                };
                self.poll_attempt = 0;
                self.send(RequestKind::Customer, fx);
            }
        }
    }

    /// Shows a verdict the customer record has not overridden.
    fn show_verdict(&mut self, now: Millis, verdict: Verdict, fx: &mut Vec<Effect>) {
        self.phase = Phase::Outcome(match verdict {
            Verdict::Passed => Screen::Verified,
            Verdict::Expired => Screen::Expired,
            Verdict::Retry { reasons, tips } => Screen::Retry { reasons, tips },
            Verdict::Rejected { reasons } => Screen::Rejected { reasons },
            Verdict::ContactSupport { reasons } => Screen::ContactSupport { reasons },
            Verdict::Review { reasons } => {
                self.phase = Phase::Review { reasons };
                self.poll_attempt = 0;
                let request = match self.tracked.as_ref().map(|t| &t.state) {
                    Some(VerificationState::Reviewing) => RequestKind::ListVerifications,
                    _ => RequestKind::Customer,
                };
                return self.poll_review(request, now, fx);
            }
        });
    }

    /// Opens Persona on the followed inquiry.
    fn launch(&mut self, session_token: Option<Secret>, fx: &mut Vec<Effect>) {
        let Some(inquiry_id) = self.tracked.as_ref().and_then(|t| t.inquiry_id.clone()) else {
            return self.fall_back_to_list(fx);
        };
        self.phase = Phase::Capture {
            ready: false,
            on_phone: false,
        };
        fx.push(Effect::LaunchPersona {
            inquiry_id,
            session_token,
            language: self.language.clone(),
        });
        self.launches = self.launches.wrapping_add(1);
        let id = TimerId(u32::MAX - self.launches);
        self.ready_timer = Some(id);
        fx.push(Effect::StartTimer {
            id,
            ms: PERSONA_READY_LIMIT_MS,
        });
    }

    /// Makes a (new) code and starts following the phone.
    fn start_handoff(&mut self, fx: &mut Vec<Effect>) {
        self.timer = None;
        self.phone_since = None;
        if self.in_flight == Some(RequestKind::HandoffStatus) {
            self.stale_statuses += 1;
        }
        if !self.following_phone {
            self.following_phone = true;
            fx.push(Effect::MarkHandoff(true));
            let from = std::mem::replace(&mut self.phase, Phase::Prep);
            self.handed_off_from =
                matches!(from, Phase::Paused | Phase::Outcome(_) | Phase::Problem(_))
                    .then_some(from);
        }
        self.phase = Phase::Handoff {
            link: None,
            phone: PhoneProgress::WaitingForPhone,
        };
        self.send(RequestKind::Handoff, fx);
    }

    fn stop_following_phone(&mut self, fx: &mut Vec<Effect>) {
        if self.following_phone {
            self.following_phone = false;
            fx.push(Effect::MarkHandoff(false));
        }
    }

    /// What the phone is doing, as the backend tells the desktop.
    fn on_handoff_status(
        &mut self,
        now: Millis,
        code: HandoffCode,
        verification: Option<IdentityVerification>,
        fx: &mut Vec<Effect>,
    ) {
        if !matches!(self.phase, Phase::Handoff { .. }) {
            return;
        }
        if let Some(v) = &verification {
            self.adopt(v, fx);
            // The phone sent the document the review asked for.
            if Tracked::from(v).documents_done(now) {
                return self.back_to_review(fx);
            }
            if let Some(found) = verdict(v) {
                return self.conclude(now, v, found, fx);
            }
        }
        if code == HandoffCode::Active
            && matches!(self.phase, Phase::Handoff { link: None, .. })
            && self.in_flight.is_none()
        {
            // A reload of this screen: the code is still unused but its link was only ever
            // in the old page's memory. Make a new one to show (the old one stops working).
            return self.start_handoff(fx);
        }
        // Whether the phone has come is the code's to say; how far it got, the verification's.
        let progress = match (code, &verification) {
            (HandoffCode::Active, _) => PhoneProgress::WaitingForPhone,
            (HandoffCode::Used, Some(v)) if v.state == VerificationState::Pending => {
                PhoneProgress::InProgress
            }
            (HandoffCode::Used, _) => PhoneProgress::Connected,
            (HandoffCode::Expired | HandoffCode::None, _) => PhoneProgress::CodeExpired,
        };
        if let Phase::Handoff { phone, link } = &mut self.phase {
            *phone = progress;
            // A dead code's link and picture would only fail on the phone.
            if progress == PhoneProgress::CodeExpired {
                *link = None;
            }
        }
        let with_phone = matches!(
            progress,
            PhoneProgress::Connected | PhoneProgress::InProgress
        );
        let since = *self.phone_since.get_or_insert(now);
        if !with_phone {
            self.phone_since = None;
        }
        let pace = if with_phone && now - since >= HANDOFF_SLOW_AFTER {
            HANDOFF_SLOW_POLL_MS
        } else {
            HANDOFF_POLL_MS
        };
        if progress != PhoneProgress::CodeExpired {
            self.later(RequestKind::HandoffStatus, pace, fx);
        }
    }

    fn on_persona_error(&mut self, code: PersonaErrorCode, fx: &mut Vec<Effect>) {
        if code == PersonaErrorCode::Unauthenticated && self.token_refusals == 0 {
            // The inquiry wants a (new) session token: get one and try once more.
            self.token_refusals += 1;
            self.phase = Phase::RequestingSession;
            self.send(RequestKind::PersonaSession, fx);
        } else {
            self.phase = Phase::Problem(Problem::Persona(code));
        }
    }

    fn on_failure(&mut self, request: RequestKind, error: HttpError, fx: &mut Vec<Effect>) {
        if error.is_auth() {
            if matches!(self.phase, Phase::Capture { .. }) {
                fx.push(Effect::DestroyPersona);
            }
            self.timer = None;
            self.phase = Phase::SessionEnded;
            return;
        }
        if request == RequestKind::CreateVerification {
            return self.on_create_failure(&error, fx);
        }
        // Offline failures do not count: the request goes again when the browser is back.
        if !self.online && error.is_transient() {
            return self.later(request, RetryPolicy::HTTP.max_ms, fx);
        }
        if matches!(error, HttpError::Status { status: 404, .. })
            && request == RequestKind::Verification
        {
            // The followed verification is gone (or not this customer's): start afresh.
            self.tracked = None;
            self.remembered = None;
            fx.push(Effect::Forget);
            self.phase = Phase::Listing(ListPurpose::Load);
            return self.send(RequestKind::ListVerifications, fx);
        }
        if let (RequestKind::PersonaSession, HttpError::Status { status, .. }) = (request, &error) {
            if !error.is_transient() {
                // The inquiry may have expired or finished elsewhere: look at it again.
                self.phase = Phase::Rechecking {
                    problem: Some(Problem::Server { status: *status }),
                };
                return self.send(RequestKind::Verification, fx);
            }
        }
        if error.is_transient() && self.failures + 1 < RetryPolicy::HTTP.max_attempts {
            self.failures += 1;
            let delay = RetryPolicy::HTTP.delay_ms(self.failures, error.retry_after_ms());
            return self.later(request, delay, fx);
        }
        self.failures = 0;
        // Watching in the background (a review that can take days, a document request, the
        // phone): an outage is waited out at the slowest pace, the screen left as it is.
        if error.is_transient()
            && request != RequestKind::Handoff
            && matches!(
                self.phase,
                Phase::Review { .. } | Phase::Paused | Phase::Handoff { .. }
            )
        {
            return self.later(request, PollPolicy::REVIEW.max_ms, fx);
        }
        // Any status is an answer: the service failed, not the customer's connection.
        self.phase = Phase::Problem(match error {
            HttpError::Status { status, .. } => Problem::Server { status },
            _ => Problem::Network,
        });
    }

    /// A create that failed may still have created the verification: list before creating
    /// again, and stop after a few attempts.
    fn on_create_failure(&mut self, error: &HttpError, fx: &mut Vec<Effect>) {
        if let HttpError::Status { status: 422, .. } = error {
            // Refused for the customer's state: verified, rejected or frozen meanwhile (in
            // another tab, on the phone, by compliance). Sent again it would only be refused
            // again: the customer record says which outcome to show.
            self.create_attempts = 0;
            self.create_refused = true;
            if self.starting {
                self.starting = false;
                fx.push(Effect::MarkStarting(false));
            }
            self.phase = Phase::Loading;
            return self.send(RequestKind::Customer, fx);
        }
        if !self.online && error.is_transient() {
            // Offline: does not count as an attempt.
            self.create_attempts = self.create_attempts.saturating_sub(1);
        }
        if self.create_attempts >= MAX_CREATE_ATTEMPTS {
            self.create_attempts = 0;
            self.phase = Phase::Problem(match error {
                HttpError::Status { status, .. } => Problem::Server { status: *status },
                _ => Problem::Network,
            });
            return;
        }
        self.phase = Phase::Listing(ListPurpose::Start);
        let delay = RetryPolicy::HTTP.delay_ms(self.create_attempts, error.retry_after_ms());
        self.later(RequestKind::ListVerifications, delay, fx);
    }

    fn on_user(&mut self, now: Millis, action: UserAction, fx: &mut Vec<Effect>) {
        // A look at the list while a document request is offered runs in the background:
        // the customer's tap goes first (its answer is then dropped).
        let busy = self.in_flight.is_some()
            && !(self.in_flight == Some(RequestKind::ListVerifications)
                && matches!(self.phase, Phase::Paused));
        match (action, &self.phase) {
            (
                UserAction::Start,
                Phase::Prep
                | Phase::Outcome(Screen::Retry { .. })
                | Phase::Outcome(Screen::Expired),
            ) if !busy => {
                self.create_attempts = 0;
                fx.push(Effect::Notify(HostEvent::Started));
                if !self.starting {
                    self.starting = true;
                    fx.push(Effect::MarkStarting(true));
                }
                self.phase = Phase::Listing(ListPurpose::Start);
                self.send(RequestKind::ListVerifications, fx);
            }
            (UserAction::Resume, Phase::Paused | Phase::Problem(Problem::Persona(_)))
            | (UserAction::Resume, Phase::Problem(Problem::PersonaUnavailable))
                if !busy =>
            {
                self.token_refusals = 0;
                match &self.tracked {
                    Some(t) if t.resumable(now) => {
                        self.phase = Phase::RequestingSession;
                        self.send(RequestKind::PersonaSession, fx);
                    }
                    Some(_) => {
                        // Maybe expired: look at it again and go from there.
                        self.phase = Phase::Rechecking { problem: None };
                        self.send(RequestKind::Verification, fx);
                    }
                    None => self.fall_back_to_list(fx),
                }
            }
            (UserAction::StartOver, Phase::Paused) => self.phase = Phase::Prep,
            (UserAction::KeepWaiting, Phase::StillPreparing) => {
                self.poll_attempt = 0;
                match self.tracked {
                    Some(_) => {
                        self.phase = Phase::WaitingForInquiry { since: now };
                        self.send(RequestKind::Verification, fx);
                    }
                    None => {
                        self.phase = Phase::Confirming {
                            since: now,
                            verdict: None,
                        };
                        self.send(RequestKind::Customer, fx);
                    }
                }
            }
            (UserAction::KeepWaiting, Phase::StillChecking) => {
                self.poll_attempt = 0;
                self.phase = Phase::Checking { since: now };
                self.send(RequestKind::Verification, fx);
            }
            (UserAction::Retry, Phase::Problem(_) | Phase::SessionEnded) => {
                let remembered = self.remembered.clone();
                let handoff = self.following_phone;
                let starting = self.starting;
                self.handle(
                    now,
                    Event::AppStarted {
                        remembered,
                        handoff,
                        starting,
                    },
                    fx,
                );
            }
            // Also from "try again" and "expired": a retry's tips may say to use a phone
            // camera. (The server never reports the verification concluded there as the
            // phone's: it is older than the code.)
            (
                UserAction::ContinueOnPhone,
                Phase::Prep
                | Phase::Paused
                | Phase::Problem(Problem::PersonaUnavailable)
                | Phase::Outcome(Screen::Retry { .. })
                | Phase::Outcome(Screen::Expired),
            ) if !busy => self.start_handoff(fx),
            // A look at the phone's progress may be on its way (one every two seconds): the
            // tap still counts, and that answer is no longer awaited.
            // Not while a phone is using the code: a new one would end its session.
            (
                UserAction::NewCode,
                Phase::Handoff {
                    phone: PhoneProgress::WaitingForPhone | PhoneProgress::CodeExpired,
                    ..
                },
            ) if self.in_flight != Some(RequestKind::Handoff) => self.start_handoff(fx),
            (
                UserAction::UseThisDevice,
                Phase::Handoff {
                    phone: PhoneProgress::WaitingForPhone | PhoneProgress::CodeExpired,
                    ..
                },
            ) => {
                self.timer = None;
                match self.in_flight.take() {
                    Some(RequestKind::Handoff) => self.stale_mints += 1,
                    Some(RequestKind::HandoffStatus) => self.stale_statuses += 1,
                    _ => {}
                }
                self.stop_following_phone(fx);
                self.phase = self.handed_off_from.take().unwrap_or(Phase::Prep);
                // A document request offered during a review: the review is watched again
                // (the handoff stopped that), as when Persona's window closes.
                if self.phase == Phase::Paused && self.tracked.as_ref().is_some_and(|t| t.documents)
                {
                    self.poll_attempt = 0;
                    self.poll_review(RequestKind::ListVerifications, now, fx);
                }
            }
            // The phone came but went quiet (its battery, its camera): take the verification
            // back here, wherever it stands, found out as a page load does (the customer
            // record first: the phone may have just finished).
            (UserAction::UseThisDevice, Phase::Handoff { .. }) => {
                self.stop_following_phone(fx);
                let remembered = self.remembered.clone();
                self.handle(
                    now,
                    Event::AppStarted {
                        remembered,
                        handoff: false,
                        starting: false,
                    },
                    fx,
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
