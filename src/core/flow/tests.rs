//! Scenario tests of the flow, each asserting the exact effects, and a property test.

use super::*;
use crate::core::api::{parse, ComplianceCheck, ComplianceOutcome, PersonaState};
use crate::core::time::format_rfc3339;

mod browser_link;
mod business;
mod camera_check;
mod documents;
mod handoff;
mod outcomes;
mod session_end;

const CUSTOMER: &str = "cust_1";
const IV: &str = "iv_1";
const INQUIRY: &str = "inq_1";
/// 2026-11-23T10:00:00Z, when the tests' verifications are created.
const T0: Millis = 1_795_428_000_000;

/// Drives a flow like the shell does, keeping the time. What the flow tells the host page
/// is set aside in `notified`, and its notes of a pending start in `starting_marks`, so the
/// scenarios below read as the flow's own work.
///
/// Requests are answered as a server does, in the order they went: an answer a test sends
/// goes to the oldest unanswered request it can answer (so an answer to a request the flow
/// gave up on comes first, and is dropped). The effects a test sees carry [`SENT`] for
/// every request's id, as the ids are the harness's business.
struct Harness {
    flow: Flow,
    now: Millis,
    notified: Vec<HostEvent>,
    starting_marks: Vec<bool>,
    /// Requests made and not answered yet, oldest first.
    unanswered: Vec<(RequestId, RequestKind)>,
}

/// The id the effects a test sees carry for every request (the flow numbers from 1).
const SENT: RequestId = RequestId(0);

/// A request the flow makes, as a test sees it.
fn sent(request: Request) -> Effect {
    Effect::Send(SENT, request)
}

/// What a test sends the flow.
enum Input {
    /// Anything but an answer.
    Event(Event),
    /// An answer, to the oldest request it can answer.
    Answer(Answer),
    /// A failure of the oldest request of this kind.
    Failure(RequestKind, HttpError),
}

impl From<Event> for Input {
    fn from(event: Event) -> Self {
        Input::Event(event)
    }
}

impl From<Answer> for Input {
    fn from(answer: Answer) -> Self {
        Input::Answer(answer)
    }
}

#[allow(non_snake_case)]
fn Failure(request: RequestKind, error: HttpError) -> Input {
    Input::Failure(request, error)
}

/// Whether `answer` can be the answer to a request of `kind`.
fn answers(answer: &Answer, kind: RequestKind) -> bool {
    match answer {
        Answer::SessionLoaded { .. } => {
            matches!(kind, RequestKind::Session | RequestKind::KeepAlive)
        }
        Answer::CustomerLoaded(_) => kind == RequestKind::Customer,
        Answer::VerificationsListed(_) => kind == RequestKind::ListVerifications,
        Answer::VerificationCreated(_) => kind == RequestKind::CreateVerification,
        Answer::VerificationPolled(_) => kind == RequestKind::Verification,
        Answer::SessionTokenReceived(_) => kind == RequestKind::PersonaSession,
        Answer::HandoffMinted { .. } => {
            matches!(kind, RequestKind::Handoff | RequestKind::HandoffRevoke)
        }
        Answer::HandoffStatus { .. } => kind == RequestKind::HandoffStatus,
        Answer::HandoffCancelled => kind == RequestKind::HandoffCancel,
        Answer::Failed(_) => true,
    }
}

impl Harness {
    fn new() -> Self {
        Harness {
            flow: Flow::new(Lang::En),
            now: T0,
            notified: Vec::new(),
            starting_marks: Vec::new(),
            unanswered: Vec::new(),
        }
    }

    /// The oldest unanswered request `fits`, taken off the list; an id never given out if
    /// none is (its answer is dropped).
    fn answering(&mut self, fits: impl Fn(RequestKind) -> bool) -> RequestId {
        match self.unanswered.iter().position(|(_, kind)| fits(*kind)) {
            Some(i) => self.unanswered.remove(i).0,
            None => RequestId(u32::MAX),
        }
    }

    fn send(&mut self, input: impl Into<Input>) -> Vec<Effect> {
        let event = match input.into() {
            Input::Event(event) => event,
            Input::Answer(answer) => {
                // A list reaches the app as the server gives it: newest first, whatever
                // order the test wrote it in (the server's rule, `newest_first`, tested
                // there).
                let answer = match answer {
                    Answer::VerificationsListed(mut list) => {
                        newest_first(&mut list);
                        Answer::VerificationsListed(list)
                    }
                    other => other,
                };
                let id = self.answering(|kind| answers(&answer, kind));
                Event::Answered(id, answer)
            }
            Input::Failure(request, error) => Event::Answered(
                self.answering(|kind| kind == request),
                Answer::Failed(error),
            ),
        };
        let (flow, fx) = step(self.flow.clone(), self.now, event);
        self.flow = flow;
        fx.into_iter()
            .filter_map(|e| match e {
                Effect::Notify(event) => {
                    self.notified.push(event);
                    None
                }
                Effect::MarkStarting(on) => {
                    self.starting_marks.push(on);
                    None
                }
                Effect::Send(id, request) => {
                    self.unanswered.push((id, request.kind()));
                    Some(sent(request))
                }
                other => Some(other),
            })
            .collect()
    }

    fn advance(&mut self, ms: Millis) -> &mut Self {
        self.now += ms;
        self
    }

    /// Page load up to the answer of the verification list.
    fn loaded(&mut self, remembered: Option<&str>, list: Vec<IdentityVerification>) -> Vec<Effect> {
        self.signed_in(remembered);
        assert_eq!(
            self.send(Answer::CustomerLoaded(customer("unverified"))),
            [list_verifications()]
        );
        self.send(Answer::VerificationsListed(list))
    }

    /// Page load up to the session's answer: the customer record is asked for next.
    fn signed_in(&mut self, remembered: Option<&str>) {
        assert_eq!(
            self.send(Event::AppStarted {
                remembered: remembered.map(str::to_owned),
                handoff: false,
                starting: false,
            }),
            [sent(Request::FetchSession)]
        );
        assert_eq!(
            self.send(Answer::SessionLoaded {
                customer_guid: CUSTOMER.into(),
                server_ms: None,
                idle_ms: None,
            }),
            [fetch_customer()]
        );
    }

    /// From a fresh page to a new verification just created (still `storing`): the effects
    /// of its creation.
    fn created(&mut self) -> Vec<Effect> {
        assert_eq!(self.loaded(None, vec![]), [Effect::Show(Screen::Prep)]);
        self.send(Event::User(UserAction::Start));
        self.send(Answer::VerificationsListed(vec![]));
        self.send(Answer::VerificationCreated(verification("storing", None)))
    }

    /// Another harness carrying on from this one's flow and time, with nothing heard yet:
    /// for trying other ways forward from the same moment.
    fn fork(&self) -> Harness {
        Harness {
            flow: self.flow.clone(),
            now: self.now,
            notified: Vec::new(),
            starting_marks: Vec::new(),
            unanswered: self.unanswered.clone(),
        }
    }

    /// From a fresh page to Persona open on a new verification.
    fn open_capture(&mut self) {
        let fx = self.created();
        assert_eq!(fx[1], fetch_iv(), "the first look goes at once");
        let fx = self.send(Answer::VerificationPolled(verification(
            "waiting",
            Some(INQUIRY),
        )));
        assert_eq!(fx[0], launch(None));
        assert_eq!(
            self.send(Event::PersonaReady),
            [Effect::Show(Screen::Capture)]
        );
    }

    /// "Continue on your phone": the code is made and the first look at the phone is due.
    fn handing_off(&mut self) {
        self.send(Event::User(UserAction::ContinueOnPhone));
        self.send(Answer::HandoffMinted {
            path: "/handoff/c0de".into(),
            expires_ms: Some(T0 + 600_000),
            confirm: None,
        });
        self.send(Event::TimerFired(self.last_timer()));
    }

    fn last_timer(&self) -> TimerId {
        self.flow.requests.timer.expect("a timer is pending").0
    }
}

fn customer(state: &str) -> Customer {
    parse(&format!(
        r#"{{"guid":"{CUSTOMER}","type":"individual","created_at":"2026-01-01T00:00:00Z","state":"{state}"}}"#
    ))
    .unwrap()
}

fn verification_at(
    guid: &str,
    state: &str,
    inquiry: Option<&str>,
    created: Millis,
) -> IdentityVerification {
    let inquiry = inquiry.map_or("null".to_owned(), |i| format!("\"{i}\""));
    parse(&format!(
        r#"{{"guid":"{guid}","customer_guid":"{CUSTOMER}","type":"kyc","method":"id_and_selfie",
            "created_at":"{}","state":"{state}","outcome":null,"persona_inquiry_id":{inquiry},
            "persona_state":null,"failure_codes":[]}}"#,
        format_rfc3339(created)
    ))
    .unwrap()
}

fn verification(state: &str, inquiry: Option<&str>) -> IdentityVerification {
    verification_at(IV, state, inquiry, T0)
}

fn completed(outcome: &str, codes: &[&str]) -> IdentityVerification {
    let mut v = verification("completed", Some(INQUIRY));
    v.outcome = Some(crate::core::api::Outcome::parse(outcome));
    v.failure_codes = codes.iter().map(|c| FailureCode::parse(c)).collect();
    v
}

fn fetch_customer() -> Effect {
    sent(Request::FetchCustomer {
        customer_guid: CUSTOMER.into(),
    })
}

fn list_verifications() -> Effect {
    sent(Request::ListVerifications {
        customer_guid: CUSTOMER.into(),
    })
}

fn create() -> Effect {
    sent(Request::CreateVerification(
        PostIdentityVerification::kyc_id_and_selfie(CUSTOMER),
    ))
}

fn fetch_iv() -> Effect {
    sent(Request::FetchVerification { guid: IV.into() })
}

fn timer(id: u32, ms: u32) -> Effect {
    Effect::StartTimer {
        id: TimerId::Request(id),
        ms,
    }
}

/// The timer that replaces the shown code before it lapses.
fn refresh(ms: Millis) -> Effect {
    Effect::StartTimer {
        id: TimerId::HandoffRefresh,
        ms: ms as u32,
    }
}

/// A language read as the Persona locale it hands over (`language == "fr"`), so the
/// scenarios can say what Persona gets.
impl PartialEq<str> for Lang {
    fn eq(&self, locale: &str) -> bool {
        self.persona_locale() == locale
    }
}

fn launch(token: Option<&str>) -> Effect {
    Effect::LaunchPersona {
        inquiry_id: INQUIRY.into(),
        session_token: token.map(|t| Secret(t.into())),
        language: Lang::En,
    }
}

/// The watch on Persona's `ready` after the `n`th launch.
fn ready_watch(n: u32) -> Effect {
    Effect::StartTimer {
        id: TimerId::PersonaReady(n),
        ms: SLOW_WAIT_MS,
    }
}

fn session_request() -> Effect {
    sent(Request::RequestSessionToken(PostPersonaSession {
        persona_inquiry_id: INQUIRY.into(),
        identity_verification_guid: IV.into(),
    }))
}

fn token(value: &str) -> Answer {
    Answer::SessionTokenReceived(PersonaSession {
        persona_session_token: value.into(),
        persona_inquiry_id: INQUIRY.into(),
        identity_verification_guid: Some(IV.into()),
    })
}

fn failed(request: RequestKind, status: u16) -> Input {
    Failure(
        request,
        HttpError::Status {
            status,
            retry_after_ms: None,
            message_code: None,
        },
    )
}

fn paused() -> Screen {
    Screen::Paused { documents: None }
}

