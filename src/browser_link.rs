//! The in-app browser's way out: how the one-time link for the customer's own browser is
//! getting on. The shell makes the link (in the later module) and the screens show it.

use leptos::prelude::*;

/// A one-time link that opens the customer's verification in their own browser (the session
/// lives in the in-app browser's cookies; the page's own address would open on "your session
/// has ended" elsewhere). Plain signals of types the app uses anyway, for size. The page keeps
/// one (its default: no link yet), so the link made stays on screen when a language switch
/// renders the page again.
#[derive(Clone, Copy, Default)]
pub struct LinkForBrowser {
    /// The link once made, else empty.
    pub url: RwSignal<String>,
    /// It is on the clipboard.
    pub copied: RwSignal<bool>,
    /// It could not be made (offline, session over).
    pub failed: RwSignal<bool>,
    /// One is being made (taps wait: each new link ends the one before).
    pub making: RwSignal<bool>,
}
