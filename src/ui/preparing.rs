//! Getting the ID check ready: an honest status line (no fake percentage), announced to
//! screen readers; after a long wait, a choice to keep waiting or come back later.

use leptos::prelude::*;

use super::{t, ActionButton, Heading};
use crate::core::flow::{PreparingStage, Screen, UserAction};
use crate::core::polling::SLOW_NOTICE_MS;
use crate::core::text::Msg;

fn stage_text(stage: PreparingStage) -> Msg {
    match stage {
        PreparingStage::Looking => Msg::StageLooking,
        PreparingStage::Creating => Msg::StageCreating,
        PreparingStage::WaitingForInquiry => Msg::StageWaiting,
        PreparingStage::Reconnecting => Msg::StageReconnecting,
        PreparingStage::OpeningCapture => Msg::StageOpening,
    }
}

/// The preparing screen, and its "taking longer than usual" form.
#[component]
pub fn PreparingScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let screen = Memo::new(move |_| page.screen.get());
    let still = move || screen.get() == Screen::StillPreparing;
    let later = RwSignal::new(false);
    let title = Signal::derive(move || {
        t(if still() {
            Msg::StillPreparingTitle
        } else {
            Msg::PreparingTitle
        })
    });
    // A long wait says so, in the same announced line (the stage text stays first).
    let slow = RwSignal::new(false);
    if let Ok(timer) = set_timeout_with_handle(
        move || slow.set(true),
        std::time::Duration::from_millis(u64::from(SLOW_NOTICE_MS)),
    ) {
        on_cleanup(move || timer.clear());
    }
    let status = move || match screen.get() {
        Screen::Preparing(stage) => super::said(stage_text(stage)),
        _ => t(Msg::StillPreparingBody),
    };
    // Texts that are empty until they apply, as plain `&str` (for size: one view type).
    let slow_note = move || {
        if slow.get() && !still() {
            t(Msg::PreparingSlow)
        } else {
            ""
        }
    };
    view! {
        <section class="screen">
            <Heading text=title />
            <p class="status" role="status" aria-live="polite" data-testid="progress">
                <Show when=move || !still()>
                    <span class="spinner" aria-hidden="true"></span>
                </Show>
                {status}
                " "
                {slow_note}
            </p>
            <Show when=still>
                <div class="actions">
                    <ActionButton action=UserAction::KeepWaiting label=Msg::KeepWaiting />
                    <button type="button" class="button secondary" on:click=move |_| later.set(true)>
                        {t(Msg::ComeBackLater)}
                    </button>
                </div>
                // On the page (empty) before the tap fills it, so screen readers announce it.
                <p role="status" data-testid="come-back-later">
                    {move || if later.get() { t(Msg::ComeBackLaterBody) } else { "" }}
                </p>
            </Show>
        </section>
    }
}