#[test]
fn happy_path_from_prep_to_verified() {
    let mut h = Harness::new();
    assert_eq!(
        h.send(Event::AppStarted {
            remembered: None,
            handoff: false,
            starting: false,
        }),
        [sent(Request::FetchSession)]
    );
    assert_eq!(
        h.send(Answer::SessionLoaded {
            customer_guid: CUSTOMER.into(),
            server_ms: None,
            idle_ms: None,
        }),
        [fetch_customer()]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [list_verifications()]
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![])),
        [Effect::Show(Screen::Prep)]
    );
    assert_eq!(
        h.send(Event::User(UserAction::Start)),
        [
            list_verifications(),
            Effect::Show(Screen::Preparing(PreparingStage::Looking))
        ]
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![])),
        [
            create(),
            Effect::Show(Screen::Preparing(PreparingStage::Creating))
        ]
    );
    assert_eq!(
        h.send(Answer::VerificationCreated(verification("storing", None))),
        [
            Effect::Remember(IV.into()),
            fetch_iv(),
            Effect::Show(Screen::Preparing(PreparingStage::WaitingForInquiry))
        ]
    );
    assert_eq!(
        h.send(Answer::VerificationPolled(verification("storing", None))),
        [timer(1, 150)]
    );
    h.advance(150);
    assert_eq!(h.send(Event::TimerFired(TimerId::Request(1))), [fetch_iv()]);
    assert_eq!(
        h.send(Answer::VerificationPolled(verification("storing", None))),
        [timer(2, 150)]
    );
    h.advance(150);
    assert_eq!(h.send(Event::TimerFired(TimerId::Request(2))), [fetch_iv()]);
    assert_eq!(
        h.send(Answer::VerificationPolled(verification(
            "waiting",
            Some(INQUIRY)
        ))),
        [
            launch(None),
            ready_watch(1),
            Effect::Show(Screen::Preparing(PreparingStage::OpeningCapture))
        ]
    );
    assert_eq!(h.send(Event::PersonaReady), [Effect::Show(Screen::Capture)]);
    assert_eq!(
        h.send(Event::PersonaCompleted {
            status: "completed".into()
        }),
        [
            Effect::DestroyPersona,
            fetch_iv(),
            Effect::Show(Screen::Checking(CheckingStage::Decision))
        ]
    );
    assert_eq!(
        h.send(Answer::VerificationPolled(verification(
            "pending",
            Some(INQUIRY)
        ))),
        [timer(3, 1000)]
    );
    assert_eq!(h.send(Event::TimerFired(TimerId::Request(3))), [fetch_iv()]);
    assert_eq!(
        h.send(Answer::VerificationPolled(completed("passed", &[]))),
        [
            fetch_customer(),
            Effect::Show(Screen::Checking(CheckingStage::Account))
        ]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [timer(4, 500)]
    );
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(4))),
        [fetch_customer()]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("verified"))),
        [Effect::Forget, Effect::Show(Screen::Verified)]
    );
    assert_eq!(
        h.notified,
        [
            HostEvent::Started,
            HostEvent::PersonaReady,
            HostEvent::PersonaCompleted {
                status: "completed".into()
            },
            HostEvent::Outcome(OutcomeKind::Verified)
        ]
    );
}

#[test]
fn the_host_hears_each_outcome_and_error_once() {
    let (mut h, _) = finish_with(completed("failed", &["id_quality_check_failure"]));
    h.send(Answer::CustomerLoaded(customer("unverified")));
    assert_eq!(
        h.notified.last(),
        Some(&HostEvent::Outcome(OutcomeKind::Retry))
    );
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: false,
    });
    for _ in 0..RetryPolicy::HTTP.max_attempts {
        h.send(failed(RequestKind::Session, 503));
        if let Some((id, _)) = h.flow.requests.timer {
            h.send(Event::TimerFired(id));
        }
    }
    assert_eq!(h.notified, [HostEvent::Error(HostError::Server)]);
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaErrored {
        code: PersonaErrorCode::InvalidConfig,
    });
    assert_eq!(
        h.notified.last(),
        Some(&HostEvent::Error(HostError::Persona(
            PersonaErrorCode::InvalidConfig
        )))
    );
    for (screen, kind) in [
        (Screen::Review { reasons: vec![] }, "outcome"),
        (Screen::Frozen, "outcome"),
        (Screen::SessionEnded, "error"),
    ] {
        assert_eq!(screen.host_event().unwrap().kind(), kind);
    }
    assert_eq!(Screen::Prep.host_event(), None);
}

#[test]
fn codes_read_back_as_they_are_written() {
    for code in [
        HandoffCode::Active,
        HandoffCode::Used,
        HandoffCode::Expired,
        HandoffCode::None,
    ] {
        assert_eq!(HandoffCode::parse(code.as_str()), code);
    }
    assert_eq!(HandoffCode::parse("revoked"), HandoffCode::None);
    for code in [
        PersonaErrorCode::ApplicationError,
        PersonaErrorCode::InvalidConfig,
        PersonaErrorCode::Unauthenticated,
        PersonaErrorCode::InactiveTemplate,
    ] {
        assert_eq!(PersonaErrorCode::parse(code.known().unwrap()), code);
    }
    let other = PersonaErrorCode::parse("rate_limited");
    assert_eq!(other, PersonaErrorCode::Other("rate_limited".into()));
    assert_eq!(other.known(), None);
}

/// Every error code a host page can hear is one `docs/events.md` lists, spelled as there.
#[test]
fn host_error_codes_are_the_documented_ones() {
    let documented = include_str!("../../../docs/events.md")
        .lines()
        .find(|line| line.starts_with("| `error` |"))
        .expect("the error row of docs/events.md");
    let codes = [
        (HostError::Network, "network"),
        (HostError::Server, "server"),
        (
            HostError::Persona(PersonaErrorCode::ApplicationError),
            "persona_application_error",
        ),
        (
            HostError::Persona(PersonaErrorCode::InvalidConfig),
            "persona_invalid_config",
        ),
        (
            HostError::Persona(PersonaErrorCode::Unauthenticated),
            "persona_unauthenticated",
        ),
        (
            HostError::Persona(PersonaErrorCode::InactiveTemplate),
            "persona_inactive_template",
        ),
        (
            HostError::Persona(PersonaErrorCode::Other("rate_limited".into())),
            "persona_unknown",
        ),
        (HostError::PersonaUnavailable, "persona_unavailable"),
        (HostError::UnknownCustomerState, "unknown_customer_state"),
        (HostError::SessionEnded, "session_ended"),
    ];
    for (error, code) in codes {
        assert_eq!(error.code(), code);
        assert!(
            documented.contains(&format!("`{code}`")),
            "{code} is not in docs/events.md"
        );
    }
}

#[test]
fn a_language_switch_reaches_persona() {
    let mut h = Harness::new();
    h.send(Event::Language(Lang::FrCa));
    assert_eq!(h.loaded(None, vec![]), [Effect::Show(Screen::Prep)]);
    h.send(Event::User(UserAction::Start));
    h.send(Answer::VerificationsListed(vec![]));
    h.send(Answer::VerificationCreated(verification("storing", None)));
    let fx = h.send(Answer::VerificationPolled(verification(
        "waiting",
        Some(INQUIRY),
    )));
    assert!(matches!(&fx[0], Effect::LaunchPersona { language, .. } if language == "fr"));
}

#[test]
fn customer_state_decides_before_any_verification() {
    for (state, screen) in [
        ("verified", Screen::Verified),
        ("rejected", Screen::Rejected { reasons: vec![] }),
        ("frozen", Screen::Frozen),
        (
            "suspended",
            Screen::Problem(Problem::UnknownCustomerState("suspended".into())),
        ),
    ] {
        let mut h = Harness::new();
        h.send(Event::AppStarted {
            remembered: None,
            handoff: false,
            starting: false,
        });
        h.send(Answer::SessionLoaded {
            customer_guid: CUSTOMER.into(),
            server_ms: None,
            idle_ms: None,
        });
        let mut fx = h.send(Answer::CustomerLoaded(customer(state)));
        // A verified customer's list is read for a document request (seed 003); with none,
        // "You are verified", and no verification is made.
        if state == "verified" {
            assert_eq!(fx.last(), Some(&list_verifications()), "{state}");
            fx = h.send(Answer::VerificationsListed(vec![]));
        }
        assert_eq!(fx.last(), Some(&Effect::Show(screen)), "{state}");
        assert!(
            !fx.iter().any(|e| matches!(
                e,
                Effect::Send(_, Request::ListVerifications { .. })
                    | Effect::Send(_, Request::CreateVerification(_))
            )),
            "{state}: no verification work"
        );
    }
}

#[test]
fn a_customer_still_being_created_is_polled() {
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: false,
    });
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: None,
    });
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("storing"))),
        [timer(1, 500)]
    );
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(1))),
        [fetch_customer()]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("storing"))),
        [timer(2, 1000)]
    );
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(2))),
        [fetch_customer()]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [list_verifications()]
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![])),
        [Effect::Show(Screen::Prep)]
    );
}

#[test]
fn resume_after_cancel_uses_a_new_session_token() {
    let mut h = Harness::new();
    h.open_capture();
    assert_eq!(
        h.send(Event::PersonaCancelled),
        [Effect::DestroyPersona, Effect::Show(paused())]
    );
    assert_eq!(
        h.send(Event::User(UserAction::Resume)),
        [
            session_request(),
            Effect::Show(Screen::Preparing(PreparingStage::Reconnecting))
        ]
    );
    assert_eq!(
        h.send(token("tok_new")),
        [
            launch(Some("tok_new")),
            ready_watch(2),
            Effect::Show(Screen::Preparing(PreparingStage::OpeningCapture))
        ]
    );
    assert_eq!(h.send(Event::PersonaReady), [Effect::Show(Screen::Capture)]);
    // Cancel again: the next resume asks for yet another token.
    h.send(Event::PersonaCancelled);
    assert_eq!(
        h.send(Event::User(UserAction::Resume))[0],
        session_request()
    );
}

#[test]
fn resume_after_reload_finds_the_pending_verification() {
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![verification("pending", Some(INQUIRY))]);
    assert_eq!(
        fx,
        [Effect::Show(paused())],
        "already remembered: nothing to store"
    );
    assert_eq!(
        h.send(Event::User(UserAction::Resume))[0],
        session_request()
    );
    assert_eq!(h.send(token("tok_2"))[0], launch(Some("tok_2")));
}

#[test]
fn another_device_can_resume_without_a_remembered_guid() {
    let mut h = Harness::new();
    let fx = h.loaded(None, vec![verification("pending", Some(INQUIRY))]);
    assert_eq!(fx, [Effect::Remember(IV.into()), Effect::Show(paused())]);
}

#[test]
fn start_reuses_the_verification_in_flight_instead_of_creating_one() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    // Created meanwhile on another device, already started there.
    let fx = h.send(Answer::VerificationsListed(vec![verification(
        "pending",
        Some(INQUIRY),
    )]));
    assert_eq!(
        fx,
        [
            Effect::Remember(IV.into()),
            session_request(),
            Effect::Show(Screen::Preparing(PreparingStage::Reconnecting))
        ]
    );
    // A waiting one opens with the inquiry alone.
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![verification(
        "waiting",
        Some(INQUIRY),
    )]));
    assert_eq!(fx[1], launch(None));
}

#[test]
fn a_reload_after_submitting_follows_the_decision_instead_of_reopening() {
    let mut submitted = verification("pending", Some(INQUIRY));
    submitted.persona_state = Some(PersonaState::Processing);
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![submitted.clone()]);
    assert_eq!(
        fx,
        [
            timer(1, 1000),
            Effect::Show(Screen::Checking(CheckingStage::Decision))
        ]
    );
    h.send(Event::TimerFired(TimerId::Request(1)));
    let fx = h.send(Answer::VerificationPolled(completed("passed", &[])));
    assert_eq!(fx[0], fetch_customer());
    // Pressing start meanwhile (another tab on the prep screen) never makes a second one.
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![submitted]));
    assert!(
        !fx.iter().any(|e| matches!(
            e,
            Effect::Send(_, Request::CreateVerification(_)) | Effect::LaunchPersona { .. }
        )),
        "{fx:?}"
    );
    assert_eq!(
        fx.last(),
        Some(&Effect::Show(Screen::Checking(CheckingStage::Decision)))
    );
}

#[test]
fn a_verification_stuck_in_storing_for_an_inquirys_life_is_not_reused() {
    let mut h = Harness::new();
    let stuck = || verification_at(IV, "storing", None, T0 - INQUIRY_LIFETIME);
    assert!(!can_carry_on(&stuck(), T0));
    assert!(
        can_carry_on(&stuck(), T0 - 1),
        "a moment younger, it is still being created"
    );
    let fx = h.loaded(None, vec![stuck()]);
    assert_eq!(fx, [Effect::Show(Screen::Prep)]);
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![stuck()]));
    assert_eq!(fx[0], create());
}

#[test]
fn only_finished_verifications_leave_room_for_another() {
    let day_old = T0 - INQUIRY_LIFETIME;
    let at = |state: &str, created| verification_at(IV, state, Some(INQUIRY), created);
    // In flight, or awaiting a decision: another would be a duplicate.
    for v in [
        at("storing", T0),
        at("waiting", T0),
        at("pending", T0),
        at("reviewing", T0),
        at("reviewing", day_old - 86_400_000), // a long review is still a review
        at("completed", T0),                   // its outcome not set yet
        at("escalated", T0),                   // a state this version does not know
        verification_at(IV, "waiting", None, T0), // its inquiry not there yet
        verification_at(IV, "pending", None, T0),
        // Older than Persona's default inquiry life: the platform, not a clock of the
        // app's own, says when it is over.
        at("waiting", day_old),
    ] {
        assert!(rules_out_another(&v, T0), "{:?}", v.state);
    }
    // A verdict the customer record has not caught up with yet (Cybrid marks the customer
    // verified or rejected a moment after the verification): the app shows it, and a second
    // tab or the phone must not start another beside it.
    let settling = |at: Millis| {
        let mut v = verification_at(IV, "completed", Some(INQUIRY), day_old - HOUR);
        v.updated_at = Some(format_rfc3339(at));
        v
    };
    for (outcome, code) in [
        ("failed", "selfie_failure"),        // rejected
        ("failed", "quantum_check_failure"), // contact support
    ] {
        let mut v = settling(T0 - REJECTION_SETTLES + 1);
        v.outcome = Some(crate::core::api::Outcome::parse(outcome));
        v.failure_codes = vec![FailureCode::parse(code)];
        assert!(rules_out_another(&v, T0), "{code}, a moment ago");
        v.updated_at = Some(format_rfc3339(T0 - REJECTION_SETTLES));
        assert!(!rules_out_another(&v, T0), "{code}, settled long ago");
    }
    assert!(rules_out_another(&completed("passed", &[]), T0));
    // Finished, expired, or stuck past an inquiry's life: a new one may be made.
    for v in [
        at("completed", day_old),
        completed("failed", &["id_check_failure"]),
        at("expired", T0),
        at("storing", day_old),
        at("completed", day_old),
        at("escalated", day_old),
        verification_at(IV, "waiting", None, day_old),
    ] {
        assert!(!rules_out_another(&v, T0), "{:?} {:?}", v.state, v.outcome);
    }
    // Only KYC verifications count.
    let mut other = at("reviewing", T0);
    other.kind = Some(crate::core::api::VerificationType::BankAccount);
    assert!(!rules_out_another(&other, T0));
}

