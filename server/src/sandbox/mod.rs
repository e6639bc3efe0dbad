//! The sandbox: an in-memory emulator of the Cybrid endpoints the app uses and of the Persona
//! inquiry behind them, with the documented life cycle.
//!
//! `storing` -> `waiting` (with a `persona_inquiry_id`, after the inquiry delay) -> `pending`
//! (the customer started in the widget) -> `completed` passed or failed, `reviewing` first for
//! review codes, or `expired`. The customer then becomes `verified`, stays `unverified`, or is
//! `rejected`, as the scenario says. State advances lazily, whenever it is read.

pub mod fault;
pub mod pages;
pub mod scenario;
mod verification;
pub mod widget;

use std::collections::HashMap;
use std::sync::Mutex;

use kyc_onboarding::core::api::{
    ComplianceCheck, ComplianceDecision, Customer, CustomerState, CustomerType, ExpectedBehaviour,
    IdentityVerification, Outcome, PersonaSession, PersonaState, PostIdentityVerification,
    PostPersonaSession, VerificationMethod, VerificationState, VerificationType,
};
use kyc_onboarding::core::failure::{FailureCategory, FailureCode};
use kyc_onboarding::core::flow::PersonaErrorCode;
use kyc_onboarding::core::time::{format_rfc3339, Millis, HOUR, MINUTE};

use crate::backend::ApiError;
use crate::config::Timings;
use crate::endpoint::Endpoint;
use crate::fault_injection::FaultKind;
use crate::secret;
use crate::state::AppState;
use fault::FaultRule;
use scenario::{Kind, Scenario};

/// How the simulated widget refuses: Persona's error code, spelled as the app reads it
/// ([`PersonaErrorCode::parse`]).
pub(crate) fn refusal(code: PersonaErrorCode) -> &'static str {
    code.known().unwrap_or_default()
}

/// The emulator's own routes: its scenario pages, the simulated Persona widget, the bank's
/// token and customer calls (a mode-2 server pointed at this sandbox uses them).
pub fn routes() -> axum::Router<std::sync::Arc<AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/sandbox", get(pages::index))
        .route("/sandbox/start", get(pages::start))
        .route("/sandbox/api/state", get(pages::report))
        .route("/sandbox/api/catalog", get(pages::catalog))
        .route("/sandbox/embed", get(pages::embed))
        .route("/sandbox/embed.js", get(pages::embed_script))
        .route("/sandbox/api/faults", post(pages::add_faults))
        .route("/oauth/token", post(pages::oauth_token))
        .route("/api/customers", post(pages::bank_create_customer))
        .route("/widget", get(widget::widget_page))
        .route("/widget.js", get(widget::widget_script))
        .route("/widget.css", get(widget::widget_style))
        .route("/preload", get(widget::preload))
        .route("/widget/api/open", post(widget::open))
        .route("/widget/api/start", post(widget::start))
        .route("/widget/api/submit", post(widget::submit))
}

/// The emulator behind the production backend's seam.
impl crate::backend::Emulator for Sandbox {
    fn customer(&self, guid: &str, now: Millis) -> Option<Customer> {
        Sandbox::customer(self, guid, now)
    }
    fn list(&self, customer_guid: &str, now: Millis) -> Vec<IdentityVerification> {
        Sandbox::list(self, customer_guid, now)
    }
    fn verification(&self, guid: &str, now: Millis) -> Option<IdentityVerification> {
        Sandbox::verification(self, guid, now)
    }
    fn create(
        &self,
        post: &PostIdentityVerification,
        now: Millis,
    ) -> Result<IdentityVerification, ApiError> {
        Sandbox::create(self, post, now)
    }
    fn persona_session(
        &self,
        post: &PostPersonaSession,
        now: Millis,
    ) -> Result<PersonaSession, ApiError> {
        Sandbox::persona_session(self, post, now)
    }
    fn take_fault(&self, customer_guid: &str, endpoint: Endpoint) -> Option<FaultKind> {
        Sandbox::take_fault(self, customer_guid, endpoint)
    }
    fn bank_token_valid(&self, token: &str, now: Millis) -> bool {
        Sandbox::bank_token_valid(self, token, now)
    }
    fn as_any(&self) -> &(dyn std::any::Any + Send + Sync) {
        self
    }
}

