//! The Cybrid bank API shapes the app reads and writes, plus the backend's `/session` reply.
//!
//! Parsing is tolerant in the ways the API evolves: every enum keeps values it does not know
//! (`Unknown(String)`), extra fields are ignored, and `null` is accepted wherever a field may be
//! absent. Requests serialize exactly as the API expects: optional fields are left out, never
//! sent as `null`.

use super::failure::FailureCode;
use super::json::{json_struct, FromJson, Json};

/// Declares a string enum of the API that keeps unknown values instead of failing.
macro_rules! api_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // each variant is the API value of the same name
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the app does not know yet.
            Unknown(String),
        }

        impl $name {
            /// Every documented value, in the order of the API documentation.
            pub const KNOWN: &'static [$name] = &[$($name::$variant,)+];

            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(other) => other,
                }
            }

            /// Reads an API value; anything undocumented becomes `Unknown`.
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl $crate::core::json::ToJson for $name {
            fn write_json(&self, out: &mut String) {
                $crate::core::json::write_str(out, self.as_str());
            }
        }

        #[cfg(any(test, feature = "server"))]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $crate::core::json::FromJson for $name {
            fn from_json(value: &$crate::core::json::Json) -> Result<Self, String> {
                value
                    .as_str()
                    .map($name::parse)
                    .ok_or_else(|| "expected a string".to_owned())
            }
        }
    };
}
pub(crate) use api_enum;

api_enum! {
    /// Where a customer stands with the platform.
    CustomerState {
        Storing = "storing",
        Unverified = "unverified",
        Verified = "verified",
        Rejected = "rejected",
        Frozen = "frozen",
    }
}

api_enum! {
    /// Individual or business customer.
    CustomerType {
        Individual = "individual",
        Business = "business",
    }
}

api_enum! {
    /// What an identity verification verifies.
    VerificationType {
        Kyc = "kyc",
        BankAccount = "bank_account",
        Counterparty = "counterparty",
    }
}

api_enum! {
    /// How an identity verification is carried out.
    VerificationMethod {
        Attested = "attested",
        DocumentSubmission = "document_submission",
        EnhancedDueDiligence = "enhanced_due_diligence",
        IdAndSelfie = "id_and_selfie",
        TaxIdAndSelfie = "tax_id_and_selfie",
        BusinessRegistration = "business_registration",
        AttestedIdAndSelfie = "attested_id_and_selfie",
        AttestedBusinessRegistration = "attested_business_registration",
        AttestedBusinessAssociate = "attested_business_associate",
        Watchlists = "watchlists",
        AttestedOwnership = "attested_ownership",
        AccountOwnership = "account_ownership",
        PlaidIdentityMatch = "plaid_identity_match",
    }
}

api_enum! {
    /// The life cycle of an identity verification.
    VerificationState {
        /// Being created.
        Storing = "storing",
        /// The Persona inquiry exists; the customer has not started it.
        Waiting = "waiting",
        /// The customer started the inquiry and has not finished it.
        Pending = "pending",
        /// With the compliance team.
        Reviewing = "reviewing",
        /// Not finished in time, or the ID used has expired.
        Expired = "expired",
        /// Finished, with an outcome.
        Completed = "completed",
    }
}

api_enum! {
    /// The result of a completed verification.
    Outcome {
        Passed = "passed",
        Failed = "failed",
    }
}

api_enum! {
    /// The Persona inquiry's own state. Persona's documented `unknown` value parses as
    /// `Unknown("unknown")`: it means the same thing, that the state is not known.
    PersonaState {
        Waiting = "waiting",
        Pending = "pending",
        Reviewing = "reviewing",
        Processing = "processing",
        Expired = "expired",
        Completed = "completed",
    }
}

api_enum! {
    /// The outcome of one compliance check.
    ComplianceOutcome {
        Passed = "passed",
        Failed = "failed",
        /// Not enough data (a blurry photo, a missing side): the customer may retry at once.
        Insufficient = "insufficient",
        /// Needs human judgement: wait for the compliance team.
        Inconclusive = "inconclusive",
    }
}