#[test]
fn older_in_flight_verification_is_preferred_over_a_newer_finished_one() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    let mut newer = completed("failed", &["id_quality_check_failure"]);
    newer.guid = "iv_newer".into();
    newer.created_at = Some(format_rfc3339(T0 + 1_000));
    let fx = h.send(Answer::VerificationsListed(vec![
        newer,
        verification("waiting", Some(INQUIRY)),
    ]));
    assert_eq!(fx[1], launch(None), "no duplicate: {fx:?}");
}

#[test]
fn the_newest_in_flight_verification_is_carried_on_whatever_the_page_order() {
    let undated = || {
        let mut v = verification_at("iv_undated", "waiting", Some(INQUIRY), T0);
        v.created_at = None;
        v
    };
    let pages = [
        // Oldest first, newest first, and an undated one first: the newest dated one wins.
        vec![
            undated(),
            verification_at("iv_old", "waiting", Some(INQUIRY), T0),
            verification_at("iv_new", "waiting", Some(INQUIRY), T0 + 1_000),
        ],
        vec![
            verification_at("iv_new", "waiting", Some(INQUIRY), T0 + 1_000),
            undated(),
            verification_at("iv_old", "waiting", Some(INQUIRY), T0),
        ],
    ];
    for page in pages {
        let mut h = Harness::new();
        h.loaded(None, vec![]);
        h.send(Event::User(UserAction::Start));
        let fx = h.send(Answer::VerificationsListed(page));
        assert!(fx.contains(&Effect::Remember("iv_new".into())), "{fx:?}");
    }
    // With equal dates the page's order decides; an undated one only when it is alone.
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![
        verification_at("iv_first", "waiting", Some(INQUIRY), T0),
        verification_at("iv_second", "waiting", Some(INQUIRY), T0),
    ]));
    assert!(fx.contains(&Effect::Remember("iv_first".into())), "{fx:?}");
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![undated()]));
    assert!(
        fx.contains(&Effect::Remember("iv_undated".into())),
        "{fx:?}"
    );
}

/// Runs the flow to Persona's completion, then answers the verification poll with `result`.
fn finish_with(result: IdentityVerification) -> (Harness, Vec<Effect>) {
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaCompleted {
        status: "failed".into(),
    });
    let fx = h.send(Answer::VerificationPolled(result));
    (h, fx)
}

#[test]
fn retryable_failure_shows_reasons_and_matching_tips() {
    let (mut h, fx) = finish_with(completed(
        "failed",
        &["id_quality_check_failure", "id_double_side_check_failure"],
    ));
    assert_eq!(
        fx,
        [fetch_customer()],
        "the customer record is checked first"
    );
    let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
    assert_eq!(
        fx,
        [Effect::Show(Screen::Retry {
            reasons: vec![
                FailureCode::IdQualityCheckFailure,
                FailureCode::IdDoubleSideCheckFailure
            ],
            tips: vec![TipGroup::IdPhoto, TipGroup::Device],
            camera: None,
        })]
    );
    // Try again: list first, then a new verification.
    assert_eq!(
        h.send(Event::User(UserAction::Start))[0],
        list_verifications()
    );
    let fx = h.send(Answer::VerificationsListed(vec![completed(
        "failed",
        &["id_quality_check_failure"],
    )]));
    assert_eq!(fx[0], create());
}

#[test]
fn rejection_codes_end_on_the_support_screen() {
    let (mut h, _) = finish_with(completed("failed", &["selfie_failure"]));
    let fx = h.send(Answer::CustomerLoaded(customer("rejected")));
    assert_eq!(
        fx,
        [Effect::Show(Screen::Rejected {
            reasons: vec![FailureCode::SelfieFailure]
        })]
    );
    assert!(
        h.send(Event::User(UserAction::Start)).is_empty(),
        "no retry"
    );
}

#[test]
fn a_rejected_customer_overrides_a_retryable_verdict() {
    let (mut h, _) = finish_with(completed("failed", &["id_check_failure"]));
    let fx = h.send(Answer::CustomerLoaded(customer("rejected")));
    assert!(matches!(fx[..], [Effect::Show(Screen::Rejected { .. })]));
}

#[test]
fn unknown_codes_go_to_support_and_are_kept() {
    let (mut h, _) = finish_with(completed("failed", &["quantum_check_failure"]));
    let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
    assert_eq!(
        fx,
        [Effect::Show(Screen::ContactSupport {
            reasons: vec![FailureCode::Unknown("quantum_check_failure".into())]
        })]
    );
}

#[test]
fn review_waits_with_slow_polling_until_the_decision() {
    let mut reviewing = verification("reviewing", Some(INQUIRY));
    reviewing.failure_codes = vec![FailureCode::NameCheckFailure];
    let (mut h, fx) = finish_with(reviewing.clone());
    let review = Screen::Review {
        reasons: vec![FailureCode::NameCheckFailure],
    };
    assert_eq!(fx, [timer(1, 15_000), Effect::Show(review)]);
    h.advance(15_000);
    // The whole list: compliance may add a request beside the one under review.
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(1))),
        [list_verifications()]
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![reviewing.clone()])),
        [timer(2, 30_000)],
        "slower each time, same screen"
    );
    // A page that leaves it out: looked at directly, not taken for its end.
    h.send(Event::TimerFired(TimerId::Request(2)));
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![])),
        [timer(3, 60_000)]
    );
    assert_eq!(h.send(Event::TimerFired(TimerId::Request(3))), [fetch_iv()]);
    assert_eq!(
        h.send(Answer::VerificationPolled(reviewing.clone())),
        [timer(4, 60_000)]
    );
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(4))),
        [list_verifications()],
        "back to the list, which also shows new requests"
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![completed("passed", &[])])),
        [
            fetch_customer(),
            Effect::Show(Screen::Checking(CheckingStage::Account))
        ]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("verified"))),
        [Effect::Forget, Effect::Show(Screen::Verified)]
    );
}

/// A document request compliance made at `T0 + MINUTE`, in `state`.
fn document_request(state: &str) -> IdentityVerification {
    let inquiry = (state != "storing").then_some("inq_docs");
    let mut request = verification_at("iv_docs", state, inquiry, T0 + MINUTE);
    request.method = Some(VerificationMethod::DocumentSubmission);
    request
}

fn documents_screen() -> Screen {
    Screen::Paused {
        documents: Some(DocumentAsk::ProofOfAddress),
    }
}

fn under_review() -> IdentityVerification {
    let mut reviewing = verification("reviewing", Some(INQUIRY));
    reviewing.failure_codes = vec![FailureCode::AddressCheckFailure];
    reviewing
}

#[test]
fn a_document_request_is_moot_once_the_review_has_an_outcome() {
    // The review ended without a pass while compliance's request was still open: the
    // customer's outcome shows, not "one more document, please".
    let mut retry = completed("failed", &["id_quality_check_failure"]);
    retry.updated_at = Some(format_rfc3339(T0 + 2 * MINUTE));
    let mut h = Harness::new();
    let fx = h.loaded(None, vec![retry.clone(), document_request("waiting")]);
    assert!(
        matches!(fx.last(), Some(Effect::Show(Screen::Retry { .. }))),
        "{fx:?}"
    );
    // Watching the review when it ends: the same.
    let (mut h, _) = finish_with(under_review());
    h.send(Event::TimerFired(h.last_timer()));
    let fx = h.send(Answer::VerificationsListed(vec![
        document_request("waiting"),
        retry,
    ]));
    assert_eq!(fx[0], fetch_customer(), "the outcome is confirmed: {fx:?}");
    let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
    assert!(
        matches!(fx.last(), Some(Effect::Show(Screen::Retry { .. }))),
        "{fx:?}"
    );
    // A document asked for after the outcome (support wants a bill once the records did not
    // match) still stands.
    let mut support = completed("failed", &["name_check_failure"]);
    support.updated_at = Some(format_rfc3339(T0 + MINUTE - 1));
    let mut h = Harness::new();
    let fx = h.loaded(None, vec![support, document_request("waiting")]);
    // A name that did not match says neither which document: either kind is asked for.
    assert_eq!(
        fx.last(),
        Some(&Effect::Show(Screen::Paused {
            documents: Some(DocumentAsk::Either)
        }))
    );
}

#[test]
fn an_outage_during_a_review_is_waited_out_on_the_review_screen() {
    let (mut h, _) = finish_with(under_review());
    let review = h.flow.screen();
    assert!(matches!(review, Screen::Review { .. }), "{review:?}");
    // A backend down for longer than the foreground retries last.
    for _ in 0..3 * RetryPolicy::HTTP.max_attempts {
        let fx = h.send(Event::TimerFired(h.last_timer()));
        assert_eq!(fx, [list_verifications()]);
        let fx = h.send(failed(RequestKind::ListVerifications, 503));
        assert!(
            matches!(fx.as_slice(), [Effect::StartTimer { .. }]),
            "waited out, the screen left as it is: {fx:?}"
        );
        assert_eq!(h.flow.screen(), review);
    }
    // Back again: the review goes on being watched.
    h.send(Event::TimerFired(h.last_timer()));
    let fx = h.send(Answer::VerificationsListed(vec![under_review()]));
    assert!(
        matches!(fx.as_slice(), [Effect::StartTimer { .. }]),
        "{fx:?}"
    );
}

#[test]
fn a_document_asked_for_during_review_is_offered_sent_and_the_review_followed_again() {
    let reviewing = under_review();
    let (mut h, _) = finish_with(reviewing.clone());
    h.advance(15_000);
    h.send(Event::TimerFired(TimerId::Request(1)));
    // Still being created: nothing to open yet, the review goes on.
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![
            document_request("storing"),
            reviewing.clone()
        ])),
        [timer(2, 30_000)]
    );
    h.send(Event::TimerFired(TimerId::Request(2)));
    let request = document_request("waiting");
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![
            reviewing.clone(),
            request.clone()
        ])),
        [
            Effect::Remember("iv_docs".into()),
            timer(3, 15_000),
            Effect::Show(documents_screen())
        ],
        "offered, and the list still looked at"
    );
    assert_eq!(documents_screen().title(), Msg::DocumentsRequestedTitle);
    // The customer taps while that look is under way: the tap wins.
    h.send(Event::TimerFired(TimerId::Request(3)));
    let fx = h.send(Event::User(UserAction::Resume));
    assert_eq!(
        fx[0],
        sent(Request::RequestSessionToken(PostPersonaSession {
            persona_inquiry_id: "inq_docs".into(),
            identity_verification_guid: "iv_docs".into(),
        }))
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![
            reviewing.clone(),
            request.clone()
        ])),
        [],
        "the look's late answer is dropped"
    );
    let fx = h.send(Answer::SessionTokenReceived(PersonaSession {
        persona_session_token: "tok_docs".into(),
        persona_inquiry_id: "inq_docs".into(),
        identity_verification_guid: Some("iv_docs".into()),
    }));
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::LaunchPersona { inquiry_id, .. } if inquiry_id == "inq_docs")
        ),
        "{fx:?}"
    );
    h.send(Event::PersonaReady);
    h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
    // Sent: the request's own result is not the customer's; back to the review.
    let mut sent = request.clone();
    sent.persona_state = Some(PersonaState::Processing);
    assert_eq!(
        h.send(Answer::VerificationPolled(sent)),
        [list_verifications(), Effect::Show(Screen::Loading)]
    );
    let mut accepted = request.clone();
    accepted.state = VerificationState::Completed;
    accepted.outcome = Some(crate::core::api::Outcome::Passed);
    let fx = h.send(Answer::VerificationsListed(vec![
        reviewing.clone(),
        accepted.clone(),
    ]));
    assert!(
        matches!(fx.last(), Some(Effect::Show(Screen::Review { .. }))),
        "{fx:?}"
    );
    assert!(
        fx.contains(&Effect::Remember(IV.into())),
        "following the review again"
    );
    // The review's decision, seen on the next look.
    let timer_id = h.last_timer();
    h.send(Event::TimerFired(timer_id));
    let mut passed = completed("passed", &[]);
    passed.updated_at = Some(format_rfc3339(T0 + HOUR));
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![passed, accepted])),
        [
            fetch_customer(),
            Effect::Show(Screen::Checking(CheckingStage::Account))
        ]
    );
}