impl SandboxCustomer {
    /// Individual, or business as the scenario says.
    fn kind(&self) -> CustomerType {
        if self.scenario.business {
            CustomerType::Business
        } else {
            CustomerType::Individual
        }
    }
}

impl Sandbox {
    /// The server's emulator, when the sandbox is its backend.
    pub fn of(state: &AppState) -> Option<&Sandbox> {
        state.backend.emulator()?.as_any().downcast_ref::<Sandbox>()
    }
}

struct SandboxCustomer {
    guid: String,
    created_ms: Millis,
    state: CustomerState,
    /// A change the decision will bring, and when.
    change: Option<(Millis, CustomerState)>,
    scenario: Scenario,
    persona_session_requests: u32,
}

struct SandboxVerification {
    guid: String,
    customer_guid: String,
    created_ms: Millis,
    updated_ms: Millis,
    kind: VerificationType,
    method: VerificationMethod,
    expected: Vec<ExpectedBehaviour>,
    state: VerificationState,
    outcome: Option<Outcome>,
    failure_codes: Vec<String>,
    inquiry_id: Option<String>,
    persona_state: Option<PersonaState>,
    /// When the customer submitted in the widget.
    submitted_ms: Option<Millis>,
    /// The compliance checks and decisions a finished verification reports.
    checks: Vec<ComplianceCheck>,
    decisions: Vec<ComplianceDecision>,
}

/// A Persona session token: single use, for one inquiry.
struct Token {
    inquiry_id: String,
    used: bool,
    expires_ms: Millis,
}

/// The widget's own session, after a successful open.
struct WidgetSession {
    inquiry_id: String,
}

/// How long the sandbox keeps a customer (and its verifications): far longer than any
/// session, so nothing a browser or a mode-2 server can still reach goes; a demo server left
/// running for months does not grow for good (nor slow down: every read walks the list).
pub const KEPT_FOR: Millis = 7 * 24 * HOUR;
/// How often the sandbox looks for what has outlived [`KEPT_FOR`] or expired.
const SWEEP_EVERY: Millis = 10 * MINUTE;

#[derive(Default)]
struct World {
    /// When the last sweep ran.
    swept: Millis,
    customers: HashMap<String, SandboxCustomer>,
    /// In creation order.
    verifications: Vec<SandboxVerification>,
    tokens: HashMap<String, Token>,
    widget_sessions: HashMap<String, WidgetSession>,
    bank_tokens: HashMap<String, Millis>,
    bank_tokens_issued: u32,
    /// Calls made with a bank token (what Cybrid would see of a mode-2 server).
    bank_calls: u32,
}

/// What `open` in the widget answers.
#[derive(Debug)]
pub struct WidgetOpened {
    /// Identifies the widget session in later calls.
    pub widget_session: String,
    /// The session token Persona hands back on exit.
    pub exit_token: String,
    /// True when the customer had already started (a resume).
    pub resumed: bool,
    /// The inquiry asks for a document (`document_submission`), not an ID and a selfie.
    pub document: bool,
}

/// Counts for the tests' assertions (`GET /sandbox/api/state`).
#[derive(Debug, serde::Serialize)]
pub struct CustomerReport {
    pub customer_state: String,
    pub verifications: usize,
    pub states: Vec<String>,
    /// Each verification's method, oldest first (`business_registration` for a business).
    pub methods: Vec<String>,
    pub persona_session_requests: u32,
}

/// The emulator.
pub struct Sandbox {
    world: Mutex<World>,
    /// Timings for customers created without a scenario (through the bank API).
    pub timings: Timings,
    /// Credentials a mode-2 server presents at `/oauth/token`.
    bank_credentials: Option<(String, String)>,
}