api_enum! {
    /// The state of a compliance decision.
    DecisionState {
        Passed = "passed",
        Failed = "failed",
        Expired = "expired",
        Invalidated = "invalidated",
    }
}

api_enum! {
    /// Sandbox-only instructions for how a verification should end.
    ExpectedBehaviour {
        PassedImmediately = "passed_immediately",
        FailedImmediately = "failed_immediately",
        TaxIdNotChecked = "tax_id_not_checked",
    }
}

api_enum! {
    /// Which Cybrid the backend works with, as `GET /session` says (the sandbox shows a badge
    /// and links to its scenario page); anything else is kept as `Unknown`.
    Environment {
        Sandbox = "sandbox",
        Production = "production",
    }
}

json_struct! {
    /// A customer of the bank.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Customer {
        /// The customer's identifier.
        pub guid: String = required,
        /// Individual or business.
        pub kind: Option<CustomerType> = optional "type",
        /// When the customer was created (RFC 3339).
        pub created_at: Option<String> = optional,
        /// Where the customer stands.
        pub state: CustomerState = required,
    }
}

json_struct! {
    /// One compliance check of a verification.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ComplianceCheck {
        /// What was checked.
        pub kind: Option<String> = optional "type",
        /// How the check came out.
        pub outcome: Option<ComplianceOutcome> = optional,
        /// What went wrong, if anything.
        pub failure_codes: Vec<FailureCode> = optional,
    }
}

json_struct! {
    /// One compliance decision of a verification.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ComplianceDecision {
        /// What was decided on.
        pub kind: Option<String> = optional "type",
        /// The decision.
        pub state: Option<DecisionState> = optional,
        /// Why, when it failed.
        pub failure_codes: Vec<FailureCode> = optional,
        /// When the decision stops being valid.
        pub expired_at: Option<String> = optional,
    }
}

json_struct! {
    /// An identity verification, with the details the app needs.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct IdentityVerification {
        /// The verification's identifier.
        pub guid: String = required,
        /// KYC, bank account or counterparty.
        pub kind: Option<VerificationType> = optional "type",
        /// How it is carried out.
        pub method: Option<VerificationMethod> = optional,
        /// When it was created (RFC 3339).
        pub created_at: Option<String> = optional,
        /// When it last changed (RFC 3339).
        pub updated_at: Option<String> = optional,
        /// Whose verification it is.
        pub customer_guid: Option<String> = optional,
        /// Where it is in its life cycle.
        pub state: VerificationState = required,
        /// Passed or failed, once completed.
        pub outcome: Option<Outcome> = optional,
        /// What went wrong, once failed.
        pub failure_codes: Vec<FailureCode> = optional,
        /// The individual checks.
        pub compliance_checks: Vec<ComplianceCheck> = optional,
        /// The compliance decisions.
        pub compliance_decisions: Vec<ComplianceDecision> = optional,
        /// The Persona inquiry, once it exists.
        pub persona_inquiry_id: Option<String> = optional,
        /// The Persona inquiry's own state.
        pub persona_state: Option<PersonaState> = optional,
    }
}

impl IdentityVerification {
    /// Whether this is a KYC verification (the kind this app carries out or resumes).
    pub fn is_kyc(&self) -> bool {
        matches!(self.kind, Some(VerificationType::Kyc))
    }

    /// Not finished yet: being created, or waiting for / in the hands of the customer.
    pub fn is_in_flight(&self) -> bool {
        matches!(
            self.state,
            VerificationState::Storing | VerificationState::Waiting | VerificationState::Pending
        )
    }

