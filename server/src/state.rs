//! What every handler shares: the configuration, the backend, the store and the services
//! built on it.

use std::sync::Arc;

use crate::backend::Backend;
use crate::launch::LaunchVerifier;
use crate::readiness::Readiness;
use crate::session::Sessions;
use crate::site::LiveSite;
use crate::store::Store;
use crate::{csp_report, handoff, quota, Config};

/// Everything the handlers share.
pub struct AppState {
    pub config: Config,
    pub backend: Backend,
    pub sessions: Sessions,
    /// The built SPA and its security policy.
    pub site: Arc<LiveSite>,
    pub launch: Option<LaunchVerifier>,
    /// `localhost:PORT` in the sandbox: where the Persona SDK finds the simulated widget.
    pub persona_host: Option<String>,
    /// `sandbox` or `production`, as the front end is told.
    pub environment: kyc_onboarding::core::api::Environment,
    /// The app's own origins (who may frame the sandbox widget).
    pub app_origins: Vec<String>,
    /// Desktop-to-phone handoff codes.
    pub handoffs: handoff::Handoffs,
    /// What each customer has spent of their API quotas.
    pub quotas: quota::Quotas,
    /// The state shared by every replica (in memory when there is one): sessions, codes,
    /// spent launch tokens, quotas, create locks, the bank token. `ping` it for readiness.
    pub store: Store,
    /// What `/readyz` checks: the store answers; in Cybrid mode, a bank token at hand.
    pub readiness: Readiness,
    /// CSP reports taken per client address ([`csp_report`]).
    pub csp_reports: csp_report::ReportLimiter,
}
