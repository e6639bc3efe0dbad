//! The kyc-onboarding server: serves the built SPA and is its backend.
//!
//! - Mode 1, sandbox (the default): an in-memory emulator of the Cybrid endpoints and of the
//!   Persona widget, with scenarios and fault injection (`/sandbox`).
//! - Mode 2, Cybrid: a backend-for-frontend that holds the bank credentials and forwards the
//!   customer's calls to the Cybrid bank API; customers arrive through `/launch`.
//!
//! Either way the browser holds only an HttpOnly session cookie and a CSRF token.
//!
//! Run as a service: `/healthz` (alive) and `/readyz` (ready, [`readiness`]), a graceful stop
//! ([`Running::shutdown`], SIGTERM in `main`), a request id and a log line per request,
//! Prometheus metrics on their own address ([`metrics`]), inbound limits ([`limits`],
//! [`listener`]) and the client's address behind trusted proxies ([`client_addr`]).

pub mod api;
pub mod assets;
pub mod backend;
pub mod client_addr;
pub mod config;
pub mod cybrid;
pub mod first_paint;
pub mod handoff;
pub mod headers;
pub mod launch;
pub mod limits;
pub mod listener;
pub mod logging;
pub mod metrics;
pub mod pages;
pub mod quota;
pub mod readiness;
pub mod request_id;
pub mod sandbox;
pub mod secret;
pub mod session;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub use config::{Config, CybridConfig, Mode};

use assets::Assets;
use backend::Backend;
use headers::{PolicyInput, SecurityHeaders};
use launch::LaunchVerifier;
use readiness::Readiness;
use sandbox::Sandbox;
use session::Sessions;

/// Everything the handlers share.
pub struct AppState {
    pub config: Config,
    pub backend: Backend,
    pub sessions: Sessions,
    pub assets: Arc<Assets>,
    pub launch: Option<LaunchVerifier>,
    /// `localhost:PORT` in the sandbox: where the Persona SDK finds the simulated widget.
    pub persona_host: Option<String>,
    /// `sandbox` or `production`.
    pub environment: String,
    /// The app's own origins (who may frame the sandbox widget).
    pub app_origins: Vec<String>,
    /// Desktop-to-phone handoff codes.
    pub handoffs: handoff::Handoffs,
    /// What each customer has spent of their API quotas.
    pub quotas: quota::Quotas,
    /// One lock per customer around "list, then create only if none is in flight".
    pub create_locks:
        std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// What `/readyz` checks (in Cybrid mode, a bank token at hand).
    pub readiness: Readiness,
}

impl AppState {
    /// The lock that serialises this customer's creates.
    pub fn create_lock(&self, customer_guid: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.create_locks.lock().unwrap_or_else(|e| e.into_inner());
        // Forget locks nobody holds, so the map stays small.
        locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        locks.entry(customer_guid.to_owned()).or_default().clone()
    }
}

/// The origin part of an absolute URL (`https://cdn.example/x.js` -> `https://cdn.example`).
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    (!host.is_empty() && (scheme == "https" || scheme == "http"))
        .then(|| format!("{scheme}://{host}"))
}

/// Builds the whole HTTP application for a server listening on `addr`.
pub fn app(config: Config, addr: SocketAddr) -> Result<Router, String> {
    Ok(app_with_state(config, addr)?.0)
}

