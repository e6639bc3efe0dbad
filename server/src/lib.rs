//! The kyc-onboarding server: serves the built SPA and is its backend.

pub mod assets;
pub mod headers;

use std::path::PathBuf;
use std::sync::Arc;

use axum::routing::get;
use axum::Router;

/// What the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// The built SPA (trunk's `dist/`), with optional `.br` / `.gz` siblings.
    pub dist: PathBuf,
}

/// Builds the whole HTTP application.
pub fn app(config: &Config) -> Result<Router, String> {
    let assets = Arc::new(assets::Assets::load(&config.dist)?);
    let policy = Arc::new(headers::SecurityHeaders::for_index(assets.index_html()));
    Ok(Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .fallback(assets::serve)
        .with_state(assets)
        .layer(axum::middleware::from_fn_with_state(policy, headers::apply)))
}
