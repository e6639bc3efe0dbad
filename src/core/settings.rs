//! The settings the page runs with, from the session's answer (or a branded page): the
//! sandbox badge, Persona's, the integrator's brand, language and host page.

use super::api::{PersonaConfig, SessionInfo};
use super::branding::Branding;

/// Settings that arrive with the session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The backend works with Cybrid's sandbox ([`SessionInfo::sandbox`]).
    pub sandbox: bool,
    /// How to load and start Persona.
    pub persona: PersonaConfig,
    /// The integrator's brand.
    pub branding: Branding,
    /// The integrator's language for every customer, if any.
    pub language: Option<String>,
    /// Who hears the app's events by `postMessage`.
    pub host_origin: Option<String>,
}

impl Settings {
    /// The settings a session's answer gives, and its CSRF token.
    pub fn of(info: SessionInfo) -> (Settings, String) {
        let settings = Settings {
            sandbox: info.sandbox(),
            persona: info.persona,
            branding: info.branding,
            language: info.language,
            host_origin: info.host_origin,
        };
        (settings, info.csrf_token)
    }
}