/// The application and its shared state (tests reach the sandbox through it).
pub fn app_with_state(config: Config, addr: SocketAddr) -> Result<(Router, Arc<AppState>), String> {
    let port = addr.port();
    let app_origins = vec![
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ];
    let (backend, persona_host, environment, persona_frames) = match &config.mode {
        Mode::Sandbox(timings) => (
            Backend::Sandbox(Arc::new(Sandbox::new(
                *timings,
                config.sandbox_bank_credentials.clone(),
            ))),
            Some(format!("localhost:{port}")),
            "sandbox".to_owned(),
            vec![format!("http://localhost:{port}")],
        ),
        Mode::Cybrid(cybrid) => {
            let client = cybrid::Cybrid::new(cybrid.clone())?;
            let environment = client.environment().to_owned();
            (
                Backend::Cybrid(Arc::new(client)),
                None,
                environment,
                vec!["https://*.withpersona.com".to_owned()],
            )
        }
    };
    // A branded page carries the settings, for the app to look like the integrator's from
    // its first screen (and on a screen with no session at all).
    let settings = (config.branding != Default::default()).then(|| {
        kyc_onboarding::core::api::to_json(&api::settings(&config, &environment, &persona_host))
    });
    let assets = Arc::new(
        Assets::load(&config.dist)?.with_first_paints(&config.branding, settings.as_deref()),
    );
    // The sandbox's own host page frames the app from the same origin.
    let frame_ancestors = match (&config.mode, config.frame_ancestors.is_empty()) {
        (Mode::Sandbox(_), true) => vec!["'self'".to_owned()],
        _ => config.frame_ancestors.clone(),
    };
    let policy = Arc::new(SecurityHeaders::new(
        assets.index_html(),
        &PolicyInput {
            persona_frames,
            sdk_origin: origin_of(&config.persona_sdk_url),
            frame_ancestors,
            image_origins: config
                .branding
                .logo_url
                .as_deref()
                .and_then(origin_of)
                .into_iter()
                .collect(),
            host_opener: config.host_origin.is_some(),
        },
    ));
    let readiness = readiness_checks(&backend);
    let service = config.service.clone();
    let state = Arc::new(AppState {
        sessions: Sessions::new(config.session_ttl, config.secure_cookies),
        launch: config
            .launch_secret
            .clone()
            .map(|secret| LaunchVerifier::new(secret, config.launch_second_tap_secs)),
        backend,
        assets,
        persona_host,
        environment,
        app_origins,
        handoffs: handoff::Handoffs::with_limit(config.handoff_failures_per_minute),
        config,
        create_locks: Default::default(),
        quotas: Default::default(),
        readiness,
    });
    Ok((
        with_service_layers(routes(state.clone()), policy, &service),
        state,
    ))
}

/// The cross-cutting layers, innermost first: the time limit, the cap on requests in flight,
/// the security headers, metrics, the log line, the request id and, outermost, the client's
/// address that the ones inside use.
fn with_service_layers(
    routes: Router,
    policy: Arc<SecurityHeaders>,
    service: &config::ServiceSettings,
) -> Router {
    use axum::middleware::{from_fn, from_fn_with_state};
    let proxies = client_addr::TrustedProxies::new(service.trusted_proxies.clone());
    routes
        .layer(limits::time_limit(service.request_timeout))
        .layer(from_fn_with_state(
            limits::InFlight::new(service.max_concurrent_requests),
            limits::shed_when_busy,
        ))
        .layer(from_fn_with_state(policy, headers::apply))
        .layer(from_fn(crate::metrics::record_request))
        .layer(from_fn(logging::log_request))
        .layer(from_fn(request_id::assign_request_id))
        .layer(from_fn_with_state(
            proxies,
            client_addr::resolve_client_addr,
        ))
}

/// The readiness checks for this backend. The state store's `ping` is to be added here as a
/// check named `store` once the store exists.
fn readiness_checks(backend: &Backend) -> Readiness {
    match backend {
        Backend::Sandbox(_) => Readiness::new(),
        Backend::Cybrid(client) => {
            let client = client.clone();
            Readiness::new().with_check("bank_token", move || {
                let client = client.clone();
                async move { client.token_ready().await.map_err(|e| e.message) }
            })
        }
    }
}