impl Sandbox {
    /// An empty sandbox.
    pub fn new(timings: Timings, bank_credentials: Option<(String, String)>) -> Sandbox {
        Sandbox {
            world: Mutex::new(World::default()),
            timings,
            bank_credentials,
        }
    }

    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        // A panic while holding the lock leaves plain data behind: keep serving.
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates a customer set up for `scenario`; returns its guid.
    pub fn new_customer(&self, scenario: Scenario, now: Millis) -> String {
        let guid = secret::hex_id();
        let state = match scenario.kind {
            Kind::AlreadyVerified | Kind::VerifiedAsksForDocuments => CustomerState::Verified,
            Kind::AlreadyRejected => CustomerState::Rejected,
            Kind::Frozen => CustomerState::Frozen,
            _ => CustomerState::Unverified,
        };
        let mut world = self.world();
        if scenario.kind == Kind::PendingToResume {
            let created = now - HOUR;
            world.verifications.push(SandboxVerification {
                guid: secret::hex_id(),
                customer_guid: guid.clone(),
                created_ms: created,
                updated_ms: created + 60_000,
                kind: VerificationType::Kyc,
                method: VerificationMethod::IdAndSelfie,
                expected: Vec::new(),
                state: VerificationState::Pending,
                outcome: None,
                failure_codes: Vec::new(),
                inquiry_id: Some(secret::inquiry_id()),
                persona_state: Some(PersonaState::Pending),
                submitted_ms: None,
                checks: Vec::new(),
                decisions: Vec::new(),
            });
        }
        if scenario.kind == Kind::VerifiedAsksForDocuments {
            // Verified a month ago; compliance asked for a bank statement an hour ago (seed
            // 003, as for a bank account), ready to open.
            let created = now - 30 * 24 * HOUR;
            let mut v =
                SandboxVerification::storing(&guid, VerificationMethod::IdAndSelfie, created);
            v.state = VerificationState::Completed;
            v.outcome = Some(Outcome::Passed);
            v.inquiry_id = Some(secret::inquiry_id());
            v.persona_state = Some(PersonaState::Completed);
            v.updated_ms = created + 5 * MINUTE;
            world.verifications.push(v);
            let asked = now - HOUR;
            let mut request =
                SandboxVerification::storing(&guid, VerificationMethod::DocumentSubmission, asked);
            request.state = VerificationState::Waiting;
            request.inquiry_id = Some(secret::inquiry_id());
            request.persona_state = Some(PersonaState::Waiting);
            request.updated_ms = asked;
            world.verifications.push(request);
        }
        if scenario.kind == Kind::Renewal {
            // Verified a year ago; the ID used has expired since, and the customer with it.
            let created = now - 365 * 24 * HOUR;
            let mut v =
                SandboxVerification::storing(&guid, VerificationMethod::IdAndSelfie, created);
            v.state = VerificationState::Completed;
            v.outcome = Some(Outcome::Passed);
            v.inquiry_id = Some(secret::inquiry_id());
            v.persona_state = Some(PersonaState::Completed);
            v.updated_ms = created + 5 * MINUTE;
            world.verifications.push(v);
        }
        world.customers.insert(
            guid.clone(),
            SandboxCustomer {
                guid: guid.clone(),
                created_ms: now,
                state,
                change: None,
                scenario,
                persona_session_requests: 0,
            },
        );
        guid
    }

    /// `GET /api/customers/{guid}`.
    pub fn customer(&self, guid: &str, now: Millis) -> Option<Customer> {
        let mut world = self.world();
        world.advance(now);
        world.customers.get(guid).map(|c| Customer {
            guid: c.guid.clone(),
            kind: Some(c.kind()),
            created_at: Some(format_rfc3339(c.created_ms)),
            state: c.state.clone(),
        })
    }

    /// `GET /api/identity_verifications?customer_guid=`: newest first.
    pub fn list(&self, customer_guid: &str, now: Millis) -> Vec<IdentityVerification> {
        let mut world = self.world();
        world.advance(now);
        let mut list: Vec<IdentityVerification> = world
            .verifications
            .iter()
            .filter(|v| v.customer_guid == customer_guid)
            .map(SandboxVerification::to_api)
            .collect();
        list.reverse();
        list
    }