#[test]
fn a_document_request_is_never_opened_unasked_nor_taken_for_an_outcome() {
    // A reload while the request is still being created: the review, not Persona.
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![document_request("storing"), under_review()]);
    assert!(
        matches!(fx.last(), Some(Effect::Show(Screen::Review { .. }))),
        "{fx:?}"
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::LaunchPersona { .. })));
    // A reload once it can be opened: offered.
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![document_request("waiting"), under_review()]);
    assert_eq!(fx.last(), Some(&Effect::Show(documents_screen())));
    // Still under review on the next look: still offered.
    let timer_id = h.last_timer();
    h.send(Event::TimerFired(timer_id));
    let fx = h.send(Answer::VerificationsListed(vec![
        under_review(),
        document_request("waiting"),
    ]));
    assert_eq!(fx, [timer(2, 30_000)]);
    // The review passes without it: the request is moot, the pass is confirmed.
    h.send(Event::TimerFired(TimerId::Request(2)));
    let fx = h.send(Answer::VerificationsListed(vec![
        completed("passed", &[]),
        document_request("waiting"),
    ]));
    assert!(fx.contains(&fetch_customer()), "{fx:?}");
    // Or the request expires unsent: back to the review.
    let mut h = Harness::new();
    h.loaded(Some(IV), vec![document_request("waiting"), under_review()]);
    h.send(Event::TimerFired(TimerId::Request(1)));
    let fx = h.send(Answer::VerificationsListed(vec![
        under_review(),
        document_request("expired"),
    ]));
    assert!(
        matches!(fx.last(), Some(Effect::Show(Screen::Review { .. }))),
        "{fx:?}"
    );
    // A request on its own never reads as the customer's pass or retry.
    let mut h = Harness::new();
    let mut accepted = document_request("completed");
    accepted.outcome = Some(crate::core::api::Outcome::Passed);
    assert_eq!(h.loaded(None, vec![accepted]), [Effect::Show(Screen::Prep)]);
    // Only a document request is offered during a review, not a stray ID check.
    let (mut h, _) = finish_with(under_review());
    h.advance(15_000);
    h.send(Event::TimerFired(TimerId::Request(1)));
    let stray = verification_at("iv_stray", "waiting", Some("inq_2"), T0 + MINUTE);
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![stray, under_review()])),
        [timer(2, 30_000)]
    );
}

#[test]
fn expiry_offers_a_new_verification() {
    let (mut h, fx) = finish_with(verification("expired", Some(INQUIRY)));
    assert_eq!(fx, [Effect::Show(Screen::Expired(ExpiryCause::Unclear))]);
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![verification(
        "expired",
        Some(INQUIRY),
    )]));
    assert_eq!(fx[0], create());
}

#[test]
fn resuming_after_the_inquiry_ran_out_of_time_ends_on_expired() {
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaCancelled);
    h.advance(INQUIRY_LIFETIME);
    // No clock of the app's own: a new session is asked for, and its refusal looked into.
    assert_eq!(
        h.send(Event::User(UserAction::Resume)),
        [
            session_request(),
            Effect::Show(Screen::Preparing(PreparingStage::Reconnecting))
        ]
    );
    assert_eq!(
        h.send(failed(RequestKind::PersonaSession, 422)),
        [fetch_iv()]
    );
    // Persona says the inquiry is over: its time ran out.
    let mut over = verification("waiting", Some(INQUIRY));
    over.persona_state = Some(PersonaState::Expired);
    assert_eq!(
        h.send(Answer::VerificationPolled(over)),
        [Effect::Show(Screen::Expired(ExpiryCause::TimeRanOut))]
    );
}

#[test]
fn reload_on_an_outcome_lands_on_the_same_outcome() {
    let mut h = Harness::new();
    let fx = h.loaded(
        Some(IV),
        vec![completed("failed", &["id_expiration_check_failure"])],
    );
    assert_eq!(
        fx,
        [Effect::Show(Screen::Retry {
            reasons: vec![FailureCode::IdExpirationCheckFailure],
            tips: vec![TipGroup::AcceptedIds, TipGroup::IdPhoto],
            camera: None,
        })]
    );
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![verification("expired", Some(INQUIRY))]);
    assert_eq!(fx, [Effect::Show(Screen::Expired(ExpiryCause::Unclear))]);
    // An old expiry that this browser was not following: just start afresh.
    let mut h = Harness::new();
    let fx = h.loaded(None, vec![verification("expired", Some(INQUIRY))]);
    assert_eq!(fx, [Effect::Show(Screen::Prep)]);
}

/// A page load whose session answer gives the server's time, on a device clock `skew`
/// off; returns the effects of the verification list's answer.
fn loaded_with_clock(
    h: &mut Harness,
    skew: Millis,
    list: Vec<IdentityVerification>,
) -> Vec<Effect> {
    let server = h.now;
    h.now += skew;
    h.send(Event::AppStarted {
        remembered: Some(IV.into()),
        handoff: false,
        starting: false,
    });
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: Some(server),
        idle_ms: None,
    });
    h.send(Answer::CustomerLoaded(customer("unverified")));
    h.send(Answer::VerificationsListed(list))
}

#[test]
fn a_device_clock_days_off_goes_by_the_servers() {
    // Passed an hour ago, customer record not updated yet; the phone's clock is two days
    // fast. By its own clock the pass is old (an ID since expired) and it would offer a
    // second verification beside it.
    let mut h = Harness::new();
    h.advance(HOUR);
    let fx = loaded_with_clock(&mut h, 48 * HOUR, vec![completed("passed", &[])]);
    assert!(
        fx.contains(&fetch_customer()),
        "confirmed, not started again: {fx:?}"
    );
    // Left part-way 23 hours ago, on a phone two hours slow: still resumable (by its own
    // clock it would have a whole extra two hours; by a fast one, none at all).
    for skew in [-2 * HOUR, 2 * HOUR] {
        let mut h = Harness::new();
        h.advance(23 * HOUR);
        let fx = loaded_with_clock(&mut h, skew, vec![verification("pending", Some(INQUIRY))]);
        assert_eq!(fx.last(), Some(&Effect::Show(paused())), "skew {skew}");
    }
}

#[test]
fn a_pass_after_a_long_review_is_confirmed_not_started_again() {
    // Created days ago, approved by compliance a minute ago: the customer record is catching
    // up with a fresh pass, not an old one whose ID has since expired.
    let mut approved = completed("passed", &[]);
    let mut h = Harness::new();
    h.advance(3 * INQUIRY_LIFETIME);
    approved.updated_at = Some(format_rfc3339(h.now - MINUTE));
    assert!(
        rules_out_another(&approved, h.now),
        "no second verification beside it"
    );
    let fx = h.loaded(None, vec![approved.clone()]);
    assert!(fx.contains(&fetch_customer()), "confirmed: {fx:?}");
    assert!(!fx.contains(&Effect::Show(Screen::Prep)), "{fx:?}");
    // Decided an inquiry's life ago, while the customer is still unverified: its ID has
    // expired since, and the verification needs renewing.
    approved.updated_at = Some(format_rfc3339(h.now - INQUIRY_LIFETIME));
    assert!(!rules_out_another(&approved, h.now));
    let mut h2 = Harness::new();
    h2.advance(3 * INQUIRY_LIFETIME);
    assert_eq!(
        h2.loaded(None, vec![approved]),
        [Effect::Show(Screen::Expired(ExpiryCause::Renewal))]
    );
}

#[test]
fn a_reload_just_after_a_rejection_keeps_the_rejection() {
    // Rejected a moment ago and Cybrid has not marked the customer rejected yet: the
    // reload must not offer "start" in place of the outcome the customer just saw.
    let rejected = || completed("failed", &["selfie_failure"]);
    for remembered in [Some(IV), None] {
        let mut h = Harness::new();
        h.advance(REJECTION_SETTLES - 1);
        let fx = h.loaded(remembered, vec![rejected()]);
        assert!(fx.contains(&fetch_customer()), "confirmed first: {fx:?}");
        assert!(!fx.contains(&Effect::Show(Screen::Prep)), "{fx:?}");
        assert_eq!(
            h.send(Answer::CustomerLoaded(customer("unverified"))),
            [Effect::Show(Screen::Rejected {
                reasons: vec![FailureCode::SelfieFailure]
            })]
        );
    }
    // Once Cybrid has caught up, the customer record says so.
    let mut h = Harness::new();
    h.loaded(Some(IV), vec![rejected()]);
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("rejected"))),
        [Effect::Show(Screen::Rejected {
            reasons: vec![FailureCode::SelfieFailure]
        })]
    );
    // Its last change counts, not its creation: a rejection decided after a long review.
    let mut h = Harness::new();
    let mut late = rejected();
    late.updated_at = Some(format_rfc3339(T0 + 3 * HOUR));
    h.advance(3 * HOUR + REJECTION_SETTLES - 1);
    assert!(h.loaded(None, vec![late]).contains(&fetch_customer()));
    // Long after, an unverified customer was reset by support and may start again.
    let mut h = Harness::new();
    h.advance(REJECTION_SETTLES);
    let fx = h.loaded(Some(IV), vec![rejected()]);
    assert_eq!(fx, [Effect::Show(Screen::Prep)]);
}

#[test]
fn contact_support_stays_on_a_reload_then_gives_way_once_support_had_time() {
    // Codes this version cannot classify, the customer not rejected. (A review that ended
    // without approval is the customer record's to decide: `tests/outcomes.rs`.)
    let ended = || completed("failed", &["quantum_check_failure"]);
    for remembered in [Some(IV), None] {
        let mut h = Harness::new();
        h.advance(REJECTION_SETTLES - 1);
        let fx = h.loaded(remembered, vec![ended()]);
        assert!(
            matches!(fx.last(), Some(Effect::Show(Screen::ContactSupport { .. }))),
            "{fx:?}"
        );
        // Long after, still unverified: support has dealt with it; the customer may start
        // again instead of reading "contact support" for good.
        let mut h = Harness::new();
        h.advance(REJECTION_SETTLES);
        assert_eq!(
            h.loaded(remembered, vec![ended()]),
            [Effect::Show(Screen::Prep)]
        );
    }
}

#[test]
fn a_remembered_pass_is_confirmed_against_the_customer_before_verified() {
    // A reload on "still checking": the verification passed, the customer record is not
    // `verified` yet. The flow must not claim "verified" on the verification alone.
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![completed("passed", &[])]);
    assert_eq!(
        fx,
        [
            fetch_customer(),
            Effect::Show(Screen::Checking(CheckingStage::Account))
        ]
    );
    assert!(!h
        .notified
        .contains(&HostEvent::Outcome(OutcomeKind::Verified)));
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [timer(1, 500)]
    );
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(1))),
        [fetch_customer()]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("verified"))),
        [Effect::Forget, Effect::Show(Screen::Verified)]
    );
}

#[test]
fn a_recent_pass_seen_from_another_browser_is_confirmed_not_started_again() {
    // Passed a moment ago on the phone; this browser never followed it (nothing
    // remembered) and the customer record is not `verified` yet. Offering "start" here
    // would have the customer make a second verification beside a pass.
    let mut h = Harness::new();
    let fx = h.loaded(None, vec![completed("passed", &[])]);
    assert_eq!(
        fx,
        [
            Effect::Remember(IV.into()),
            fetch_customer(),
            Effect::Show(Screen::Checking(CheckingStage::Account))
        ]
    );
    h.send(Answer::CustomerLoaded(customer("unverified")));
    h.send(Event::TimerFired(TimerId::Request(1)));
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("verified"))),
        [Effect::Forget, Effect::Show(Screen::Verified)]
    );
}

#[test]
fn a_verification_still_storing_with_its_inquiry_id_is_waited_for_not_expired() {
    // The inquiry id can show up a moment before the state leaves `storing`: that is a
    // verification being born, not one whose time is up.
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    h.send(Answer::VerificationsListed(vec![]));
    h.send(Answer::VerificationCreated(verification("storing", None)));
    let fx = h.send(Answer::VerificationPolled(verification(
        "storing",
        Some(INQUIRY),
    )));
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Show(Screen::Expired(_)))),
        "a new verification is not expired: {fx:?}"
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::StartTimer { .. })),
        "{fx:?}"
    );
    h.send(Event::TimerFired(TimerId::Request(1)));
    let fx = h.send(Answer::VerificationPolled(verification(
        "waiting",
        Some(INQUIRY),
    )));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LaunchPersona { .. })),
        "{fx:?}"
    );
}

