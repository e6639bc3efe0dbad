//! "Before you start": what the customer needs and how to prepare.

use leptos::prelude::*;

/// The first screen: what to have ready, and the button that starts the verification.
#[component]
pub fn PrepScreen() -> impl IntoView {
    let (starting, set_starting) = signal(false);
    view! {
        <main>
            <h1 tabindex="-1">"Before you start"</h1>
            <p>
                "You will need a valid government photo ID and about three minutes. "
                "A phone with a camera works best."
            </p>
            <button
                type="button"
                disabled=move || starting.get()
                on:click=move |_| set_starting.set(true)
            >
                {move || if starting.get() { "Starting…" } else { "Start verification" }}
            </button>
        </main>
    }
}
