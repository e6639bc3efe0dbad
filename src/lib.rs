//! kyc-onboarding: takes an end customer through identity verification (KYC) on the Cybrid
//! platform, with Persona's embedded flow doing the ID and selfie capture.
//!
//! - [`core`] is pure Rust (no web-sys, no Leptos, no I/O): API types, the failure-code
//!   catalog, the verification flow as a state machine and the polling policy. It is tested
//!   natively with `cargo test`.
//! - The browser side exists only on wasm32: `shell` performs the effects the core asks for
//!   (through `api`, `persona`, `device`, `host`), `ui` renders the core's state and sends
//!   the customer's actions, and `app` makes and wires the two.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod camera;
#[cfg(target_arch = "wasm32")]
pub mod camera_check;
#[cfg(target_arch = "wasm32")]
pub mod device;
#[cfg(target_arch = "wasm32")]
pub mod host;
#[cfg(target_arch = "wasm32")]
pub mod language;
#[cfg(target_arch = "wasm32")]
pub mod persona;
#[cfg(target_arch = "wasm32")]
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Mounts the app into the page. Called once from `main` in the browser.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    app::mount();
}
