//! Browser entry point: trunk builds this binary to wasm32 and the page calls `main`.

#[cfg(target_arch = "wasm32")]
fn main() {
    kyc_onboarding::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kyc-onboarding runs in the browser: start it with `cargo xtask run`.");
}
