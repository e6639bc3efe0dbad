//! The words the machine and the shell exchange: requests, errors, timers, the customer's
//! actions, events in and effects out, and what the host page hears.

use super::*;

/// A string that must never be logged: `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Which request an answer is for. The flow numbers each request it makes (never the same
/// number twice in a page's life) and takes an answer only for the one it awaits: an answer
/// to a request it gave up on is dropped, with no guess from the kind of answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestId(pub u32);

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
    /// `POST /handoff/revoke`: ends the phone's session; answered with a new code.
    HandoffRevoke,
    /// `POST /handoff/cancel`: ends an unused code. Never awaited.
    HandoffCancel,
    /// `GET /session` again, only to renew the session's idle timeout ("Stay here").
    KeepAlive,
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

    pub(super) fn retry_after_ms(&self) -> Option<u32> {
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
    /// The `code` as Persona's SDK writes it, or `None` for one this app does not know
    /// ([`PersonaErrorCode::Other`]).
    pub fn known(&self) -> Option<&'static str> {
        Some(match self {
            PersonaErrorCode::ApplicationError => "application_error",
            PersonaErrorCode::InvalidConfig => "invalid_config",
            PersonaErrorCode::Unauthenticated => "unauthenticated",
            PersonaErrorCode::InactiveTemplate => "inactive_template",
            PersonaErrorCode::Other(_) => return None,
        })
    }

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

/// Which timer fired: one id space, in which each kind of timer says what it is for, so
/// two kinds can never be taken for each other. A timer from an earlier state is ignored
/// when it fires (its generation is not the flow's latest, or nothing is due).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimerId {
    /// The next request of a poll or a backoff, by generation (each new one replaces the
    /// one before).
    Request(u32),
    /// The watch on Persona's `ready` after the launch of that number.
    PersonaReady(u32),
    /// The replacement of the shown handoff code before it lapses; told from an older
    /// code's by [`Flow`](super::Flow)'s due time.
    HandoffRefresh,
    /// The warning before the session's idle end; told from an older one's by the flow's
    /// latest request time.
    IdleWarning,
}

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
    Error(HostError),
}

/// Why the flow stopped, as a host page hears it (`docs/events.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostError {
    /// The backend could not be reached.
    Network,
    /// The backend answered with an error the flow cannot work around.
    Server,
    /// Persona reported this error.
    Persona(PersonaErrorCode),
    /// Persona's script did not load.
    PersonaUnavailable,
    /// The customer record is in a state this version does not know.
    UnknownCustomerState,
    /// The session ended.
    SessionEnded,
}

impl HostError {
    /// The stable `code` the host page receives: `network`, `server`, `persona_<code>`
    /// (`persona_unknown` for a code this app does not know), `persona_unavailable`,
    /// `unknown_customer_state` or `session_ended`.
    pub fn code(&self) -> String {
        match self {
            HostError::Network => "network".to_owned(),
            HostError::Server => "server".to_owned(),
            HostError::Persona(code) => format!("persona_{}", code.known().unwrap_or("unknown")),
            HostError::PersonaUnavailable => "persona_unavailable".to_owned(),
            HostError::UnknownCustomerState => "unknown_customer_state".to_owned(),
            HostError::SessionEnded => "session_ended".to_owned(),
        }
    }
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
    /// "This isn't my phone": end the phone's session and show a new code.
    NotMyPhone,
    /// "Send the document again" after one compliance asked for could not be used.
    SendDocumentAgain,
    /// "Stay here" on the warning that the session is about to end.
    StayHere,
    /// The camera check ended: which of its checks passed (nothing the camera saw), for a
    /// later failure's advice to refer back to.
    CameraChecked(crate::core::rehearsal::Outcome),
    /// "Copy link" in an in-app browser: a one-time link for the customer's own browser.
    LinkForBrowser,
}

