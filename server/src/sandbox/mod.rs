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
pub mod widget;

use std::collections::HashMap;
use std::sync::Mutex;

use kyc_onboarding::core::api::{
    Customer, CustomerState, CustomerType, ExpectedBehaviour, IdentityVerification, Outcome,
    PersonaSession, PersonaState, PostIdentityVerification, PostPersonaSession, VerificationMethod,
    VerificationState, VerificationType,
};
use kyc_onboarding::core::failure::{FailureCategory, FailureCode};
use kyc_onboarding::core::time::{format_rfc3339, Millis, HOUR, MINUTE};

use crate::backend::ApiError;
use crate::secret;
use fault::{Endpoint, FaultKind, FaultRule};
use scenario::{Kind, Scenario};

/// How long the emulated steps take, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timings {
    /// From `storing` to `waiting` with an inquiry.
    pub inquiry_delay_ms: u64,
    /// From the widget's submit to the decision.
    pub decision_delay_ms: u64,
    /// Time spent in `reviewing`.
    pub review_delay_ms: u64,
    /// From the decision to the customer record changing.
    pub customer_delay_ms: u64,
    /// An unfinished inquiry expires this long after its creation.
    pub expire_after_ms: u64,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            inquiry_delay_ms: 1_000,
            decision_delay_ms: 1_500,
            review_delay_ms: 4_000,
            customer_delay_ms: 300,
            expire_after_ms: 24 * 3_600_000,
        }
    }
}

/// The current time in milliseconds since the Unix epoch.
pub fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or_default()
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
}