    /// The verification as a customer's browser may see it: every failure code as
    /// [`FailureCode::as_told_to_customer`] has it, and no check's or decision's type (a failed
    /// "watchlists" check would tell what the codes no longer do).
    pub fn as_told_to_customer(mut self) -> Self {
        let tell = |codes: &mut Vec<FailureCode>| {
            let told: Vec<FailureCode> =
                codes.iter().map(FailureCode::as_told_to_customer).collect();
            codes.clear();
            for code in told {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        };
        tell(&mut self.failure_codes);
        for check in &mut self.compliance_checks {
            check.kind = None;
            tell(&mut check.failure_codes);
        }
        for decision in &mut self.compliance_decisions {
            decision.kind = None;
            tell(&mut decision.failure_codes);
        }
        self
    }

    /// Every failure code on the verification, its checks and its standing decisions, each
    /// once, in the order they first appear. A decision that expired or was invalidated no
    /// longer stands: its codes say nothing about the customer now.
    pub fn all_failure_codes(&self) -> Vec<FailureCode> {
        let mut codes: Vec<FailureCode> = Vec::new();
        let checks = self.compliance_checks.iter().flat_map(|c| &c.failure_codes);
        let decisions = self.standing_decisions().flat_map(|d| &d.failure_codes);
        for code in self.failure_codes.iter().chain(checks).chain(decisions) {
            if !codes.contains(code) {
                codes.push(code.clone());
            }
        }
        codes
    }

    /// The compliance decisions that still stand: not expired, not invalidated (a state
    /// this version does not know is kept, the safer reading).
    pub fn standing_decisions(&self) -> impl Iterator<Item = &ComplianceDecision> {
        self.compliance_decisions.iter().filter(|d| {
            !matches!(
                d.state,
                Some(DecisionState::Expired | DecisionState::Invalidated)
            )
        })
    }
}

json_struct! {
    /// `POST /api/identity_verifications`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PostIdentityVerification {
        /// Always `kyc` for this app.
        pub kind: VerificationType = required "type",
        /// `id_and_selfie`, or `business_registration` for a business (the server decides,
        /// [`VerificationMethod::for_customer`]).
        pub method: VerificationMethod = required,
        /// Whose verification to create.
        pub customer_guid: String = required,
        /// Ask for a tax ID (SSN, SIN) too.
        pub require_tax_id: Option<bool> = omitted_if_empty,
        /// Sandbox only. Left out of the JSON entirely when empty, as the API asks.
        pub expected_behaviours: Vec<ExpectedBehaviour> = omitted_if_empty,
    }
}

impl VerificationMethod {
    /// How a customer of `kind` is verified: a business by its registration (KYB, the same
    /// Persona embedded flow), anyone else by government ID plus selfie. The server picks it
    /// from the customer record it reads, never from what a browser sent.
    pub fn for_customer(kind: Option<&CustomerType>) -> VerificationMethod {
        match kind {
            Some(CustomerType::Business) => VerificationMethod::BusinessRegistration,
            _ => VerificationMethod::IdAndSelfie,
        }
    }
}

impl PostIdentityVerification {
    /// The KYC verification this app runs: government ID plus selfie.
    pub fn kyc_id_and_selfie(customer_guid: &str) -> Self {
        PostIdentityVerification {
            kind: VerificationType::Kyc,
            method: VerificationMethod::IdAndSelfie,
            customer_guid: customer_guid.to_owned(),
            require_tax_id: None,
            expected_behaviours: Vec::new(),
        }
    }
}

json_struct! {
    /// `POST /api/persona_sessions`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PostPersonaSession {
        /// The inquiry to resume.
        pub persona_inquiry_id: String = required,
        /// The verification the inquiry belongs to.
        pub identity_verification_guid: String = required,
    }
}

json_struct! {
    /// A new single-use Persona session token for an inquiry. Never logged or stored.
    #[derive(Clone, PartialEq, Eq)]
    pub struct PersonaSession {
        /// The single-use token that opens the inquiry.
        pub persona_session_token: String = required,
        /// The inquiry it opens.
        pub persona_inquiry_id: String = required,
        /// The verification it belongs to.
        pub identity_verification_guid: Option<String> = optional,
    }
}