#[test]
fn a_lost_create_response_never_makes_a_duplicate() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    assert_eq!(h.send(Answer::VerificationsListed(vec![]))[0], create());
    // The server created it, but the answer never arrived.
    let fx = h.send(Failure(RequestKind::CreateVerification, HttpError::Network));
    assert_eq!(
        fx,
        [
            timer(1, 500),
            Effect::Show(Screen::Preparing(PreparingStage::Looking))
        ]
    );
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(1))),
        [list_verifications()]
    );
    let fx = h.send(Answer::VerificationsListed(vec![verification(
        "storing", None,
    )]));
    assert_eq!(
        fx,
        [
            Effect::Remember(IV.into()),
            fetch_iv(),
            Effect::Show(Screen::Preparing(PreparingStage::WaitingForInquiry))
        ]
    );
}

/// Page load of a tab whose customer had pressed "Start verification", up to the list.
fn reloaded_while_starting(h: &mut Harness) {
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: true,
    });
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: None,
    });
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [list_verifications()]
    );
}

#[test]
fn a_start_is_noted_until_a_verification_is_taken_up() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    assert_eq!(h.starting_marks, [true]);
    h.send(Answer::VerificationsListed(vec![]));
    assert_eq!(h.starting_marks, [true], "still to be created");
    h.send(Answer::VerificationCreated(verification("storing", None)));
    assert_eq!(h.starting_marks, [true, false]);
}

#[test]
fn a_reload_before_the_create_carries_on_instead_of_asking_again() {
    let mut h = Harness::new();
    reloaded_while_starting(&mut h);
    // Nothing was created before the reload: create now, without the prep screen.
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![])),
        [
            create(),
            Effect::Show(Screen::Preparing(PreparingStage::Creating))
        ]
    );
    h.send(Answer::VerificationCreated(verification("storing", None)));
    assert_eq!(h.starting_marks, [false]);
}

#[test]
fn a_reload_after_a_create_whose_answer_was_cut_off_takes_it_up() {
    let mut h = Harness::new();
    reloaded_while_starting(&mut h);
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![verification(
            "storing", None
        )])),
        [
            Effect::Remember(IV.into()),
            fetch_iv(),
            Effect::Show(Screen::Preparing(PreparingStage::WaitingForInquiry))
        ]
    );
    assert_eq!(h.starting_marks, [false]);
}

#[test]
fn a_reload_after_try_again_makes_the_new_verification_not_the_old_outcome() {
    let mut h = Harness::new();
    reloaded_while_starting(&mut h);
    // The verification before "Try again" failed with retryable codes.
    let fx = h.send(Answer::VerificationsListed(vec![completed(
        "failed",
        &["id_check_failure"],
    )]));
    assert_eq!(
        fx,
        [
            create(),
            Effect::Show(Screen::Preparing(PreparingStage::Creating))
        ]
    );
}

#[test]
fn repeated_create_failures_stop_with_a_problem_screen() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    let mut creates = 0;
    for _ in 0..MAX_CREATE_ATTEMPTS {
        let fx = h.send(Answer::VerificationsListed(vec![]));
        creates += fx
            .iter()
            .filter(|e| matches!(e, Effect::Send(_, Request::CreateVerification(_))))
            .count();
        let fx = h.send(failed(RequestKind::CreateVerification, 500));
        if let Some(Effect::StartTimer { id, .. }) = fx.first() {
            assert_eq!(h.send(Event::TimerFired(*id)), [list_verifications()]);
        } else {
            assert_eq!(
                fx,
                [Effect::Show(Screen::Problem(Problem::Server {
                    status: 500
                }))],
                "gives up after {MAX_CREATE_ATTEMPTS} creates"
            );
        }
    }
    assert_eq!(creates as u32, MAX_CREATE_ATTEMPTS);
    // "Try again" starts over from the session.
    assert_eq!(
        h.send(Event::User(UserAction::Retry)),
        [sent(Request::FetchSession), Effect::Show(Screen::Loading)]
    );
}

#[test]
fn a_create_refused_for_the_customers_state_shows_the_customers_outcome() {
    // Verified meanwhile (another tab, the phone): the server refuses a new verification
    // with 422; asked again it would only refuse again.
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    h.send(Answer::VerificationsListed(vec![]));
    let fx = h.send(failed(RequestKind::CreateVerification, 422));
    assert_eq!(fx, [fetch_customer(), Effect::Show(Screen::Loading)]);
    assert_eq!(
        h.starting_marks,
        [true, false],
        "a reload does not ask for it again"
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("verified"))),
        [Effect::Forget, Effect::Show(Screen::Verified)]
    );
    // Refused while the customer may still be verified: the service says no, and another
    // tap on Start would only be refused again.
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    h.send(Answer::VerificationsListed(vec![]));
    h.send(failed(RequestKind::CreateVerification, 422));
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [Effect::Show(Screen::Problem(Problem::Server {
            status: 422
        }))]
    );
}

#[test]
fn transient_errors_on_reads_retry_with_backoff_and_retry_after() {
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
    let storm = [
        (
            HttpError::Status {
                status: 429,
                retry_after_ms: Some(3_000),
                message_code: None,
            },
            3_000,
        ),
        (
            HttpError::Status {
                status: 503,
                retry_after_ms: None,
                message_code: None,
            },
            1_000,
        ),
        (HttpError::Malformed, 2_000),
        (HttpError::Network, 4_000),
        (HttpError::Timeout, 8_000),
    ];
    assert!(!h.flow.retrying(), "nothing failed yet");
    for (error, delay) in storm {
        let fx = h.send(Failure(RequestKind::Verification, error));
        let [Effect::StartTimer { id, ms }] = fx[..] else {
            panic!("expected one timer, got {fx:?}");
        };
        assert_eq!(ms, delay);
        assert!(h.flow.retrying(), "the page says it is trying again");
        assert_eq!(h.send(Event::TimerFired(id)), [fetch_iv()]);
    }
    // The storm passes: the flow carries on to the outcome, and stops saying it retries.
    let fx = h.send(Answer::VerificationPolled(completed("passed", &[])));
    assert!(!h.flow.retrying());
    assert_eq!(fx[0], fetch_customer());
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("verified"))).last(),
        Some(&Effect::Show(Screen::Verified))
    );
}

#[test]
fn an_endless_storm_ends_on_a_problem_screen_with_try_again() {
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: false,
    });
    let mut fx = h.send(failed(RequestKind::Session, 503));
    for _ in 1..RetryPolicy::HTTP.max_attempts {
        let [Effect::StartTimer { id, .. }] = fx[..] else {
            panic!("expected a retry timer, got {fx:?}");
        };
        assert_eq!(h.send(Event::TimerFired(id)), [sent(Request::FetchSession)]);
        fx = h.send(failed(RequestKind::Session, 503));
    }
    // The service answered each time: its problem, not the customer's connection.
    assert_eq!(
        fx,
        [Effect::Show(Screen::Problem(Problem::Server {
            status: 503
        }))]
    );
}

#[test]
fn a_definite_server_error_is_not_retried() {
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: false,
    });
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: None,
    });
    assert_eq!(
        h.send(failed(RequestKind::Customer, 422)),
        [Effect::Show(Screen::Problem(Problem::Server {
            status: 422
        }))]
    );
}

#[test]
fn session_end_is_its_own_screen_from_anywhere() {
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: false,
    });
    assert_eq!(
        h.send(failed(RequestKind::Session, 401)),
        [Effect::Show(Screen::SessionEnded)]
    );
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
    assert_eq!(
        h.send(failed(RequestKind::Verification, 403)),
        [Effect::Show(Screen::SessionEnded)]
    );
}

#[test]
fn the_inquiry_deadline_asks_to_keep_waiting() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    h.send(Answer::VerificationsListed(vec![]));
    h.send(Answer::VerificationCreated(verification("storing", None)));
    h.send(Answer::VerificationPolled(verification("storing", None)));
    let mut last = vec![];
    for _ in 0..200 {
        h.advance(2_000);
        let id = h.last_timer();
        assert_eq!(h.send(Event::TimerFired(id)), [fetch_iv()]);
        last = h.send(Answer::VerificationPolled(verification("storing", None)));
        if last.contains(&Effect::Show(Screen::StillPreparing)) {
            break;
        }
    }
    assert_eq!(last, [Effect::Show(Screen::StillPreparing)]);
    assert!(h.now - T0 >= 120_000, "not before the deadline");
    assert!(h.now - T0 < 125_000, "soon after the deadline");
    assert_eq!(
        h.send(Event::User(UserAction::KeepWaiting)),
        [
            fetch_iv(),
            Effect::Show(Screen::Preparing(PreparingStage::WaitingForInquiry))
        ]
    );
    let fx = h.send(Answer::VerificationPolled(verification(
        "waiting",
        Some(INQUIRY),
    )));
    assert_eq!(fx[0], launch(None));
}

#[test]
fn the_decision_deadline_asks_to_keep_waiting() {
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
    h.advance(10 * 60_000);
    assert_eq!(
        h.send(Answer::VerificationPolled(verification(
            "pending",
            Some(INQUIRY)
        ))),
        [Effect::Show(Screen::StillChecking)]
    );
    assert_eq!(
        h.send(Event::User(UserAction::KeepWaiting)),
        [
            fetch_iv(),
            Effect::Show(Screen::Checking(CheckingStage::Decision))
        ]
    );
}

#[test]
fn a_refused_session_token_is_replaced_once() {
    let mut h = Harness::new();
    h.loaded(Some(IV), vec![verification("pending", Some(INQUIRY))]);
    h.send(Event::User(UserAction::Resume));
    h.send(token("tok_1"));
    let refused = Event::PersonaErrored {
        code: PersonaErrorCode::Unauthenticated,
    };
    assert_eq!(
        h.send(refused.clone()),
        [
            Effect::DestroyPersona,
            session_request(),
            Effect::Show(Screen::Preparing(PreparingStage::Reconnecting))
        ]
    );
    assert_eq!(h.send(token("tok_2"))[0], launch(Some("tok_2")));
    assert_eq!(
        h.send(refused),
        [
            Effect::DestroyPersona,
            Effect::Show(Screen::Problem(Problem::Persona(
                PersonaErrorCode::Unauthenticated
            )))
        ]
    );
    // "Try again" on that screen resumes with a fresh token.
    assert_eq!(
        h.send(Event::User(UserAction::Resume))[0],
        session_request()
    );
}

#[test]
fn persona_errors_and_a_missing_sdk_end_on_problem_screens() {
    for code in [
        "application_error",
        "invalid_config",
        "inactive_template",
        "odd",
    ] {
        let mut h = Harness::new();
        h.open_capture();
        let code = PersonaErrorCode::parse(code);
        let fx = h.send(Event::PersonaErrored { code: code.clone() });
        assert_eq!(
            fx,
            [
                Effect::DestroyPersona,
                Effect::Show(Screen::Problem(Problem::Persona(code)))
            ]
        );
    }
    let mut h = Harness::new();
    h.open_capture();
    assert_eq!(
        h.send(Event::PersonaUnavailable),
        [
            Effect::DestroyPersona,
            Effect::Show(Screen::Problem(Problem::PersonaUnavailable))
        ]
    );
}

#[test]
fn a_session_request_the_backend_refuses_is_not_retried_blindly() {
    let mut h = Harness::new();
    h.loaded(Some(IV), vec![verification("pending", Some(INQUIRY))]);
    h.send(Event::User(UserAction::Resume));
    assert_eq!(
        h.send(failed(RequestKind::PersonaSession, 422)),
        [fetch_iv()]
    );
    assert_eq!(
        h.send(Answer::VerificationPolled(verification(
            "pending",
            Some(INQUIRY)
        ))),
        [Effect::Show(Screen::Problem(Problem::Server {
            status: 422
        }))]
    );
    // ...but if the inquiry finished meanwhile, the outcome follows.
    let mut h = Harness::new();
    h.loaded(Some(IV), vec![verification("pending", Some(INQUIRY))]);
    h.send(Event::User(UserAction::Resume));
    h.send(failed(RequestKind::PersonaSession, 422));
    assert_eq!(
        h.send(Answer::VerificationPolled(verification(
            "expired",
            Some(INQUIRY)
        ))),
        [Effect::Show(Screen::Expired(ExpiryCause::Unclear))]
    );
}

#[test]
fn an_old_remembered_pass_with_an_unverified_customer_is_asked_to_renew() {
    // Passed long ago; the customer record has since gone back to unverified.
    let mut h = Harness::new();
    h.advance(INQUIRY_LIFETIME + 1);
    let fx = h.loaded(Some(IV), vec![completed("passed", &[])]);
    assert_eq!(fx, [Effect::Show(Screen::Expired(ExpiryCause::Renewal))]);
}

