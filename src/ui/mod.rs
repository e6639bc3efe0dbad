//! The Leptos shell: one component per screen, rendering state from the core.

mod prep;

use leptos::prelude::*;

pub use prep::PrepScreen;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    view! { <PrepScreen /> }
}

/// Mounts [`App`] into `#app` (or the body when the page has no such element).
pub fn mount() {
    let target = document()
        .get_element_by_id("app")
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
    match target {
        Some(el) => leptos::mount::mount_to(el, App).forget(),
        None => leptos::mount::mount_to_body(App),
    }
}
