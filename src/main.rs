//! Browser entry point: trunk builds this binary to wasm32 and the page's bootstrap starts it.
//!
//! In the browser there is no `main`: wasm-bindgen's start function mounts the app. Rust's
//! `main` would first run the standard runtime's set-up and tear-down (naming the main
//! thread, flushing a stdout the browser does not have), code the page never needs.

#![cfg_attr(target_arch = "wasm32", no_main)]

/// Mounts the app once the module is instantiated.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    kyc_onboarding::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kyc-onboarding runs in the browser: start it with `cargo xtask run`.");
}