    /// `GET /api/identity_verifications/{guid}`.
    pub fn verification(&self, guid: &str, now: Millis) -> Option<IdentityVerification> {
        let mut world = self.world();
        world.advance(now);
        world
            .verifications
            .iter()
            .find(|v| v.guid == guid)
            .map(SandboxVerification::to_api)
    }

    /// `POST /api/identity_verifications`.
    pub fn create(
        &self,
        post: &PostIdentityVerification,
        now: Millis,
    ) -> Result<IdentityVerification, ApiError> {
        let mut world = self.world();
        let Some(kind) = world.customers.get(&post.customer_guid).map(|c| c.kind()) else {
            return Err(ApiError::not_found("customer"));
        };
        if post.kind != VerificationType::Kyc {
            return Err(ApiError::invalid(
                "only kyc verifications exist in this sandbox",
            ));
        }
        // As Cybrid does, a business is verified by its registration, a person by ID and
        // selfie; the other is refused (422).
        let expected = VerificationMethod::for_customer(Some(&kind));
        if post.method != expected && post.method != VerificationMethod::DocumentSubmission {
            return Err(ApiError::invalid(&format!(
                "a {} customer is verified with {}, not {}",
                kind.as_str(),
                expected.as_str(),
                post.method.as_str()
            )));
        }
        let mut v = SandboxVerification::storing(&post.customer_guid, post.method.clone(), now);
        v.kind = post.kind.clone();
        v.expected = post.expected_behaviours.clone();
        let api = v.to_api();
        world.verifications.push(v);
        Ok(api)
    }

    /// `POST /api/persona_sessions`: a new single-use token for the inquiry.
    pub fn persona_session(
        &self,
        post: &PostPersonaSession,
        now: Millis,
    ) -> Result<PersonaSession, ApiError> {
        let mut world = self.world();
        world.advance(now);
        let v = world
            .verifications
            .iter()
            .find(|v| v.guid == post.identity_verification_guid)
            .ok_or_else(|| ApiError::not_found("identity verification"))?;
        if v.inquiry_id.as_deref() != Some(post.persona_inquiry_id.as_str()) {
            return Err(ApiError::not_found("persona inquiry"));
        }
        if !matches!(
            v.state,
            VerificationState::Waiting | VerificationState::Pending
        ) {
            return Err(ApiError::invalid("the inquiry can no longer be resumed"));
        }
        let customer_guid = v.customer_guid.clone();
        if let Some(c) = world.customers.get_mut(&customer_guid) {
            c.persona_session_requests += 1;
        }
        let token = world.mint_token(&post.persona_inquiry_id, now);
        Ok(PersonaSession {
            persona_session_token: token,
            persona_inquiry_id: post.persona_inquiry_id.clone(),
            identity_verification_guid: Some(post.identity_verification_guid.clone()),
        })
    }

    /// The customer who owns an inquiry (for scoping checks).
    pub fn customer_of_verification(&self, guid: &str) -> Option<String> {
        let world = self.world();
        world
            .verifications
            .iter()
            .find(|v| v.guid == guid)
            .map(|v| v.customer_guid.clone())
    }

    /// Takes the next injected fault for this customer's call, if any.
    pub fn take_fault(&self, customer_guid: &str, endpoint: Endpoint) -> Option<FaultKind> {
        let mut world = self.world();
        let customer = world.customers.get_mut(customer_guid)?;
        fault::take(&mut customer.scenario.faults, endpoint)
    }