impl std::fmt::Debug for PersonaSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonaSession")
            .field("persona_session_token", &"<redacted>")
            .field("persona_inquiry_id", &self.persona_inquiry_id)
            .finish()
    }
}

/// The `message_code` of `GET /session`'s 401 from the sandbox (elsewhere `unauthenticated`):
/// the app then knows it runs against the sandbox and links to its scenario page.
pub const NO_SESSION_IN_SANDBOX: &str = "unauthenticated_sandbox";

json_struct! {
    /// The error body of every 4xx/5xx answer.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ErrorResponse {
        /// The HTTP status.
        pub status: u16 = required,
        /// What went wrong, for developers (never shown as markup).
        pub error_message: Option<String> = optional,
        /// A stable code for what went wrong.
        pub message_code: Option<String> = optional,
    }
}

json_struct! {
    /// A page of a list endpoint.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ListResponse<T> {
        /// The items of this page. Required: an answer without its list is not an empty
        /// list (read as one, it would let a new verification be created).
        pub objects: Vec<T> = required,
        /// How many items there are in all.
        pub total: Option<u64> = optional,
        /// This page's number, from 0.
        pub page: Option<u64> = optional,
        /// Items per page.
        pub per_page: Option<u64> = optional,
    }
}

json_struct! {
    /// Persona settings the backend hands to the front end.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct PersonaConfig where null = default {
        /// Where to load the SDK from: our own origin by default, or Persona's CDN.
        pub sdk_url: Option<String> = optional,
        /// The Persona environment to use, when the integrator sets one.
        pub environment_id: Option<String> = optional,
        /// Sandbox only: where the simulated Persona widget lives (`localhost:PORT`).
        pub host: Option<String> = optional,
        /// The origins allowed to frame the app (the server's `frame-ancestors`), for browsers
        /// that cannot list a framed page's ancestors: Persona needs every one of them.
        pub frame_ancestors: Vec<String> = optional,
    }
}

impl PersonaConfig {
    /// Where the SDK is served when the backend names no other place.
    pub const DEFAULT_SDK_URL: &'static str = "/persona.js";

    /// The SDK's address for this page's load number `attempt` (0 is the first). A load that
    /// stalled keeps its request open, and the browser gives a new `<script>` for the same
    /// address that same request, so a retry would wait on it; each retry gets an address of
    /// its own (`retry=N` in the query, before any fragment).
    pub fn sdk_url_for(&self, attempt: u32) -> String {
        let url = self.sdk_url.as_deref().unwrap_or(Self::DEFAULT_SDK_URL);
        if attempt == 0 {
            return url.to_owned();
        }
        let (address, fragment) = url.split_at(url.find('#').unwrap_or(url.len()));
        let joint = match address.find('?') {
            None => "?",
            Some(q) if q + 1 == address.len() || address.ends_with('&') => "",
            Some(_) => "&",
        };
        format!("{address}{joint}retry={attempt}{fragment}")
    }

    /// The `frameAncestors` for Persona's frame when the app is itself framed: the app's own
    /// origin, then its ancestors' as the browser lists them (`listed`), or, where it cannot
    /// (Firefox has no `location.ancestorOrigins`), the https origins allowed to frame the app.
    pub fn frame_ancestors_for(&self, own: &str, listed: Option<Vec<String>>) -> Vec<String> {
        let others = listed.unwrap_or_else(|| {
            self.frame_ancestors
                .iter()
                .filter(|o| o.starts_with("https://"))
                .cloned()
                .collect()
        });
        std::iter::once(own.to_owned()).chain(others).collect()
    }
}

