//! The backend calls of the SPA's API, by name: the unit quotas charge and faults hit.

/// The backend calls of the SPA's API: what quotas charge and faults hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /session`.
    Session,
    /// `GET /api/customers/{guid}`.
    Customer,
    /// `GET /api/identity_verifications`.
    List,
    /// `POST /api/identity_verifications`.
    Create,
    /// `GET /api/identity_verifications/{guid}`.
    Verification,
    /// `POST /api/persona_sessions`.
    PersonaSession,
}

impl Endpoint {
    /// Every endpoint, with its name in fault rules.
    pub const ALL: [(Endpoint, &'static str); 6] = [
        (Endpoint::Session, "session"),
        (Endpoint::Customer, "customer"),
        (Endpoint::List, "list"),
        (Endpoint::Create, "create"),
        (Endpoint::Verification, "verification"),
        (Endpoint::PersonaSession, "persona_session"),
    ];

    /// The endpoint named `name` in fault rules.
    pub fn parse(name: &str) -> Option<Endpoint> {
        Endpoint::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(e, _)| *e)
    }

    /// The endpoint's name in fault rules.
    pub fn name(self) -> &'static str {
        Endpoint::ALL
            .iter()
            .find(|(e, _)| *e == self)
            .map(|(_, n)| *n)
            .unwrap_or_default()
    }
}