#[test]
fn a_verification_finished_elsewhere_is_followed_not_taken_for_expired() {
    // The resume is refused because the inquiry was finished on another device; the
    // verification says completed before its outcome is set, or a state this version does
    // not know. Both are a decision in progress: follow them, never offer to start again.
    for state in ["completed", "being_decided"] {
        let mut h = Harness::new();
        h.loaded(Some(IV), vec![verification("pending", Some(INQUIRY))]);
        h.send(Event::User(UserAction::Resume));
        h.send(failed(RequestKind::PersonaSession, 422));
        let fx = h.send(Answer::VerificationPolled(verification(
            state,
            Some(INQUIRY),
        )));
        assert_eq!(
            fx.last(),
            Some(&Effect::Show(Screen::Checking(CheckingStage::Decision))),
            "{state}: {fx:?}"
        );
        let Some(Effect::StartTimer { id, .. }) = fx.first() else {
            panic!("{state}: expected a poll timer, got {fx:?}");
        };
        assert_eq!(h.send(Event::TimerFired(*id)), [fetch_iv()]);
        assert_eq!(
            h.send(Answer::VerificationPolled(completed("passed", &[])))[0],
            fetch_customer()
        );
    }
}

#[test]
fn a_vanished_verification_is_forgotten() {
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
    assert_eq!(
        h.send(failed(RequestKind::Verification, 404)),
        [
            Effect::Forget,
            list_verifications(),
            Effect::Show(Screen::Loading)
        ]
    );
}

#[test]
fn stale_answers_and_timers_are_ignored() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    h.send(Answer::VerificationsListed(vec![]));
    h.send(Answer::VerificationCreated(verification("storing", None)));
    h.send(Answer::VerificationPolled(verification("storing", None)));
    let first = h.last_timer();
    h.send(Event::TimerFired(first));
    // An answer about some other verification.
    let other = verification_at("iv_other", "waiting", Some("inq_other"), T0);
    assert!(h.send(Answer::VerificationPolled(other)).is_empty());
    // A second answer to a request already answered.
    h.send(Answer::VerificationPolled(verification("storing", None)));
    assert!(h
        .send(Answer::VerificationPolled(verification(
            "waiting",
            Some(INQUIRY)
        )))
        .is_empty());
    // A timer that was replaced.
    assert!(h.send(Event::TimerFired(first)).is_empty());
    // Persona events while Persona is not open.
    assert!(h.send(Event::PersonaReady).is_empty());
    assert!(h.send(Event::PersonaCancelled).is_empty());
    // A double click on start.
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    assert_eq!(h.send(Event::User(UserAction::Start)).len(), 2);
    assert!(h.send(Event::User(UserAction::Start)).is_empty());
}

#[test]
fn offline_failures_wait_for_the_network_and_resume_at_once() {
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
    assert!(h.send(Event::Connectivity { online: false }).is_empty());
    assert!(!h.flow.online());
    for _ in 0..20 {
        let fx = h.send(Failure(RequestKind::Verification, HttpError::Network));
        let [Effect::StartTimer { id, ms: 8_000 }] = fx[..] else {
            panic!("offline failures wait, never give up: {fx:?}");
        };
        h.send(Event::TimerFired(id));
    }
    h.send(Failure(RequestKind::Verification, HttpError::Network));
    assert_eq!(h.send(Event::Connectivity { online: true }), [fetch_iv()]);
}

#[test]
fn persona_that_never_gets_ready_is_a_problem_with_try_again() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![verification(
        "waiting",
        Some(INQUIRY),
    )]));
    assert_eq!(fx[1..3], [launch(None), ready_watch(1)]);
    // Persona's frame never arrives (blocked, or the connection dropped): the ways forward
    // a few seconds in, then the problem at the limit.
    h.advance(Millis::from(SLOW_WAIT_MS));
    h.send(Event::TimerFired(TimerId::PersonaReady(1)));
    h.advance(Millis::from(PERSONA_READY_LIMIT_MS - SLOW_WAIT_MS));
    assert_eq!(
        h.send(Event::TimerFired(TimerId::PersonaReady(1))),
        [
            Effect::DestroyPersona,
            Effect::Show(Screen::Problem(Problem::PersonaUnavailable))
        ]
    );
    // The shell must not open a Persona whose script arrives only now.
    assert_eq!(h.flow.launch_pending(), None);
    // "Try again" opens Persona afresh, with a new token, watched again.
    assert_eq!(
        h.send(Event::User(UserAction::Resume))[0],
        session_request()
    );
    assert_eq!(
        h.send(token("tok_2"))[..2],
        [launch(Some("tok_2")), ready_watch(2)]
    );
    assert_eq!(
        h.flow.launch_pending(),
        Some(2),
        "only the second launch may open"
    );
}

#[test]
fn a_watch_that_fires_after_ready_or_a_relaunch_changes_nothing() {
    let mut h = Harness::new();
    h.open_capture();
    // Persona got ready in time: the watch of that launch is moot.
    assert!(h
        .send(Event::TimerFired(TimerId::PersonaReady(1)))
        .is_empty());
    assert_eq!(h.flow.screen(), Screen::Capture);
    // Cancel, resume: the first launch's watch cannot cut the second one short.
    h.send(Event::PersonaCancelled);
    h.send(Event::User(UserAction::Resume));
    let fx = h.send(token("tok_2"));
    assert_eq!(fx[1], ready_watch(2));
    assert!(h
        .send(Event::TimerFired(TimerId::PersonaReady(1)))
        .is_empty());
    assert_eq!(
        h.flow.screen(),
        Screen::Preparing(PreparingStage::OpeningCapture)
    );
}

#[test]
fn try_again_while_offline_still_knows_it_is_offline() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::Connectivity { online: false });
    h.flow.phase = Phase::Problem(Problem::Network);
    assert_eq!(
        h.send(Event::User(UserAction::Retry))[0],
        sent(Request::FetchSession)
    );
    assert!(
        !h.flow.online(),
        "the banner stays while the device is offline"
    );
}

#[test]
fn offline_create_failures_still_list_before_creating() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.send(Event::User(UserAction::Start));
    h.send(Answer::VerificationsListed(vec![]));
    h.send(Event::Connectivity { online: false });
    h.send(Failure(RequestKind::CreateVerification, HttpError::Network));
    assert_eq!(
        h.send(Event::Connectivity { online: true }),
        [list_verifications()]
    );
}

#[test]
fn start_over_from_paused_goes_back_to_the_tips_and_keeps_the_verification() {
    let mut h = Harness::new();
    h.open_capture();
    h.send(Event::PersonaCancelled);
    assert_eq!(
        h.send(Event::User(UserAction::StartOver)),
        [Effect::Show(Screen::Prep)]
    );
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![verification(
        "pending",
        Some(INQUIRY),
    )]));
    assert_eq!(
        fx[0],
        session_request(),
        "the same verification, a new token"
    );
}

#[test]
fn secrets_never_show_in_debug_output() {
    let fx = launch(Some("tok_very_secret"));
    assert!(!format!("{fx:?}").contains("tok_very_secret"));
    let session = PersonaSession {
        persona_session_token: "tok_very_secret".into(),
        persona_inquiry_id: INQUIRY.into(),
        identity_verification_guid: None,
    };
    let shown = format!("{session:?}");
    assert!(!shown.contains("tok_very_secret"), "{shown}");
    assert!(shown.contains(INQUIRY), "the rest still shows: {shown}");
    let e = token("tok_very_secret");
    assert!(!format!("{e:?}").contains("tok_very_secret"));
}

#[test]
fn every_screen_has_a_path() {
    let screens = [
        Screen::Loading,
        Screen::Prep,
        Screen::Preparing(PreparingStage::Creating),
        Screen::StillPreparing,
        Screen::Capture,
        Screen::CaptureOnPhone,
        handoff(true, PhoneProgress::Connected),
        paused(),
        Screen::Checking(CheckingStage::Decision),
        Screen::StillChecking,
        Screen::Verified,
        Screen::Review { reasons: vec![] },
        Screen::Retry {
            reasons: vec![],
            tips: vec![],
            camera: None,
        },
        Screen::Rejected { reasons: vec![] },
        Screen::Expired(ExpiryCause::Unclear),
        Screen::SessionEnded,
        Screen::Problem(Problem::Network),
    ];
    let mut titles = Vec::new();
    for s in &screens {
        assert!(PATHS.contains(&s.path()), "{s:?}");
        titles.push(s.title());
    }
    for (i, title) in titles.iter().enumerate() {
        assert!(
            !titles[..i].contains(title),
            "each screen has its own heading: {:?} repeats {title:?}",
            screens[i]
        );
    }
}

fn handoff(link: bool, phone: PhoneProgress) -> Screen {
    Screen::Handoff {
        link: link.then(|| HandoffLink {
            path: "/handoff/c0de".into(),
            expires_ms: Some(T0 + 600_000),
            confirm: None,
        }),
        phone,
        device: None,
    }
}

fn status(code: HandoffCode, verification: Option<IdentityVerification>) -> Answer {
    Answer::HandoffStatus {
        code,
        verification,
        phone: None,
    }
}

#[test]
fn the_desktop_hands_off_to_the_phone_and_follows_it_to_the_outcome() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    assert_eq!(
        h.send(Event::User(UserAction::ContinueOnPhone)),
        [
            Effect::MarkHandoff(true),
            sent(Request::MintHandoff),
            Effect::Show(handoff(false, PhoneProgress::WaitingForPhone))
        ]
    );
    assert_eq!(
        h.send(Answer::HandoffMinted {
            path: "/handoff/c0de".into(),
            expires_ms: Some(T0 + 600_000),
            confirm: None
        }),
        [
            timer(1, HANDOFF_POLL_MS),
            refresh(600_000 - HANDOFF_REFRESH_BEFORE),
            Effect::Show(handoff(true, PhoneProgress::WaitingForPhone))
        ]
    );
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(1))),
        [sent(Request::FetchHandoffStatus)]
    );
    assert_eq!(
        h.send(status(HandoffCode::Active, None)),
        [timer(2, HANDOFF_POLL_MS)]
    );
    // The desktop never opens Persona while it follows the phone.
    assert!(h.send(Event::User(UserAction::Start)).is_empty());
    h.send(Event::TimerFired(TimerId::Request(2)));
    assert_eq!(
        h.send(status(HandoffCode::Used, None)),
        [
            timer(3, HANDOFF_POLL_MS),
            Effect::Show(handoff(true, PhoneProgress::Connected))
        ]
    );
    h.send(Event::TimerFired(TimerId::Request(3)));
    assert_eq!(
        h.send(status(
            HandoffCode::Used,
            Some(verification("pending", Some(INQUIRY)))
        )),
        [
            Effect::Remember(IV.into()),
            timer(4, HANDOFF_POLL_MS),
            Effect::Show(handoff(true, PhoneProgress::InProgress))
        ]
    );
    h.send(Event::TimerFired(TimerId::Request(4)));
    assert_eq!(
        h.send(status(HandoffCode::Used, Some(completed("passed", &[])))),
        [
            Effect::MarkHandoff(false),
            fetch_customer(),
            Effect::Show(Screen::Checking(CheckingStage::Account))
        ]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("verified"))),
        [Effect::Forget, Effect::Show(Screen::Verified)]
    );
}

#[test]
fn the_desktop_can_take_the_verification_back_from_a_phone_gone_quiet() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.handing_off();
    h.send(status(
        HandoffCode::Used,
        Some(verification("pending", Some(INQUIRY))),
    ));
    assert_eq!(h.flow.screen(), handoff(true, PhoneProgress::InProgress));
    // The phone's battery died mid-capture.
    let poll = h.last_timer();
    assert_eq!(
        h.send(Event::User(UserAction::UseThisDevice)),
        [
            Effect::MarkHandoff(false),
            sent(Request::FetchSession),
            Effect::Show(Screen::Loading)
        ]
    );
    assert!(
        h.send(Event::TimerFired(poll)).is_empty(),
        "no more following"
    );
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: None,
    });
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [list_verifications()],
        "the customer record first, then the verifications"
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![verification(
            "pending",
            Some(INQUIRY)
        )])),
        [Effect::Show(paused())],
        "resumed here with a new session token"
    );
}

#[test]
fn an_expired_code_stops_polling_and_a_new_one_replaces_it() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.handing_off();
    assert_eq!(
        h.send(status(HandoffCode::Expired, None)),
        [Effect::Show(handoff(false, PhoneProgress::CodeExpired))],
        "no more polling, and no dead link or picture shown"
    );
    assert_eq!(
        h.send(Event::User(UserAction::NewCode)),
        [
            sent(Request::MintHandoff),
            Effect::Show(handoff(false, PhoneProgress::WaitingForPhone))
        ]
    );
    h.send(Answer::HandoffMinted {
        path: "/handoff/c0de".into(),
        expires_ms: Some(T0 + 600_000),
        confirm: None,
    });
    assert_eq!(
        h.send(Event::User(UserAction::UseThisDevice)),
        [
            Effect::MarkHandoff(false),
            sent(Request::CancelHandoff),
            Effect::Show(Screen::Prep)
        ]
    );
    let stale = TimerId::Request(h.flow.requests.next_timer);
    assert!(
        h.send(Event::TimerFired(stale)).is_empty(),
        "polling stopped"
    );
}