json_struct! {
    /// `GET /session`: who the customer is, plus the front end's settings.
    #[derive(Clone, PartialEq, Eq)]
    pub struct SessionInfo {
        /// The customer this session is for.
        pub customer_guid: String = required,
        /// [`Environment`] as the API writes it (`sandbox` or `production`). Kept as text on
        /// the wire: the app only asks [`SessionInfo::sandbox`], and reading the enum would
        /// cost the first load a parser for a value it never branches on otherwise.
        pub environment: Option<String> = optional,
        /// When the session ends at the latest (RFC 3339).
        pub expires_at: Option<String> = optional,
        /// How many seconds the session lasts without a request (each request renews it):
        /// the app warns before that runs out.
        pub idle_secs: Option<u64> = optional,
        /// The server's time when it answered (RFC 3339): the clock the verifications' dates
        /// are on, for a device whose own clock is wrong.
        pub server_time: Option<String> = optional,
        /// Sent back in the `X-CSRF-Token` header of every POST. Held in memory only.
        pub csrf_token: String = required,
        /// How to load and start Persona.
        pub persona: PersonaConfig = optional,
        /// The integrator's brand.
        pub branding: crate::core::branding::Branding = optional,
        /// A language the integrator chose for every customer (`fr-CA`...), if any.
        pub language: Option<String> = optional,
        /// The origin of the page that embeds or opened the app, which receives its events.
        pub host_origin: Option<String> = optional,
    }
}

impl SessionInfo {
    /// Whether the backend works with Cybrid's sandbox (the badge, the scenario page's link).
    pub fn sandbox(&self) -> bool {
        self.environment.as_deref() == Some(Environment::Sandbox.as_str())
    }
}

impl std::fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionInfo")
            .field("environment", &self.environment)
            .field("expires_at", &self.expires_at)
            .field("idle_secs", &self.idle_secs)
            .field("csrf_token", &"<redacted>")
            .field("persona", &self.persona)
            .field("branding", &self.branding)
            .field("language", &self.language)
            .field("host_origin", &self.host_origin)
            .finish()
    }
}

json_struct! {
    /// `POST /handoff`: a one-time code to continue on a phone.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HandoffCreated {
        /// The path to open on the phone, after the app's origin (`/handoff/<code>`).
        pub path: String = required,
        /// When the code stops working (RFC 3339).
        pub expires_at: Option<String> = optional,
        /// The confirmation number the phone's page shows too.
        pub confirm: Option<String> = optional,
    }
}

json_struct! {
    /// `GET /handoff/status`: what the phone has done.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HandoffStatus {
        /// `active`, `used`, `expired` or `none`.
        pub code: String = required,
        /// The verification the phone works on, if any.
        pub verification: Option<IdentityVerification> = optional,
        /// The phone that opened the code, coarsely, as a line to show in the page's
        /// language ("Connected: Chrome on Android").
        pub phone: Option<String> = optional,
    }
}

/// Why a body could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Not JSON at all (cut off, HTML error page, garbage).
    Syntax {
        /// Line of the first unreadable character.
        line: usize,
        /// Column of the first unreadable character.
        column: usize,
    },
    /// JSON, but ends too early.
    Truncated,
    /// JSON of the wrong shape (a missing required field, a number for a string...).
    Shape {
        /// What was wrong with it.
        message: String,
    },
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Syntax { line, column } => {
                write!(
                    f,
                    "the answer is not valid JSON (line {line}, column {column})"
                )
            }
            ParseError::Truncated => f.write_str("the answer ends too early"),
            ParseError::Shape { message } => {
                write!(f, "the answer has an unexpected shape: {message}")
            }
        }
    }
}

/// Reads an API body. Never panics, whatever the input.
pub fn parse<T: FromJson>(body: &str) -> Result<T, ParseError> {
    let value = Json::parse(body)?;
    T::from_json(&value).map_err(|message| ParseError::Shape { message })
}

/// Writes any API type as JSON (the server's answers; the app writes its two request bodies
/// with [`ToJson`](super::json::ToJson), from the same field lists).
#[cfg(any(test, feature = "server"))]
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing these plain structs cannot fail: no maps with non-string keys, no floats.
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests;