/// What came back for a request: its answer, read, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// `GET /session` answered.
    SessionLoaded {
        /// The customer the session is for.
        customer_guid: String,
        /// The server's clock when it answered, when it said.
        server_ms: Option<Millis>,
        /// How long the session lasts without a request, when the server said.
        idle_ms: Option<Millis>,
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
    /// `POST /handoff` answered.
    HandoffMinted {
        /// The path to put in the QR code, after the app's origin.
        path: String,
        /// When the code stops working.
        expires_ms: Option<Millis>,
        /// Its confirmation number.
        confirm: Option<String>,
    },
    /// `GET /handoff/status` answered.
    HandoffStatus {
        /// What became of the code.
        code: HandoffCode,
        /// The verification the phone works on, if any.
        verification: Option<IdentityVerification>,
        /// The phone that came ("Chrome on Android").
        phone: Option<String>,
    },
    /// `POST /handoff/cancel` answered (nothing waits on it).
    HandoffCancelled,
    /// The request failed.
    Failed(HttpError),
}

/// Something that happened.
// An answer is the large variant: events pass one at a time through the shell's queue, so
// boxing it would only add an allocation (and code in the first load).
#[allow(clippy::large_enum_variant)]
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
    /// The answer to the request `id` (or why it failed).
    Answered(RequestId, Answer),
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
    /// The customer switched language: Persona opens in it from now on.
    Language(Lang),
    /// One of Persona's `onEvent` events, by name (no metadata).
    PersonaEvent {
        /// The event's name, such as `one-time-link-sent`.
        name: String,
    },
    /// The customer did something.
    User(UserAction),
    /// The write of `Effect::FinishCopy` ended: whether the link is on the clipboard.
    LinkCopied(bool),
}

/// A request to the backend, with what it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `GET /session`.
    FetchSession,
    /// `GET /session` only to renew the session ("Stay here").
    KeepAlive,
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
    /// `POST /handoff`.
    MintHandoff,
    /// `GET /handoff/status`.
    FetchHandoffStatus,
    /// `POST /handoff/revoke`.
    RevokeHandoff,
    /// `POST /handoff/cancel`, not awaited.
    CancelHandoff,
}

impl Request {
    /// Which call this is.
    pub fn kind(&self) -> RequestKind {
        match self {
            Request::FetchSession => RequestKind::Session,
            Request::KeepAlive => RequestKind::KeepAlive,
            Request::FetchCustomer { .. } => RequestKind::Customer,
            Request::ListVerifications { .. } => RequestKind::ListVerifications,
            Request::CreateVerification(_) => RequestKind::CreateVerification,
            Request::FetchVerification { .. } => RequestKind::Verification,
            Request::RequestSessionToken(_) => RequestKind::PersonaSession,
            Request::MintHandoff => RequestKind::Handoff,
            Request::FetchHandoffStatus => RequestKind::HandoffStatus,
            Request::RevokeHandoff => RequestKind::HandoffRevoke,
            Request::CancelHandoff => RequestKind::HandoffCancel,
        }
    }
}

/// Something the shell must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Make this request; its answer comes back as `Event::Answered(id, ..)`.
    Send(RequestId, Request),
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
        /// The page's language (Persona gets its [`Lang::persona_locale`]).
        language: Lang,
    },
    /// Destroy the Persona client, its iframe and its callbacks.
    DestroyPersona,
    /// Keep this verification guid for a reload (never a token, never personal data).
    Remember(String),
    /// Drop the remembered verification guid.
    Forget,
    /// Note for a reload that this device follows a phone (or no longer does).
    MarkHandoff(bool),
    /// Note for a reload that the customer asked to start (or that a verification was taken
    /// up since): a reload then carries on instead of asking again.
    MarkStarting(bool),
    /// Tell the page that embeds or opened the app (never personal data or tokens).
    Notify(HostEvent),
    /// Switch to this screen.
    Show(Screen),
    /// Start writing to the clipboard now, inside the customer's tap (browsers allow it only
    /// there); what to write follows with `FinishCopy`.
    StartCopy,
    /// Finish the write started with `StartCopy`: this link (on the page's origin), or
    /// nothing when none could be made. Answered by `Event::LinkCopied`.
    FinishCopy(Option<BrowserLink>),
}
