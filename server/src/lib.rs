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
pub mod clock;
pub mod config;
pub mod csp_report;
pub mod cybrid;
pub mod endpoint;
pub mod fault_injection;
pub mod first_paint;
pub mod handoff;
pub mod headers;
pub mod integrator;
pub mod launch;
pub mod limits;
pub mod listener;
pub mod logging;
pub mod metrics;
pub mod origin;
pub mod pages;
pub mod qr;
pub mod quota;
pub mod readiness;
pub mod redact;
pub mod request_id;
pub mod sandbox;
pub mod secret;
pub mod session;
pub mod settings;
pub mod site;
pub mod state;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use kyc_onboarding::core::api::Environment;

pub use config::{Config, CybridConfig, Mode};
pub use state::AppState;

use backend::Backend;
use headers::PolicyInput;
use launch::LaunchVerifier;
use origin::origin_of;
use readiness::Readiness;
use sandbox::Sandbox;
use session::Sessions;
use site::{LiveSite, SiteInput};
use store::Store;

/// Builds the whole HTTP application for a server listening on `addr`, its state in memory
/// ([`serve`] connects to a configured Redis).
pub fn app(config: Config, addr: SocketAddr) -> Result<Router, String> {
    Ok(app_with_state(config, addr)?.0)
}

/// The application and its shared state (tests reach the sandbox through it), its state in
/// memory.
pub fn app_with_state(config: Config, addr: SocketAddr) -> Result<(Router, Arc<AppState>), String> {
    if config.redis_url.is_some() {
        return Err("KYC_REDIS_URL is set: start the server with `serve`".to_owned());
    }
    app_with_store(config, addr, Store::memory())
}

/// The application and its shared state, keeping its state in `store`.
pub fn app_with_store(
    config: Config,
    addr: SocketAddr,
    store: Store,
) -> Result<(Router, Arc<AppState>), String> {
    let port = addr.port();
    let mut app_origins = vec![
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ];
    app_origins.extend(config.sandbox_app_origins.iter().cloned());
    let (backend, persona_host, environment, persona_frames) = match &config.mode {
        Mode::Sandbox(timings) => (
            Backend::Emulated(Arc::new(Sandbox::new(
                *timings,
                config.sandbox_bank_credentials.clone(),
            ))),
            Some(format!("localhost:{port}")),
            Environment::Sandbox,
            vec![format!("http://localhost:{port}")],
        ),
        Mode::Cybrid(cybrid) => {
            let client =
                cybrid::Cybrid::new(cybrid.clone(), store.clone(), config.upstream_read_share)?;
            let environment = Environment::parse(client.environment());
            // A sandbox upstream's simulated widget (development and tests), else Persona.
            let frames = match &config.persona_host {
                Some(host) => vec![format!("http://{host}")],
                None => vec!["https://*.withpersona.com".to_owned()],
            };
            (
                Backend::Cybrid(Arc::new(client)),
                config.persona_host.clone(),
                environment,
                frames,
            )
        }
    };
    // A branded page carries the settings, for the app to look like the integrator's from
    // its first screen (and on a screen with no session at all).
    let settings = (config.branding != Default::default()).then(|| {
        kyc_onboarding::core::api::to_json(&api::settings(&config, &environment, &persona_host))
    });
    // The sandbox's own host page frames the app from the same origin.
    let frame_ancestors = match (&config.mode, config.frame_ancestors.is_empty()) {
        (Mode::Sandbox(_), true) => vec!["'self'".to_owned()],
        _ => config.frame_ancestors.clone(),
    };
    let site = Arc::new(LiveSite::new(SiteInput {
        dist: config.dist.clone(),
        branding: config.branding.clone(),
        settings,
        policy: PolicyInput {
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
            https: config.secure_cookies,
        },
    })?);
    let readiness = readiness_checks(&backend, &store);
    let service = config.service.clone();
    let state = Arc::new(AppState {
        sessions: Sessions::new(store.clone(), config.session_ttl, config.secure_cookies)
            .with_idle(config.session_idle),
        launch: LaunchVerifier::from_config(&config, store.clone()),
        backend,
        site: site.clone(),
        persona_host,
        environment,
        app_origins,
        handoffs: handoff::Handoffs::new(store.clone(), config.handoff_failures_per_minute),
        quotas: quota::Quotas::new(store.clone()),
        store,
        config,
        readiness,
        csp_reports: Default::default(),
    });
    Ok((
        with_service_layers(routes(state.clone()), site, &service),
        state,
    ))
}

/// The cross-cutting layers, innermost first: the time limit, the cap on requests in flight,
/// the security headers, metrics, the log line, the request id and, outermost, the client's
/// address that the ones inside use.
fn with_service_layers(
    routes: Router,
    site: Arc<LiveSite>,
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
        .layer(from_fn_with_state(site, headers::apply))
        .layer(from_fn(crate::metrics::record_request))
        .layer(from_fn(logging::log_request))
        .layer(from_fn(request_id::assign_request_id))
        .layer(from_fn_with_state(
            proxies,
            client_addr::resolve_client_addr,
        ))
}

/// The readiness checks: the state store answers, and in Cybrid mode a bank token is at hand.
fn readiness_checks(backend: &Backend, store: &Store) -> Readiness {
    let ping = store.clone();
    let readiness = Readiness::new().with_check("store", move || {
        let store = ping.clone();
        async move { store.ping().await.map_err(|e| e.to_string()) }
    });
    match backend {
        Backend::Emulated(_) => readiness,
        Backend::Cybrid(client) => {
            let client = client.clone();
            readiness.with_check("bank_token", move || {
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
        .route("/logout", post(session::logout))
        .route(
            "/csp-report",
            post(csp_report::report)
                .layer(axum::extract::DefaultBodyLimit::max(csp_report::MAX_BODY)),
        )
        .route(
            "/integrator/customers/{guid}/end-sessions",
            post(integrator::end_sessions),
        )
        .route(
            "/launch",
            // A form with one token: nothing bigger is buffered for a route anyone can call.
            get(launch::launch)
                .head(launch::launch_head)
                .post(launch::launch_form)
                .layer(axum::extract::DefaultBodyLimit::max(4096)),
        )
        .route("/handoff", post(handoff::mint))
        .route("/handoff/status", get(handoff::status))
        .route("/handoff/revoke", post(handoff::revoke))
        .route("/handoff/cancel", post(handoff::cancel))
        .route("/handoff/qr.svg", get(qr::qr_picture))
        .route(
            "/handoff/{code}",
            get(handoff::confirm).post(handoff::redeem),
        )
        .route("/pages.css", get(pages::style))
        .route("/api/customers/{guid}", get(api::customer))
        .route(
            "/api/identity_verifications",
            get(api::list).post(api::create),
        )
        .route("/api/identity_verifications/{guid}", get(api::verification))
        .route("/api/persona_sessions", post(api::persona_session))
        .route("/api/{*rest}", axum::routing::any(api::not_found));
    if state.backend.emulator().is_some() {
        router = router.merge(sandbox::routes());
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

/// Starts the server on `addr` (port 0 picks a free one), its state in the Redis of
/// `KYC_REDIS_URL` when set (which must answer now), else in memory, and its metrics
/// listener when `KYC_METRICS_ADDR` is set.
pub async fn serve(config: Config, addr: SocketAddr) -> Result<Running, String> {
    let store = store::open(config.redis_url.as_deref(), &config.redis_prefix).await?;
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
    let (router, state) = app_with_store(config, local, store)?;
    if state.config.watch_dist {
        tokio::spawn(state.site.clone().watch());
    }
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