/// Every route; the sandbox's own only in sandbox mode.
fn routes(state: Arc<AppState>) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness::readyz))
        .route("/session", get(api::session))
        .route(
            "/launch",
            // A form with one token: nothing bigger is buffered for a route anyone can call.
            get(launch::launch)
                .post(launch::launch_form)
                .layer(axum::extract::DefaultBodyLimit::max(4096)),
        )
        .route("/handoff", post(handoff::mint))
        .route("/handoff/status", get(handoff::status))
        .route("/handoff/qr.svg", get(handoff::qr_picture))
        .route(
            "/handoff/{code}",
            get(handoff::confirm).post(handoff::redeem),
        )
        .route("/pages.css", get(sandbox::pages::style))
        .route("/api/customers", post(sandbox::pages::bank_create_customer))
        .route("/api/customers/{guid}", get(api::customer))
        .route(
            "/api/identity_verifications",
            get(api::list).post(api::create),
        )
        .route("/api/identity_verifications/{guid}", get(api::verification))
        .route("/api/persona_sessions", post(api::persona_session))
        .route("/api/{*rest}", axum::routing::any(api::not_found));
    if state.backend.sandbox().is_some() {
        router = router
            .route("/sandbox", get(sandbox::pages::index))
            .route("/sandbox/start", get(sandbox::pages::start))
            .route("/sandbox/api/state", get(sandbox::pages::report))
            .route("/sandbox/api/catalog", get(sandbox::pages::catalog))
            .route("/sandbox/embed", get(sandbox::pages::embed))
            .route("/sandbox/embed.js", get(sandbox::pages::embed_script))
            .route("/sandbox/api/faults", post(sandbox::pages::add_faults))
            .route("/oauth/token", post(sandbox::pages::oauth_token))
            .route("/widget", get(sandbox::widget::widget_page))
            .route("/widget.js", get(sandbox::widget::widget_script))
            .route("/widget.css", get(sandbox::widget::widget_style))
            .route("/preload", get(sandbox::widget::preload))
            .route("/widget/api/open", post(sandbox::widget::open))
            .route("/widget/api/start", post(sandbox::widget::start))
            .route("/widget/api/submit", post(sandbox::widget::submit));
    }
    // Every body the app, the sandbox or an integrator sends is well under 1 KB: nothing
    // bigger is buffered (the read comes before the session check).
    router
        .fallback(assets::serve)
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024))
        .with_state(state)
}

/// A server started by [`serve`].
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where Prometheus scrapes `/metrics` (`KYC_METRICS_ADDR`), when set.
    pub metrics_addr: Option<SocketAddr>,
    /// Its shared state.
    pub state: Arc<AppState>,
    /// Ends when the server has stopped (after [`Running::shutdown`], once drained).
    pub task: tokio::task::JoinHandle<()>,
    /// Turned true to stop.
    stop: tokio::sync::watch::Sender<bool>,
}

impl Running {
    /// Stops the server gracefully: no new connections from now on, and the requests in
    /// flight get up to `KYC_DRAIN_SECS` to finish; then [`Running::task`] ends.
    pub fn shutdown(&self) {
        let _ = self.stop.send(true);
    }
}

/// Starts the server on `addr` (port 0 picks a free one), and its metrics listener when
/// `KYC_METRICS_ADDR` is set.
pub async fn serve(config: Config, addr: SocketAddr) -> Result<Running, String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let service = config.service.clone();
    let metrics_listener = match service.metrics_addr {
        Some(at) => Some(
            tokio::net::TcpListener::bind(at)
                .await
                .map_err(|e| format!("cannot listen on {at} for metrics: {e}"))?,
        ),
        None => None,
    };
    let (router, state) = app_with_state(config, local)?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut metrics_addr = None;
    if let Some(metrics_listener) = metrics_listener {
        metrics_addr = metrics_listener.local_addr().ok();
        let handle = crate::metrics::install()?;
        let mut stopped = stopped.clone();
        tokio::spawn(crate::metrics::serve(
            metrics_listener,
            handle,
            async move {
                listener::stop_asked(&mut stopped).await;
            },
        ));
    }
    let limits = listener::ListenerLimits {
        header_read_timeout: service.header_read_timeout,
        drain: service.drain,
    };
    let task = tokio::spawn(listener::serve_until_stopped(
        listener, router, limits, stopped,
    ));
    Ok(Running {
        addr: local,
        metrics_addr,
        state,
        task,
        stop,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_urls() {
        assert_eq!(
            origin_of("https://cdn.withpersona.com/dist/persona-v5.9.0.js").as_deref(),
            Some("https://cdn.withpersona.com")
        );
        assert_eq!(origin_of("/persona.js"), None);
        assert_eq!(origin_of("javascript://x"), None);
    }
}
