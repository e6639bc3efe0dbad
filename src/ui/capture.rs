//! Under Persona's window while it is open.

use leptos::prelude::*;

use super::{t, Heading};
use crate::core::flow::Screen;
use crate::core::text::Msg;

/// What the page says behind Persona's window (or while Persona's own link is on the
/// phone). Focus stays in Persona's window.
#[component]
pub fn CaptureScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let screen = page.screen.get_untracked();
    let (title, body) = match screen {
        Screen::CaptureOnPhone => (Msg::CaptureOnPhoneTitle, Msg::CaptureOnPhoneBody),
        _ => (Msg::CaptureTitle, Msg::CaptureBody),
    };
    view! {
        <section class="screen">
            <Heading text=t(title) focus=screen.heading_takes_focus() />
            <p role="status">{super::said(body)}</p>
        </section>
    }
}
