//! Under Persona's window while it is open.

use leptos::prelude::*;

use super::{t, Heading};
use crate::core::text::Msg;

/// What the page says behind Persona's window. Focus stays in Persona's window.
#[component]
pub fn CaptureScreen() -> impl IntoView {
    view! {
        <section class="screen">
            <Heading text=t(Msg::CaptureTitle) focus=false />
            <p>{t(Msg::CaptureBody)}</p>
        </section>
    }
}