    /// Adds fault rules for this customer, after dropping the spent ones. Refused (nothing
    /// added) when more than [`fault::MAX_WAITING`] would then wait: every request of the
    /// customer looks through them under the sandbox's one lock.
    pub fn add_faults(&self, customer_guid: &str, rules: Vec<FaultRule>) -> Result<(), String> {
        let mut world = self.world();
        let Some(customer) = world.customers.get_mut(customer_guid) else {
            return Err("this session's customer is gone".to_owned());
        };
        let faults = &mut customer.scenario.faults;
        faults.retain(|rule| rule.remaining > 0);
        if faults.len() + rules.len() > fault::MAX_WAITING {
            return Err(format!(
                "at most {} fault rules may wait at once; {} are waiting",
                fault::MAX_WAITING,
                faults.len()
            ));
        }
        faults.extend(rules);
        Ok(())
    }

    /// Counts for tests.
    pub fn report(&self, customer_guid: &str, now: Millis) -> Option<CustomerReport> {
        let mut world = self.world();
        world.advance(now);
        let c = world.customers.get(customer_guid)?;
        let mine: Vec<&SandboxVerification> = world
            .verifications
            .iter()
            .filter(|v| v.customer_guid == customer_guid)
            .collect();
        Some(CustomerReport {
            customer_state: c.state.as_str().to_owned(),
            verifications: mine.len(),
            states: mine.iter().map(|v| v.state.as_str().to_owned()).collect(),
            methods: mine.iter().map(|v| v.method.as_str().to_owned()).collect(),
            persona_session_requests: c.persona_session_requests,
        })
    }

    /// The widget opens an inquiry, with the session token when resuming. The error is
    /// Persona's code (`unauthenticated` for a wrong, used or missing token).
    pub fn widget_open(
        &self,
        inquiry_id: &str,
        token: Option<&str>,
        now: Millis,
    ) -> Result<WidgetOpened, &'static str> {
        let unauthenticated = refusal(PersonaErrorCode::Unauthenticated);
        let mut world = self.world();
        world.advance(now);
        let v = world
            .verifications
            .iter()
            .find(|v| v.inquiry_id.as_deref() == Some(inquiry_id))
            .ok_or(unauthenticated)?;
        let state = v.state.clone();
        let document = v.method == VerificationMethod::DocumentSubmission;
        match token {
            Some(token) => {
                let t = world.tokens.get_mut(token).ok_or(unauthenticated)?;
                if t.used || t.inquiry_id != inquiry_id || now >= t.expires_ms {
                    return Err(unauthenticated);
                }
                t.used = true;
            }
            // A started inquiry can only be resumed with a session token.
            None if state == VerificationState::Pending => return Err(unauthenticated),
            None => {}
        }
        if !matches!(
            state,
            VerificationState::Waiting | VerificationState::Pending
        ) {
            return Err(refusal(PersonaErrorCode::InactiveTemplate));
        }
        let widget_session = secret::token("pws");
        world.widget_sessions.insert(
            widget_session.clone(),
            WidgetSession {
                inquiry_id: inquiry_id.to_owned(),
            },
        );
        let exit_token = world.mint_token(inquiry_id, now);
        Ok(WidgetOpened {
            widget_session,
            exit_token,
            resumed: state == VerificationState::Pending,
            document,
        })
    }

    /// The customer pressed start in the widget: `waiting` -> `pending`.
    pub fn widget_start(&self, widget_session: &str, now: Millis) -> bool {
        let mut world = self.world();
        world.advance(now);
        let Some(inquiry) = world
            .widget_sessions
            .get(widget_session)
            .map(|s| s.inquiry_id.clone())
        else {
            return false;
        };
        match world.verification_by_inquiry(&inquiry) {
            Some(v)
                if matches!(
                    v.state,
                    VerificationState::Waiting | VerificationState::Pending
                ) =>
            {
                v.state = VerificationState::Pending;
                v.persona_state = Some(PersonaState::Pending);
                v.updated_ms = now;
                true
            }
            _ => false,
        }
    }

    /// The customer submitted in the widget. Returns Persona's status for the `complete`
    /// (`completed`) or `fail` (`failed`) event.
    pub fn widget_submit(&self, widget_session: &str, now: Millis) -> Option<&'static str> {
        let mut world = self.world();
        world.advance(now);
        let inquiry = world.widget_sessions.remove(widget_session)?.inquiry_id;
        let customer_guid = {
            let v = world.verification_by_inquiry(&inquiry)?;
            if v.state != VerificationState::Pending {
                return None;
            }
            v.submitted_ms = Some(now);
            v.persona_state = Some(PersonaState::Processing);
            v.updated_ms = now;
            v.customer_guid.clone()
        };
        let kind = world.customers.get(&customer_guid)?.scenario.kind;
        Some(if kind == Kind::Fails {
            "failed"
        } else {
            "completed"
        })
    }

    /// `POST /oauth/token` of the identity host: a bank token for the configured client.
    pub fn issue_bank_token(
        &self,
        client_id: &str,
        client_secret: &str,
        now: Millis,
    ) -> Option<String> {
        let (id, secret_value) = self.bank_credentials.as_ref()?;
        if !secret::equal(id.as_bytes(), client_id.as_bytes())
            || !secret::equal(secret_value.as_bytes(), client_secret.as_bytes())
        {
            return None;
        }
        let token = secret::token("bank");
        let mut world = self.world();
        world.bank_tokens.insert(token.clone(), now + HOUR);
        world.bank_tokens_issued += 1;
        Some(token)
    }

    /// Whether a bearer token is a live bank token.
    pub fn bank_token_valid(&self, token: &str, now: Millis) -> bool {
        let mut world = self.world();
        let valid = world.bank_tokens.get(token).is_some_and(|exp| now < *exp);
        world.bank_calls += u32::from(valid);
        valid
    }

    /// How many calls came with a live bank token.
    pub fn bank_calls(&self) -> u32 {
        self.world().bank_calls
    }

    /// How many bank tokens `/oauth/token` has issued.
    pub fn bank_tokens_issued(&self) -> u32 {
        self.world().bank_tokens_issued
    }

    /// The live bank tokens (for tests that search logs for them).
    pub fn bank_tokens(&self) -> Vec<String> {
        self.world().bank_tokens.keys().cloned().collect()
    }

    /// Invalidates every bank token, as an expiry upstream would.
    pub fn revoke_bank_tokens(&self) {
        self.world().bank_tokens.clear();
    }

    /// Creates a customer through the bank API (mode-2 upstream), a business if `business`.
    pub fn create_customer_via_bank(&self, business: bool, now: Millis) -> Customer {
        let scenario = Scenario {
            business,
            ..Scenario::passes(self.timings)
        };
        let guid = self.new_customer(scenario, now);
        self.customer(&guid, now).expect("just created")
    }
}

