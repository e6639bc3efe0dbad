//! The address bar, kept in step with the flow: each screen has its own path, a reload lands
//! on the right screen (the flow finds its way back from the server's state), and the back
//! button leaves the verification instead of stepping into screens that no longer apply.
//!
//! A purpose-built replacement for a client-side router: the flow, not the URL, decides
//! what is shown, so all this needs is `history.replaceState` and one `popstate` listener.
//! (leptos_router measured 49 KB gzip of the 120 KB first-load budget.)

use leptos::prelude::*;

use crate::core::flow::{canonical_path, PATHS};
use crate::core::text::Lang;

/// The current path, as a signal.
#[derive(Clone, Copy)]
pub struct Address {
    path: RwSignal<String>,
}

/// The screen path the address stands for; another spelling of it (`/start/`) is replaced
/// in the address bar by the path itself.
fn location_path() -> String {
    let Some(window) = web_sys::window() else {
        return "/".to_owned();
    };
    let location = window.location();
    let raw = location.pathname().unwrap_or_default();
    let path = canonical_path(&raw);
    if path != raw {
        let url = format!("{path}{}", location.search().unwrap_or_default());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
    path.to_owned()
}

impl Address {
    /// Reads the page's path and follows the browser's back and forward buttons.
    pub fn of_page() -> Address {
        let path = RwSignal::new(location_path());
        window_event_listener(leptos::ev::popstate, move |_| path.set(location_path()));
        Address { path }
    }

    /// Whether the path is one of the screens' (tracked); anything else is "not found".
    pub fn is_known(&self) -> bool {
        self.path.with(|p| PATHS.contains(&p.as_str()))
    }

    /// Whether the page opened on a screen's path (untracked): under any other address the
    /// flow does not start, so nothing happens behind the "not found" page.
    pub fn is_known_now(&self) -> bool {
        self.path.with_untracked(|p| PATHS.contains(&p.as_str()))
    }

    /// Shows a screen's path, replacing the history entry. An unknown address keeps its
    /// "not found" page until the customer follows its link.
    pub fn show(&self, path: &str) {
        let current = self.path.get_untracked();
        if !PATHS.contains(&current.as_str()) || current == path {
            return;
        }
        // A language asked for in the address (`?lang=fr`) stays for a reload; nothing
        // else of the query is carried (it could be anything).
        let url = match crate::language::url_language()
            .as_deref()
            .and_then(Lang::parse)
        {
            Some(lang) => format!("{path}?lang={}", lang.tag()),
            None => path.to_owned(),
        };
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
        self.path.set(path.to_owned());
    }
}
