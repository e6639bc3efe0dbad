//! Getting the ID check ready: an honest status line (no fake percentage), announced to
//! screen readers; a few seconds into a wait the customer cannot speed up (Persona's frame,
//! the verification being set up), what is happening and the ways forward while it goes on;
//! after a long wait, a choice to keep waiting or come back later.

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
    // Waiting a few seconds already: the ways forward, while the wait goes on.
    let slow = move || match screen.get() {
        Screen::SlowWait(stage) => Some(stage),
        _ => None,
    };
    let later = RwSignal::new(false);
    let title = Signal::derive(move || {
        t(if still() || slow().is_some() {
            Msg::StillPreparingTitle
        } else {
            Msg::PreparingTitle
        })
    });
    // A long wait says so, in the same announced line (the stage text stays first).
    let late = RwSignal::new(false);
    if let Ok(timer) = set_timeout_with_handle(
        move || late.set(true),
        std::time::Duration::from_millis(u64::from(SLOW_NOTICE_MS)),
    ) {
        on_cleanup(move || timer.clear());
    }
    let status = move || match screen.get() {
        Screen::Preparing(stage) => super::said(stage_text(stage)),
        Screen::SlowWait(PreparingStage::OpeningCapture) => t(Msg::SlowCaptureBody),
        Screen::SlowWait(_) => t(Msg::SlowPreparingBody),
        _ => t(Msg::StillPreparingBody),
    };
    // Texts that are empty until they apply, as plain `&str` (for size: one view type).
    let slow_note = move || {
        if late.get() && matches!(screen.get(), Screen::Preparing(_)) {
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
            <Show when=move || still() || slow().is_some()>
                <div class="actions">
                    {move || match slow() {
                        None => view! {
                            <ActionButton action=UserAction::KeepWaiting label=Msg::KeepWaiting />
                        }
                        .into_any(),
                        Some(stage) => view! {
                            {(stage == PreparingStage::OpeningCapture)
                                .then(|| {
                                    view! {
                                        <ActionButton action=UserAction::Resume label=Msg::TryAgain />
                                    }
                                })}
                            <ActionButton
                                action=UserAction::ContinueOnPhone
                                label=if super::on_phone() {
                                    Msg::ContinueOnAnotherDevice
                                } else {
                                    Msg::ContinueOnPhone
                                }
                                secondary=true
                            />
                        }
                        .into_any(),
                    }}
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
