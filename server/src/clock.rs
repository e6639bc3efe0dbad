//! The server's clock: wall time in milliseconds, as the core's `Millis` counts it.

use kyc_onboarding::core::time::Millis;

/// The current time in milliseconds since the Unix epoch.
pub fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or_default()
}