impl World {
    fn mint_token(&mut self, inquiry_id: &str, now: Millis) -> String {
        let token = secret::token("pst");
        self.tokens.insert(
            token.clone(),
            Token {
                inquiry_id: inquiry_id.to_owned(),
                used: false,
                expires_ms: now + HOUR,
            },
        );
        token
    }

    /// When each customer's document request was settled: the document sent (and not
    /// refused), or the request expired unsent (the review then goes on without it).
    fn documents_sent(&self) -> HashMap<String, Millis> {
        self.verifications
            .iter()
            .filter(|v| v.method == VerificationMethod::DocumentSubmission)
            .filter(|v| v.outcome != Some(Outcome::Failed))
            .filter_map(|v| {
                let settled = match v.state {
                    VerificationState::Expired => Some(v.updated_ms),
                    _ => v.submitted_ms,
                };
                Some((v.customer_guid.clone(), settled?))
            })
            .collect()
    }

    /// Each customer's first document request (the one a `document_codes=` scenario
    /// refuses).
    fn first_document_requests(&self) -> HashMap<String, String> {
        let mut first: HashMap<String, (Millis, String)> = HashMap::new();
        for v in &self.verifications {
            if v.method != VerificationMethod::DocumentSubmission {
                continue;
            }
            let entry = first
                .entry(v.customer_guid.clone())
                .or_insert((v.created_ms, v.guid.clone()));
            if v.created_ms < entry.0 {
                *entry = (v.created_ms, v.guid.clone());
            }
        }
        first.into_iter().map(|(c, (_, guid))| (c, guid)).collect()
    }

