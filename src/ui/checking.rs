//! Following the verification to its end after Persona, with honest timing.

use leptos::prelude::*;

use super::{t, ActionButton, Heading};
use crate::core::flow::{CheckingStage, Screen, UserAction};
use crate::core::text::Msg;

/// "Checking your details", and "Still checking" after a long wait.
#[component]
pub fn CheckingScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let screen = Memo::new(move |_| page.screen.get());
    let still = move || screen.get() == Screen::StillChecking;
    let title = Signal::derive(move || {
        t(if still() {
            Msg::StillCheckingTitle
        } else {
            Msg::CheckingTitle
        })
    });
    let status = move || match screen.get() {
        Screen::Checking(CheckingStage::Account) => t(Msg::CheckingAccount),
        Screen::Checking(CheckingStage::Decision) => super::said(Msg::CheckingDecision),
        _ => t(Msg::StillCheckingBody),
    };
    view! {
        <section class="screen">
            <Heading text=title />
            <p class="status" role="status" aria-live="polite" data-testid="progress">
                <Show when=move || !still()>
                    <span class="spinner" aria-hidden="true"></span>
                </Show>
                {status}
            </p>
            <Show when=move || !still()>
                <p class="muted">{t(Msg::CheckingLeave)}</p>
            </Show>
            <Show when=still>
                <div class="actions">
                    <ActionButton action=UserAction::KeepWaiting label=Msg::KeepWaiting />
                </div>
            </Show>
        </section>
    }
}