/// Counts for the tests' assertions (`GET /sandbox/api/state`).
#[derive(Debug, serde::Serialize)]
pub struct CustomerReport {
    pub customer_state: String,
    pub verifications: usize,
    pub states: Vec<String>,
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
            Kind::AlreadyVerified => CustomerState::Verified,
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
            });
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
            kind: Some(CustomerType::Individual),
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
        if !world.customers.contains_key(&post.customer_guid) {
            return Err(ApiError::not_found("customer"));
        }
        if post.kind != VerificationType::Kyc {
            return Err(ApiError::invalid(
                "only kyc verifications exist in this sandbox",
            ));
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
        let mut world = self.world();
        world.advance(now);
        let v = world
            .verifications
            .iter()
            .find(|v| v.inquiry_id.as_deref() == Some(inquiry_id))
            .ok_or("unauthenticated")?;
        let state = v.state.clone();
        match token {
            Some(token) => {
                let t = world.tokens.get_mut(token).ok_or("unauthenticated")?;
                if t.used || t.inquiry_id != inquiry_id || now >= t.expires_ms {
                    return Err("unauthenticated");
                }
                t.used = true;
            }
            // A started inquiry can only be resumed with a session token.
            None if state == VerificationState::Pending => return Err("unauthenticated"),
            None => {}
        }
        if !matches!(
            state,
            VerificationState::Waiting | VerificationState::Pending
        ) {
            return Err("inactive_template");
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

    /// Creates a customer through the bank API (mode-2 upstream).
    pub fn create_customer_via_bank(&self, now: Millis) -> Customer {
        let guid = self.new_customer(Scenario::passes(self.timings), now);
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

    /// When each customer's document request was settled: the document sent, or the
    /// request expired unsent (the review then goes on without it).
    fn documents_sent(&self) -> HashMap<String, Millis> {
        self.verifications
            .iter()
            .filter(|v| v.method == VerificationMethod::DocumentSubmission)
            .filter_map(|v| {
                let settled = match v.state {
                    VerificationState::Expired => Some(v.updated_ms),
                    _ => v.submitted_ms,
                };
                Some((v.customer_guid.clone(), settled?))
            })
            .collect()
    }

    /// Makes the document request of each review whose scenario asks for one, once, as
    /// compliance would; returns whether it made any.
    fn ask_for_documents(&mut self, now: Millis) -> bool {
        let mut asks: Vec<String> = self
            .verifications
            .iter()
            .filter(|v| v.state == VerificationState::Reviewing)
            .filter(|v| {
                self.customers
                    .get(&v.customer_guid)
                    .is_some_and(|c| c.scenario.kind == Kind::ReviewAsksForDocuments)
            })
            .filter(|v| {
                !self.verifications.iter().any(|d| {
                    d.customer_guid == v.customer_guid
                        && d.method == VerificationMethod::DocumentSubmission
                })
            })
            .map(|v| v.customer_guid.clone())
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
            let sent = self.documents_sent();
            for v in &mut self.verifications {
                let Some(customer) = self.customers.get(&v.customer_guid) else {
                    continue;
                };
                let documents = sent.get(&v.customer_guid).copied();
                if let Some(change) = v.advance(&customer.scenario, now, documents) {
                    changes.push((v.customer_guid.clone(), change.0, change.1));
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

impl SandboxVerification {
    /// A KYC verification just created: `storing`, no inquiry yet.
    fn storing(customer_guid: &str, method: VerificationMethod, now: Millis) -> Self {
        SandboxVerification {
            guid: secret::hex_id(),
            customer_guid: customer_guid.to_owned(),
            created_ms: now,
            updated_ms: now,
            kind: VerificationType::Kyc,
            method,
            expected: Vec::new(),
            state: VerificationState::Storing,
            outcome: None,
            failure_codes: Vec::new(),
            inquiry_id: None,
            persona_state: None,
            submitted_ms: None,
        }
    }

    fn to_api(&self) -> IdentityVerification {
        IdentityVerification {
            guid: self.guid.clone(),
            kind: Some(self.kind.clone()),
            method: Some(self.method.clone()),
            created_at: Some(format_rfc3339(self.created_ms)),
            updated_at: Some(format_rfc3339(self.updated_ms)),
            customer_guid: Some(self.customer_guid.clone()),
            state: self.state.clone(),
            outcome: self.outcome.clone(),
            failure_codes: self
                .failure_codes
                .iter()
                .map(|c| FailureCode::parse(c))
                .collect(),
            compliance_checks: Vec::new(),
            compliance_decisions: Vec::new(),
            persona_inquiry_id: self.inquiry_id.clone(),
            persona_state: self.persona_state.clone(),
        }
    }

    /// Moves this verification along; returns the customer change a decision brings.
    /// `documents`: when the customer sent a document compliance asked for.
    fn advance(
        &mut self,
        scenario: &Scenario,
        now: Millis,
        documents: Option<Millis>,
    ) -> Option<(Millis, CustomerState)> {
        let t = scenario.timings;
        let ms = |n: u64| n as Millis;
        if self.state == VerificationState::Storing {
            if self
                .expected
                .contains(&ExpectedBehaviour::PassedImmediately)
            {
                return Some(self.decide(true, Vec::new(), self.created_ms, t));
            }
            if self
                .expected
                .contains(&ExpectedBehaviour::FailedImmediately)
            {
                return Some(self.decide(false, scenario.failure_codes(), self.created_ms, t));
            }
            if now < self.created_ms + ms(t.inquiry_delay_ms) {
                return None;
            }
            self.state = VerificationState::Waiting;
            self.inquiry_id = Some(secret::inquiry_id());
            self.persona_state = Some(PersonaState::Waiting);
            self.updated_ms = self.created_ms + ms(t.inquiry_delay_ms);
        }
        let unfinished = matches!(
            self.state,
            VerificationState::Waiting | VerificationState::Pending
        ) && self.submitted_ms.is_none();
        if unfinished && now >= self.created_ms + ms(t.expire_after_ms) {
            self.state = VerificationState::Expired;
            self.persona_state = Some(PersonaState::Expired);
            self.updated_ms = self.created_ms + ms(t.expire_after_ms);
            return None;
        }
        let submitted = self.submitted_ms?;
        if !matches!(
            self.state,
            VerificationState::Pending | VerificationState::Reviewing
        ) {
            return None;
        }
        let decided = submitted + ms(t.decision_delay_ms);
        if now < decided {
            return None;
        }
        if self.method == VerificationMethod::DocumentSubmission {
            // Accepted; the review it was asked for decides the customer.
            self.decide(true, Vec::new(), decided, t);
            return None;
        }
        match scenario.kind {
            Kind::Expires => {
                self.state = VerificationState::Expired;
                self.persona_state = Some(PersonaState::Expired);
                self.updated_ms = decided;
                None
            }
            _ if scenario.goes_to_review() => {
                let reviewed = match scenario.kind {
                    // Until the document is in, and then a review of it.
                    Kind::ReviewAsksForDocuments => documents.map_or(Millis::MAX, |sent| {
                        sent.max(decided) + ms(t.decision_delay_ms + t.review_delay_ms)
                    }),
                    _ => decided + ms(t.review_delay_ms),
                };
                if now < reviewed {
                    if self.state != VerificationState::Reviewing {
                        self.state = VerificationState::Reviewing;
                        self.persona_state = Some(PersonaState::Reviewing);
                        self.failure_codes = scenario.failure_codes();
                        self.updated_ms = decided;
                    }
                    return None;
                }
                let passes = matches!(
                    scenario.kind,
                    Kind::ReviewThenPasses | Kind::ReviewAsksForDocuments
                );
                let codes = if passes {
                    Vec::new()
                } else {
                    scenario.failure_codes()
                };
                Some(self.decide(passes, codes, reviewed, t))
            }
            Kind::Fails => Some(self.decide(false, scenario.failure_codes(), decided, t)),
            _ => Some(self.decide(true, Vec::new(), decided, t)),
        }
    }

    /// Completes with an outcome; returns the customer record's change.
    fn decide(
        &mut self,
        passed: bool,
        codes: Vec<String>,
        at: Millis,
        t: Timings,
    ) -> (Millis, CustomerState) {
        self.state = VerificationState::Completed;
        self.outcome = Some(if passed {
            Outcome::Passed
        } else {
            Outcome::Failed
        });
        self.persona_state = Some(PersonaState::Completed);
        let rejected = codes
            .iter()
            .any(|c| FailureCode::parse(c).category() == FailureCategory::Rejected);
        self.failure_codes = codes;
        self.updated_ms = at;
        let state = match (passed, rejected) {
            (true, _) => CustomerState::Verified,
            (false, true) => CustomerState::Rejected,
            (false, false) => CustomerState::Unverified,
        };
        (at + t.customer_delay_ms as Millis, state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> Timings {
        Timings {
            inquiry_delay_ms: 100,
            decision_delay_ms: 100,
            review_delay_ms: 100,
            customer_delay_ms: 50,
            expire_after_ms: 10_000,
        }
    }

    fn scenario(kind: Kind, codes: &[&str]) -> Scenario {
        Scenario {
            kind,
            codes: codes.iter().map(|c| c.to_string()).collect(),
            timings: fast(),
            faults: vec![],
        }
    }

    /// Runs a verification through the widget; returns the sandbox, customer and guid.
    fn run(kind: Kind, codes: &[&str]) -> (Sandbox, String, String) {
        let sb = Sandbox::new(fast(), None);
        let t = 1_000_000;
        let customer = sb.new_customer(scenario(kind, codes), t);
        let v = sb
            .create(&PostIdentityVerification::kyc_id_and_selfie(&customer), t)
            .unwrap();
        assert_eq!(v.state, VerificationState::Storing);
        assert_eq!(
            sb.verification(&v.guid, t + 99).unwrap().persona_inquiry_id,
            None
        );
        let waiting = sb.verification(&v.guid, t + 100).unwrap();
        assert_eq!(waiting.state, VerificationState::Waiting);
        let inquiry = waiting.persona_inquiry_id.unwrap();
        let opened = sb.widget_open(&inquiry, None, t + 200).unwrap();
        assert!(sb.widget_start(&opened.widget_session, t + 300));
        assert_eq!(
            sb.verification(&v.guid, t + 300).unwrap().state,
            VerificationState::Pending
        );
        sb.widget_submit(&opened.widget_session, t + 400).unwrap();
        (sb, customer, v.guid)
    }

    #[test]
    fn a_week_on_customers_and_their_verifications_are_let_go() {
        let (sb, old, old_verification) = run(Kind::Passes, &[]);
        let later = 1_000_000 + KEPT_FOR - HOUR;
        let recent = sb.new_customer(scenario(Kind::Passes, &[]), later);
        assert!(sb.customer(&old, later).is_some(), "kept for a week");
        let week_on = 1_000_000 + KEPT_FOR + SWEEP_EVERY;
        assert!(sb.customer(&recent, week_on).is_some());
        assert!(sb.customer(&old, week_on).is_none());
        assert!(sb.verification(&old_verification, week_on).is_none());
        let world = sb.world();
        assert_eq!(world.verifications.len(), 0);
        assert!(world.widget_sessions.is_empty(), "its inquiry went with it");
        assert!(world.tokens.is_empty(), "expired tokens too");
    }

    #[test]
    fn passes_then_the_customer_becomes_verified() {
        let (sb, customer, guid) = run(Kind::Passes, &[]);
        assert_eq!(
            sb.verification(&guid, 1_000_450).unwrap().state,
            VerificationState::Pending
        );
        let done = sb.verification(&guid, 1_000_500).unwrap();
        assert_eq!(done.state, VerificationState::Completed);
        assert_eq!(done.outcome, Some(Outcome::Passed));
        assert_eq!(
            sb.customer(&customer, 1_000_520).unwrap().state,
            CustomerState::Unverified
        );
        assert_eq!(
            sb.customer(&customer, 1_000_550).unwrap().state,
            CustomerState::Verified
        );
    }

    #[test]
    fn a_review_asks_for_a_document_and_waits_for_it() {
        let (sb, customer, guid) = run(Kind::ReviewAsksForDocuments, &[]);
        let t = 1_000_000;
        // Under review, and compliance asks for a document beside it.
        let list = sb.list(&customer, t + 550);
        assert_eq!(list.len(), 2, "{list:?}");
        assert_eq!(list[0].state, VerificationState::Storing);
        let list = sb.list(&customer, t + 650);
        let request = &list[0];
        assert_eq!(request.method, Some(VerificationMethod::DocumentSubmission));
        assert_eq!(request.state, VerificationState::Waiting);
        assert_eq!(list[1].state, VerificationState::Reviewing);
        // Asked once only, however often it is read.
        assert_eq!(sb.list(&customer, t + 660).len(), 2);
        // No document: the review waits, far past its delay.
        assert_eq!(
            sb.verification(&guid, t + 5_000).unwrap().state,
            VerificationState::Reviewing
        );
        let inquiry = request.persona_inquiry_id.clone().unwrap();
        let opened = sb.widget_open(&inquiry, None, t + 5_000).unwrap();
        assert!(sb.widget_start(&opened.widget_session, t + 5_100));
        sb.widget_submit(&opened.widget_session, t + 5_200).unwrap();
        let sent = sb.verification(&request.guid, t + 5_300).unwrap();
        assert_eq!(sent.outcome, Some(Outcome::Passed));
        assert_eq!(
            sb.customer(&customer, t + 5_300).unwrap().state,
            CustomerState::Unverified,
            "the document alone does not verify the customer"
        );
        let reviewed = sb.verification(&guid, t + 5_400).unwrap();
        assert_eq!(reviewed.outcome, Some(Outcome::Passed));
        assert_eq!(
            sb.customer(&customer, t + 5_450).unwrap().state,
            CustomerState::Verified
        );
    }

    #[test]
    fn a_document_request_left_unsent_lets_the_review_go_on() {
        let (sb, customer, guid) = run(Kind::ReviewAsksForDocuments, &[]);
        let t = 1_000_000;
        assert_eq!(sb.list(&customer, t + 550).len(), 2);
        // The request expires (`fast` gives 10 s), and the review is decided without it.
        let later = t + 550 + 10_000 + 300;
        let list = sb.list(&customer, later);
        assert_eq!(list[0].state, VerificationState::Expired);
        assert_eq!(
            sb.verification(&guid, later).unwrap().state,
            VerificationState::Completed
        );
    }

    #[test]
    fn failures_follow_the_codes() {
        let (sb, customer, guid) = run(Kind::Fails, &["id_quality_check_failure"]);
        let done = sb.verification(&guid, 1_000_600).unwrap();
        assert_eq!(done.outcome, Some(Outcome::Failed));
        assert_eq!(done.failure_codes, [FailureCode::IdQualityCheckFailure]);
        assert_eq!(
            sb.customer(&customer, 1_001_000).unwrap().state,
            CustomerState::Unverified
        );

        let (sb, customer, _) = run(Kind::Fails, &["selfie_failure"]);
        assert_eq!(
            sb.customer(&customer, 1_001_000).unwrap().state,
            CustomerState::Rejected
        );

        let (sb, _, guid) = run(Kind::Fails, &["name_check_failure"]);
        assert_eq!(
            sb.verification(&guid, 1_000_550).unwrap().state,
            VerificationState::Reviewing
        );
        assert_eq!(
            sb.verification(&guid, 1_000_650).unwrap().state,
            VerificationState::Completed
        );
    }

    #[test]
    fn review_then_pass_or_fail() {
        let (sb, customer, guid) = run(Kind::ReviewThenPasses, &[]);
        let reviewing = sb.verification(&guid, 1_000_550).unwrap();
        assert_eq!(reviewing.state, VerificationState::Reviewing);
        assert_eq!(reviewing.failure_codes, [FailureCode::ReviewRequired]);
        assert_eq!(
            sb.verification(&guid, 1_000_600).unwrap().outcome,
            Some(Outcome::Passed)
        );
        assert_eq!(
            sb.customer(&customer, 1_000_700).unwrap().state,
            CustomerState::Verified
        );

        let (sb, customer, _) = run(Kind::ReviewThenFails, &[]);
        assert_eq!(
            sb.customer(&customer, 1_000_700).unwrap().state,
            CustomerState::Rejected
        );
    }

    #[test]
    fn expiry_by_scenario_and_by_time() {
        let (sb, _, guid) = run(Kind::Expires, &[]);
        assert_eq!(
            sb.verification(&guid, 1_000_500).unwrap().state,
            VerificationState::Expired
        );

        let sb = Sandbox::new(fast(), None);
        let customer = sb.new_customer(scenario(Kind::Passes, &[]), 0);
        let v = sb
            .create(&PostIdentityVerification::kyc_id_and_selfie(&customer), 0)
            .unwrap();
        assert_eq!(
            sb.verification(&v.guid, 9_999).unwrap().state,
            VerificationState::Waiting
        );
        let expired = sb.verification(&v.guid, 10_000).unwrap();
        assert_eq!(expired.state, VerificationState::Expired);
        assert_eq!(expired.persona_state, Some(PersonaState::Expired));
    }

    #[test]
    fn expected_behaviours_skip_persona() {
        let sb = Sandbox::new(fast(), None);
        let customer = sb.new_customer(scenario(Kind::Passes, &[]), 0);
        let mut post = PostIdentityVerification::kyc_id_and_selfie(&customer);
        post.expected_behaviours = vec![ExpectedBehaviour::PassedImmediately];
        let v = sb.create(&post, 0).unwrap();
        assert_eq!(
            sb.verification(&v.guid, 1).unwrap().outcome,
            Some(Outcome::Passed)
        );
        post.expected_behaviours = vec![ExpectedBehaviour::FailedImmediately];
        let v = sb.create(&post, 0).unwrap();
        assert_eq!(
            sb.verification(&v.guid, 1).unwrap().outcome,
            Some(Outcome::Failed)
        );
    }

    #[test]
    fn session_tokens_are_single_use_and_bound_to_their_inquiry() {
        let sb = Sandbox::new(fast(), None);
        let mut resume = scenario(Kind::PendingToResume, &[]);
        resume.timings.expire_after_ms = 24 * 3_600_000;
        let customer = sb.new_customer(resume.clone(), 10_000_000);
        let v = &sb.list(&customer, 10_000_000)[0];
        let inquiry = v.persona_inquiry_id.clone().unwrap();
        assert_eq!(v.state, VerificationState::Pending);
        assert_eq!(
            sb.widget_open(&inquiry, None, 10_000_000).unwrap_err(),
            "unauthenticated",
            "a started inquiry needs a token"
        );
        let post = PostPersonaSession {
            persona_inquiry_id: inquiry.clone(),
            identity_verification_guid: v.guid.clone(),
        };
        let token = sb
            .persona_session(&post, 10_000_000)
            .unwrap()
            .persona_session_token;
        assert!(
            sb.widget_open(&inquiry, Some(&token), 10_000_001)
                .unwrap()
                .resumed
        );
        assert_eq!(
            sb.widget_open(&inquiry, Some(&token), 10_000_002)
                .unwrap_err(),
            "unauthenticated"
        );
        // A token for another inquiry does not open this one.
        let other_customer = sb.new_customer(resume, 10_000_000);
        let other = &sb.list(&other_customer, 10_000_000)[0];
        let other_token = sb
            .persona_session(
                &PostPersonaSession {
                    persona_inquiry_id: other.persona_inquiry_id.clone().unwrap(),
                    identity_verification_guid: other.guid.clone(),
                },
                10_000_000,
            )
            .unwrap()
            .persona_session_token;
        assert_eq!(
            sb.widget_open(&inquiry, Some(&other_token), 10_000_003)
                .unwrap_err(),
            "unauthenticated"
        );
        assert_eq!(
            sb.report(&customer, 10_000_003)
                .unwrap()
                .persona_session_requests,
            1
        );
    }

    #[test]
    fn customers_start_in_their_scenario_state() {
        let sb = Sandbox::new(fast(), None);
        for (kind, state) in [
            (Kind::AlreadyVerified, CustomerState::Verified),
            (Kind::AlreadyRejected, CustomerState::Rejected),
            (Kind::Frozen, CustomerState::Frozen),
            (Kind::Passes, CustomerState::Unverified),
        ] {
            let guid = sb.new_customer(scenario(kind, &[]), 0);
            assert_eq!(sb.customer(&guid, 0).unwrap().state, state);
        }
    }
}