#[test]
fn new_code_is_not_lost_to_a_look_at_the_phone_on_its_way() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.handing_off();
    assert_eq!(h.flow.in_flight(), Some(RequestKind::HandoffStatus));
    let fx = h.send(Event::User(UserAction::NewCode));
    assert!(fx.contains(&sent(Request::MintHandoff)), "{fx:?}");
    // A second tap while the new code is being made does not make a third.
    assert!(h.send(Event::User(UserAction::NewCode)).is_empty());
    // The new code comes, and the first look at the phone under it goes out...
    h.send(Answer::HandoffMinted {
        path: "/handoff/c0de".into(),
        expires_ms: Some(T0 + 600_000),
        confirm: None,
    });
    h.send(Event::TimerFired(h.last_timer()));
    assert_eq!(h.flow.in_flight(), Some(RequestKind::HandoffStatus));
    // ...before the old look's answer (the old code, run out) arrives at last: it does not
    // pass for the new code's, which is still waiting for the phone.
    assert!(h.send(status(HandoffCode::Expired, None)).is_empty());
    assert_eq!(h.flow.in_flight(), Some(RequestKind::HandoffStatus));
    let fx = h.send(status(HandoffCode::Used, None));
    assert!(
        fx.contains(&Effect::Show(handoff(true, PhoneProgress::Connected))),
        "{fx:?}"
    );
}

#[test]
fn a_look_at_the_phone_under_a_code_left_behind_is_dropped() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.handing_off();
    assert_eq!(h.flow.in_flight(), Some(RequestKind::HandoffStatus));
    // Back to this device while the look is on its way, then to the phone again.
    h.send(Event::User(UserAction::UseThisDevice));
    h.send(Event::User(UserAction::ContinueOnPhone));
    h.send(Answer::HandoffMinted {
        path: "/handoff/c0de".into(),
        expires_ms: Some(T0 + 600_000),
        confirm: None,
    });
    h.send(Event::TimerFired(h.last_timer()));
    // The old look fails late: it is not this code's failure.
    assert!(h
        .send(Failure(RequestKind::HandoffStatus, HttpError::Network))
        .is_empty());
    assert_eq!(h.flow.in_flight(), Some(RequestKind::HandoffStatus));
}

#[test]
fn a_code_given_up_on_while_being_made_never_passes_for_the_next() {
    let minted = |code: &str| Answer::HandoffMinted {
        path: format!("/handoff/{code}"),
        expires_ms: Some(T0 + 600_000),
        confirm: None,
    };
    let showing = |code: &str| {
        Effect::Show(Screen::Handoff {
            link: Some(HandoffLink {
                path: format!("/handoff/{code}"),
                expires_ms: Some(T0 + 600_000),
                confirm: None,
            }),
            phone: PhoneProgress::WaitingForPhone,
            device: None,
        })
    };
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    // Asked for a code, changed their mind before it came, asked again: the first answer
    // (a code the second request has killed on the server) is not shown.
    assert!(h
        .send(Event::User(UserAction::ContinueOnPhone))
        .contains(&sent(Request::MintHandoff)));
    h.send(Event::User(UserAction::UseThisDevice));
    assert!(h
        .send(Event::User(UserAction::ContinueOnPhone))
        .contains(&sent(Request::MintHandoff)));
    assert!(!h.send(minted("old")).contains(&showing("old")));
    assert!(h.send(minted("new")).contains(&showing("new")));
    // A failed answer for a code given up on is dropped the same way, and one that comes
    // back while nothing is asked for only counts off.
    h.send(Event::User(UserAction::UseThisDevice));
    h.send(Event::User(UserAction::ContinueOnPhone));
    h.send(Event::User(UserAction::UseThisDevice));
    h.send(Event::User(UserAction::ContinueOnPhone));
    let fx = h.send(failed(RequestKind::Handoff, 503));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(h.send(minted("third")).contains(&showing("third")));
    h.send(Event::User(UserAction::UseThisDevice));
    h.send(Event::User(UserAction::ContinueOnPhone));
    h.send(Event::User(UserAction::UseThisDevice));
    assert_eq!(
        h.send(minted("late")),
        [sent(Request::CancelHandoff)],
        "made after the customer left: it ends at once"
    );
    h.send(Event::User(UserAction::ContinueOnPhone));
    assert!(h.send(minted("fourth")).contains(&showing("fourth")));
}

#[test]
fn a_reload_while_following_the_phone_keeps_following() {
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: true,
        starting: false,
    });
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: None,
    });
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [
            sent(Request::FetchHandoffStatus),
            Effect::Show(handoff(false, PhoneProgress::WaitingForPhone))
        ]
    );
    let fx = h.send(status(
        HandoffCode::Used,
        Some(verification("pending", Some(INQUIRY))),
    ));
    assert_eq!(
        fx.last(),
        Some(&Effect::Show(handoff(false, PhoneProgress::InProgress)))
    );
}

#[test]
fn a_reload_before_the_phone_came_shows_a_new_code() {
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: true,
        starting: false,
    });
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: None,
    });
    h.send(Answer::CustomerLoaded(customer("unverified")));
    // The unused code's link was only in the old page: make a new one to show.
    assert_eq!(
        h.send(status(HandoffCode::Active, None)),
        [sent(Request::MintHandoff)]
    );
    assert_eq!(
        h.send(Answer::HandoffMinted {
            path: "/handoff/c0de".into(),
            expires_ms: Some(T0 + 600_000),
            confirm: None
        })
        .last(),
        Some(&Effect::Show(handoff(true, PhoneProgress::WaitingForPhone)))
    );
}

#[test]
fn a_started_verification_is_not_on_the_phone_until_the_phone_comes() {
    let mut h = Harness::new();
    h.loaded(Some(IV), vec![verification("pending", Some(INQUIRY))]);
    h.handing_off();
    let pending = || Some(verification("pending", Some(INQUIRY)));
    assert_eq!(
        h.send(status(HandoffCode::Active, pending())).last(),
        Some(&Effect::StartTimer {
            id: h.last_timer(),
            ms: HANDOFF_POLL_MS
        }),
        "still waiting for the phone"
    );
    assert_eq!(
        h.flow.screen(),
        handoff(true, PhoneProgress::WaitingForPhone)
    );
    h.send(Event::TimerFired(h.last_timer()));
    assert_eq!(
        h.send(status(HandoffCode::Used, pending())).last(),
        Some(&Effect::Show(handoff(true, PhoneProgress::InProgress)))
    );
    // A code that ran out unused is over, whatever the verification.
    let mut h2 = Harness::new();
    h2.loaded(Some(IV), vec![verification("pending", Some(INQUIRY))]);
    h2.handing_off();
    assert_eq!(
        h2.send(status(HandoffCode::Expired, pending())).last(),
        Some(&Effect::Show(handoff(false, PhoneProgress::CodeExpired)))
    );
}

#[test]
fn persona_own_phone_link_is_reflected() {
    let mut h = Harness::new();
    h.open_capture();
    assert_eq!(
        h.send(Event::PersonaEvent {
            name: "one-time-link-sent".into()
        }),
        [Effect::Show(Screen::CaptureOnPhone)]
    );
    assert!(h
        .send(Event::PersonaEvent {
            name: "document-camera-capture".into()
        })
        .is_empty());
    assert_eq!(
        h.send(Event::PersonaEvent {
            name: "one-time-link-exit".into()
        }),
        [Effect::Show(Screen::Capture)]
    );
    h.send(Event::PersonaEvent {
        name: "one-time-link-start".into(),
    });
    let fx = h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
    assert_eq!(fx[0], Effect::DestroyPersona);
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_verification() -> impl Strategy<Value = IdentityVerification> {
        (
            prop_oneof![Just(IV), Just("iv_2")],
            prop_oneof![
                Just("storing"),
                Just("waiting"),
                Just("pending"),
                Just("reviewing"),
                Just("expired"),
                Just("completed"),
                Just("weird"),
            ],
            proptest::option::of(Just(INQUIRY)),
            prop_oneof![Just(None), Just(Some("passed")), Just(Some("failed"))],
            proptest::collection::vec(
                prop_oneof![
                    Just("id_quality_check_failure"),
                    Just("name_check_failure"),
                    Just("selfie_failure"),
                    Just("plaid_failure"),
                    Just("new_code"),
                ],
                0..3,
            ),
            -2 * INQUIRY_LIFETIME..INQUIRY_LIFETIME,
        )
            .prop_map(|(guid, state, inquiry, outcome, codes, age)| {
                let mut v = verification_at(guid, state, inquiry, T0 - age);
                v.outcome = outcome.map(crate::core::api::Outcome::parse);
                v.failure_codes = codes.into_iter().map(FailureCode::parse).collect();
                v
            })
    }

    fn any_error() -> impl Strategy<Value = HttpError> {
        prop_oneof![
            Just(HttpError::Network),
            Just(HttpError::Timeout),
            Just(HttpError::Malformed),
            (
                prop_oneof![
                    Just(400u16),
                    Just(401),
                    Just(404),
                    Just(422),
                    Just(429),
                    Just(500),
                    Just(503)
                ],
                proptest::option::of(0u32..100_000)
            )
                .prop_map(|(status, retry_after_ms)| HttpError::Status {
                    status,
                    retry_after_ms,
                    message_code: None
                }),
        ]
    }

    /// Any answer, of any kind.
    fn any_answer() -> impl Strategy<Value = Answer> {
        prop_oneof![
            Just(Answer::SessionLoaded {
                customer_guid: CUSTOMER.into(),
                server_ms: None,
                idle_ms: None,
            }),
            Just(Answer::SessionLoaded {
                customer_guid: CUSTOMER.into(),
                server_ms: None,
                idle_ms: Some(MINUTE),
            }),
            // A device clock two days fast.
            Just(Answer::SessionLoaded {
                customer_guid: CUSTOMER.into(),
                server_ms: Some(T0 - 48 * HOUR),
                idle_ms: None,
            }),
            prop_oneof![
                Just("storing"),
                Just("unverified"),
                Just("verified"),
                Just("rejected"),
                Just("frozen"),
                Just("odd")
            ]
            .prop_map(|s| Answer::CustomerLoaded(customer(s))),
            proptest::collection::vec(any_verification(), 0..3)
                .prop_map(Answer::VerificationsListed),
            any_verification().prop_map(Answer::VerificationCreated),
            any_verification().prop_map(Answer::VerificationPolled),
            Just(token("tok")),
            any_error().prop_map(Answer::Failed),
        ]
    }

    fn any_event() -> impl Strategy<Value = Event> {
        prop_oneof![
            (proptest::option::of(Just(IV.to_owned())), any::<bool>()).prop_map(
                |(remembered, starting)| Event::AppStarted {
                    remembered,
                    handoff: false,
                    starting,
                }
            ),
            (0u32..60, any_answer())
                .prop_map(|(id, answer)| Event::Answered(RequestId(id), answer)),
            Just(Event::TimerFired(TimerId::IdleWarning)),
            Just(Event::PersonaReady),
            Just(Event::PersonaCompleted {
                status: "completed".into()
            }),
            Just(Event::PersonaCancelled),
            Just(Event::PersonaErrored {
                code: PersonaErrorCode::Unauthenticated
            }),
            Just(Event::PersonaUnavailable),
            prop_oneof![
                (0u32..40).prop_map(TimerId::Request),
                (0u32..4).prop_map(TimerId::PersonaReady),
                Just(TimerId::HandoffRefresh),
                Just(TimerId::IdleWarning),
            ]
            .prop_map(Event::TimerFired),
            any::<bool>().prop_map(|online| Event::Connectivity { online }),
            prop_oneof![
                Just(UserAction::Start),
                Just(UserAction::Retry),
                Just(UserAction::Resume),
                Just(UserAction::KeepWaiting),
                Just(UserAction::StartOver),
                Just(UserAction::ContinueOnPhone),
                Just(UserAction::NewCode),
                Just(UserAction::UseThisDevice),
                Just(UserAction::StayHere),
                Just(UserAction::LinkForBrowser),
            ]
            .prop_map(Event::User),
            any::<bool>().prop_map(Event::LinkCopied),
            prop_oneof![
                Just("one-time-link-sent"),
                Just("one-time-link-exit"),
                Just("start")
            ]
            .prop_map(|n| Event::PersonaEvent { name: n.into() }),
        ]
    }

    /// One step of a random run. Most moves answer what the flow is waiting for, so runs
    /// go deep (creates, retries, Persona) instead of bouncing off ignored events.
    #[derive(Clone, Debug)]
    enum Move {
        /// Answer the request in flight with this data.
        Answer(Vec<IdentityVerification>, &'static str),
        /// Fail the request in flight.
        Fail(HttpError),
        /// Fire the pending timer.
        FireTimer,
        /// Any answer, with the id of the request in flight (of whichever kind).
        Reply(Box<Answer>),
        /// Anything at all, stale or not.
        Any(Box<Event>),
        /// Answer the link for the customer's own browser, if one is being made: made, or not.
        AnswerLink(bool),
    }

    fn any_move() -> impl Strategy<Value = Move> {
        let customer_state = prop_oneof![
            6 => Just("unverified"),
            1 => Just("active"),
            1 => Just("used"),
            1 => Just("expired"),
            1 => Just("storing"),
            1 => Just("verified"),
            1 => Just("rejected"),
            1 => Just("frozen"),
            1 => Just("odd"),
        ];
        prop_oneof![
            6 => (proptest::collection::vec(any_verification(), 0..3), customer_state)
                .prop_map(|(list, state)| Move::Answer(list, state)),
            2 => any_error().prop_map(Move::Fail),
            4 => Just(Move::FireTimer),
            2 => any_answer().prop_map(|a| Move::Reply(Box::new(a))),
            4 => any_event().prop_map(|e| Move::Any(Box::new(e))),
            1 => any::<bool>().prop_map(Move::AnswerLink),
        ]
    }

    /// Turns a move into the event the shell would report.
    fn event_for(flow: &Flow, m: Move) -> Option<Event> {
        match m {
            Move::Answer(list, state) => {
                let first = list.first().cloned();
                let (id, kind) = flow.requests.in_flight?;
                Some(Event::Answered(
                    id,
                    match kind {
                        RequestKind::Session | RequestKind::KeepAlive => Answer::SessionLoaded {
                            customer_guid: CUSTOMER.into(),
                            server_ms: None,
                            idle_ms: None,
                        },
                        RequestKind::Customer => Answer::CustomerLoaded(customer(state)),
                        RequestKind::ListVerifications => Answer::VerificationsListed(list),
                        RequestKind::CreateVerification => Answer::VerificationCreated(first?),
                        RequestKind::Verification => {
                            let mut v = first?;
                            v.guid = flow.verification_guid()?.to_owned();
                            Answer::VerificationPolled(v)
                        }
                        RequestKind::PersonaSession => token("tok"),
                        RequestKind::Handoff | RequestKind::HandoffRevoke => {
                            Answer::HandoffMinted {
                                path: "/handoff/code".into(),
                                expires_ms: None,
                                confirm: None,
                            }
                        }
                        RequestKind::HandoffStatus => Answer::HandoffStatus {
                            code: HandoffCode::parse(state),
                            verification: first,
                            phone: None,
                        },
                        RequestKind::HandoffCancel => Answer::HandoffCancelled,
                    },
                ))
            }
            Move::Fail(error) => Some(Event::Answered(
                flow.requests.in_flight?.0,
                Answer::Failed(error),
            )),
            Move::Reply(answer) => Some(Event::Answered(flow.requests.in_flight?.0, *answer)),
            Move::FireTimer => Some(Event::TimerFired(flow.requests.timer?.0)),
            Move::Any(event) => Some(*event),
            Move::AnswerLink(made) => Some(Event::Answered(
                flow.link.making?,
                if made {
                    Answer::HandoffMinted {
                        path: "/handoff/link".into(),
                        expires_ms: None,
                        confirm: None,
                    }
                } else {
                    Answer::Failed(HttpError::Network)
                },
            )),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3_000, ..ProptestConfig::default() })]

        /// Whatever happens, in whatever order: no panic, never two creates without a list
        /// between them, one request at a time, and `Show` always names the screen the flow
        /// is on.
        #[test]
        fn random_runs_keep_the_invariants(
            moves in proptest::collection::vec((0i64..200_000, any_move()), 1..120)
        ) {
            let mut flow = Flow::new(Lang::En);
            let mut now = T0;
            let mut listed_since_create = true;
            for (dt, m) in moves {
                now += dt;
                let Some(event) = event_for(&flow, m) else { continue };
                let before = flow.screen();
                let link_out = flow.link.making.is_some();
                let (next, fx) = step(flow, now, event);
                flow = next;
                for effect in &fx {
                    match effect {
                        Effect::Send(_, Request::ListVerifications { .. }) => listed_since_create = true,
                        Effect::Send(_, Request::CreateVerification(_)) => {
                            prop_assert!(listed_since_create, "two creates without a list: {fx:?}");
                            listed_since_create = false;
                        }
                        _ => {}
                    }
                }
                let shown: Vec<&Screen> = fx.iter().filter_map(|e| match e {
                    Effect::Show(s) => Some(s),
                    _ => None,
                }).collect();
                let after = flow.screen();
                if after == before {
                    prop_assert!(shown.is_empty());
                } else {
                    prop_assert_eq!(shown, vec![&after]);
                }
                let requests = fx.iter().filter(|e| matches!(e,
                    Effect::Send(_, Request::FetchSession | Request::FetchCustomer { .. })
                    | Effect::Send(_, Request::ListVerifications { .. }) | Effect::Send(_, Request::CreateVerification(_))
                    | Effect::Send(_, Request::FetchVerification { .. }) | Effect::Send(_, Request::RequestSessionToken(_)))).count();
                prop_assert!(requests <= 1, "one request at a time: {fx:?}");
                if fx.contains(&Effect::StartCopy) {
                    prop_assert!(!link_out, "one link at a time: {fx:?}");
                    prop_assert!(flow.link.making.is_some_and(|id| fx.contains(&Effect::Send(id, Request::MintHandoff))));
                }
                if fx.iter().any(|e| matches!(e, Effect::LaunchPersona { .. })) {
                    prop_assert!(!flow.handoff.following, "no Persona here while the phone has it");
                }
            }
        }
    }
}

