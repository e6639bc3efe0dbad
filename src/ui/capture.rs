//! Under Persona's window while it is open.

use leptos::prelude::*;

use super::{t, Heading};
use crate::core::text::Msg;

/// What the page says behind Persona's window (or while Persona's own link is on the
/// phone). Focus stays in Persona's window.
#[component]
pub fn CaptureScreen(
    /// Persona's flow carries on on the customer's phone, through its own link.
    on_phone: bool,
) -> impl IntoView {
    let (title, body) = if on_phone {
        (Msg::CaptureOnPhoneTitle, Msg::CaptureOnPhoneBody)
    } else {
        (Msg::CaptureTitle, Msg::CaptureBody)
    };
    view! {
        <section class="screen">
            // Persona's window, on top, has the focus: the heading leaves it there.
            <Heading text=t(title) focus=false />
            <p role="status">{super::said(body)}</p>
        </section>
    }
}