    /// Makes the document request of each review whose scenario asks for one, once, as
    /// compliance would; returns whether it made any.
    fn ask_for_documents(&mut self, now: Millis) -> bool {
        let reviews = self
            .verifications
            .iter()
            .filter(|v| v.state == VerificationState::Reviewing)
            .filter(|v| {
                self.customers
                    .get(&v.customer_guid)
                    .is_some_and(|c| c.scenario.kind == Kind::ReviewAsksForDocuments)
            })
            .map(|v| v.customer_guid.clone());
        let mut asks: Vec<String> = reviews
            .filter(|customer_guid| {
                !self.verifications.iter().any(|d| {
                    &d.customer_guid == customer_guid
                        && d.method == VerificationMethod::DocumentSubmission
                })
            })
            .collect();
        asks.sort();
        asks.dedup();
        // Made when first seen, not back-dated to the review's start: a request read for the
        // first time a day later is not born expired.
        for customer_guid in &asks {
            self.verifications.push(SandboxVerification::storing(
                customer_guid,
                VerificationMethod::DocumentSubmission,
                now,
            ));
        }
        !asks.is_empty()
    }

    fn verification_by_inquiry(&mut self, inquiry: &str) -> Option<&mut SandboxVerification> {
        self.verifications
            .iter_mut()
            .find(|v| v.inquiry_id.as_deref() == Some(inquiry))
    }

    /// Drops, once every [`SWEEP_EVERY`], customers older than [`KEPT_FOR`] with their
    /// verifications, expired tokens, and widget sessions whose inquiry has gone.
    fn sweep(&mut self, now: Millis) {
        if now - self.swept < SWEEP_EVERY {
            return;
        }
        self.swept = now;
        self.customers.retain(|_, c| now - c.created_ms < KEPT_FOR);
        let customers = &self.customers;
        self.verifications
            .retain(|v| customers.contains_key(&v.customer_guid));
        self.tokens.retain(|_, t| now < t.expires_ms);
        self.bank_tokens.retain(|_, expires| now < *expires);
        let verifications = &self.verifications;
        self.widget_sessions.retain(|_, s| {
            verifications
                .iter()
                .any(|v| v.inquiry_id.as_deref() == Some(s.inquiry_id.as_str()))
        });
    }

    /// Brings every verification and customer up to `now`.
    fn advance(&mut self, now: Millis) {
        self.sweep(now);
        let mut changes: Vec<(String, Millis, CustomerState)> = Vec::new();
        // Twice at most: a review that asks for a document makes a verification that may
        // itself have moved on by `now`.
        for _ in 0..2 {
            let first = self.first_document_requests();
            // Documents first, then the rest: a review waiting for a document must see it
            // decided (a refused one does not count as sent), however long since the last
            // request; decided in the same pass, a refused document would let the review
            // pass on its strength.
            for documents in [true, false] {
                let sent = self.documents_sent();
                for v in &mut self.verifications {
                    if (v.method == VerificationMethod::DocumentSubmission) != documents {
                        continue;
                    }
                    let Some(customer) = self.customers.get(&v.customer_guid) else {
                        continue;
                    };
                    let sent = sent.get(&v.customer_guid).copied();
                    let first_request = first.get(&v.customer_guid) == Some(&v.guid);
                    if let Some(change) = v.advance(&customer.scenario, now, sent, first_request) {
                        changes.push((v.customer_guid.clone(), change.0, change.1));
                    }
                }
            }
            if !self.ask_for_documents(now) {
                break;
            }
        }
        for (guid, at, state) in changes {
            if let Some(c) = self.customers.get_mut(&guid) {
                c.change = Some((at, state));
            }
        }
        for c in self.customers.values_mut() {
            if let Some((at, state)) = c.change.clone() {
                if now >= at {
                    c.state = state;
                    c.change = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