#[test]
fn other_spellings_of_a_screen_address_lead_to_it() {
    for (raw, path) in [
        ("/", "/"),
        ("", "/"),
        ("//", "/"),
        ("/index.html", "/"),
        ("/index.html/", "/"),
        ("/start/", "/start"),
        ("/paused//", "/paused"),
        ("/verified", "/verified"),
        ("/nowhere/", "/nowhere"),
        ("/start/x", "/start/x"),
    ] {
        assert_eq!(canonical_path(raw), path, "{raw}");
    }
    assert!(!PATHS.contains(&canonical_path("/nowhere")));
}

#[test]
fn an_abandoned_phone_is_followed_at_a_slower_pace() {
    let pace = |fx: &[Effect]| {
        fx.iter().find_map(|e| match e {
            Effect::StartTimer { ms, .. } => Some(*ms),
            _ => None,
        })
    };
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.handing_off();
    // Waiting for the phone, then with it: every two seconds.
    assert_eq!(
        pace(&h.send(status(HandoffCode::Active, None))),
        Some(HANDOFF_POLL_MS)
    );
    h.send(Event::TimerFired(h.last_timer()));
    assert_eq!(
        pace(&h.send(status(HandoffCode::Used, None))),
        Some(HANDOFF_POLL_MS)
    );
    // Still with the phone, unfinished, five minutes on: every ten seconds.
    h.advance(HANDOFF_SLOW_AFTER - 1);
    h.send(Event::TimerFired(h.last_timer()));
    let pending = verification("pending", Some(INQUIRY));
    assert_eq!(
        pace(&h.send(status(HandoffCode::Used, Some(pending.clone())))),
        Some(HANDOFF_POLL_MS)
    );
    h.advance(1);
    h.send(Event::TimerFired(h.last_timer()));
    assert_eq!(
        pace(&h.send(status(HandoffCode::Used, Some(pending)))),
        Some(HANDOFF_SLOW_POLL_MS)
    );
}

#[test]
fn a_retry_or_an_expiry_can_carry_on_on_the_phone() {
    // The retry's tips may say to use a phone camera rather than a webcam: the desktop can
    // hand off from there, and from an expired verification, as from the prep screen.
    for (state, codes, screen_is_retry) in [
        ("failed", &["id_quality_check_failure"][..], true),
        ("expired", &[][..], false),
    ] {
        let mut h = Harness::new();
        let fx = h.loaded(
            Some(IV),
            vec![if state == "failed" {
                completed("failed", codes)
            } else {
                verification("expired", Some(INQUIRY))
            }],
        );
        assert!(
            fx.iter().any(|e| matches!(
                e,
                Effect::Show(Screen::Retry { .. }) if screen_is_retry
            ) || matches!(e, Effect::Show(Screen::Expired(_)) if !screen_is_retry)),
            "{fx:?}"
        );
        assert_eq!(
            h.send(Event::User(UserAction::ContinueOnPhone)),
            [
                Effect::MarkHandoff(true),
                sent(Request::MintHandoff),
                Effect::Show(handoff(false, PhoneProgress::WaitingForPhone))
            ]
        );
        let fx = h.send(Answer::HandoffMinted {
            path: "/handoff/c0de".into(),
            expires_ms: Some(T0 + 600_000),
            confirm: None,
        });
        let asks = |fx: &[Effect]| {
            fx.iter()
                .find_map(|e| match e {
                    Effect::StartTimer { id, .. } => Some(*id),
                    _ => None,
                })
                .expect("the desktop keeps asking")
        };
        assert_eq!(
            h.send(Event::TimerFired(asks(&fx))),
            [sent(Request::FetchHandoffStatus)]
        );
        // Taken back here before the phone came: the same screen again, tips and all.
        h.send(status(HandoffCode::Active, None));
        let back = h.send(Event::User(UserAction::UseThisDevice));
        assert!(
            matches!(back.last(), Some(Effect::Show(Screen::Retry { tips, .. })) if screen_is_retry && !tips.is_empty())
                || matches!(back.last(), Some(Effect::Show(Screen::Expired(_))) if !screen_is_retry),
            "{back:?}"
        );
        h.send(Event::User(UserAction::ContinueOnPhone));
        let fx = h.send(Answer::HandoffMinted {
            path: "/handoff/c0de".into(),
            expires_ms: Some(T0 + 600_000),
            confirm: None,
        });
        h.send(Event::TimerFired(asks(&fx)));
        // The phone's own verification is followed as usual.
        let mut phones = verification_at("iv_phone", "pending", Some(INQUIRY), T0 + 1);
        phones.persona_inquiry_id = Some("inq_phone".into());
        let fx = h.send(status(HandoffCode::Used, Some(phones)));
        assert!(fx.contains(&Effect::Remember("iv_phone".into())), "{fx:?}");
    }
}

#[test]
fn a_document_sent_from_the_phone_returns_the_desktop_to_the_review_not_to_an_outcome() {
    let mut h = Harness::new();
    let request = document_request("waiting");
    let fx = h.loaded(Some(IV), vec![request.clone(), under_review()]);
    assert_eq!(fx.last(), Some(&Effect::Show(documents_screen())));
    h.handing_off();
    // The phone is sending it.
    let mut sending = request.clone();
    sending.state = VerificationState::Pending;
    let fx = h.send(status(HandoffCode::Used, Some(sending)));
    assert_eq!(
        fx.last(),
        Some(&Effect::Show(handoff(true, PhoneProgress::InProgress)))
    );
    // Sent, and the request itself passed: that is not the customer's verdict.
    h.send(Event::TimerFired(h.last_timer()));
    let mut accepted = request.clone();
    accepted.state = VerificationState::Completed;
    accepted.outcome = Some(crate::core::api::Outcome::Passed);
    let fx = h.send(status(HandoffCode::Used, Some(accepted.clone())));
    assert_eq!(
        fx,
        [
            Effect::MarkHandoff(false),
            list_verifications(),
            Effect::Show(Screen::Loading)
        ]
    );
    let fx = h.send(Answer::VerificationsListed(vec![under_review(), accepted]));
    assert!(
        matches!(fx.last(), Some(Effect::Show(Screen::Review { .. }))),
        "{fx:?}"
    );
}

#[test]
fn no_new_code_while_a_phone_is_using_the_one_shown() {
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.handing_off();
    h.send(status(HandoffCode::Used, None));
    assert!(h.send(Event::User(UserAction::NewCode)).is_empty());
    // A code that lapsed unused can be replaced.
    let mut h = Harness::new();
    h.loaded(None, vec![]);
    h.handing_off();
    h.send(status(HandoffCode::Expired, None));
    assert!(h
        .send(Event::User(UserAction::NewCode))
        .contains(&sent(Request::MintHandoff)));
}

#[test]
fn a_document_request_handed_off_and_taken_back_is_offered_and_the_review_watched_again() {
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![document_request("waiting"), under_review()]);
    assert_eq!(fx.last(), Some(&Effect::Show(documents_screen())));
    h.handing_off();
    h.send(status(HandoffCode::Active, None));
    let fx = h.send(Event::User(UserAction::UseThisDevice));
    assert_eq!(fx.last(), Some(&Effect::Show(documents_screen())));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::StartTimer { .. })),
        "the review is looked at again: {fx:?}"
    );
    // The review ends without the document: the desktop follows it.
    h.send(Event::TimerFired(h.last_timer()));
    let fx = h.send(Answer::VerificationsListed(vec![
        completed("passed", &[]),
        document_request("waiting"),
    ]));
    assert!(fx.contains(&fetch_customer()), "{fx:?}");
}

#[test]
fn a_handoff_link_carries_the_language_being_read_unless_english() {
    assert_eq!(
        handoff_url("https://kyc.example", "/handoff/c0de", Lang::En),
        "https://kyc.example/handoff/c0de"
    );
    assert_eq!(
        handoff_url("https://kyc.example", "/handoff/c0de", Lang::FrCa),
        "https://kyc.example/handoff/c0de?lang=fr-CA"
    );
}
