//! Left part-way: continue with a new session, or read the tips again first.

use leptos::prelude::*;

use super::{t, ActionButton, DeviceCheck, HandoffButton, Heading, TipGroupView};
use crate::core::flow::{Screen, UserAction};
use crate::core::text::Msg;
use crate::core::tips::TipGroup;

/// "Your verification is saved", or, when compliance asks for a document during a review,
/// "One more document" with the tips for it.
#[component]
pub fn PausedScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let documents = matches!(
        page.screen.get_untracked(),
        Screen::Paused {
            documents: true,
            ..
        }
    );
    let (title, body) = if documents {
        (Msg::DocumentsRequestedTitle, Msg::DocumentsRequestedBody)
    } else {
        (Msg::PausedTitle, Msg::PausedBody)
    };
    view! {
        <section class="screen">
            <Heading text=t(title) />
            <p>{t(body)}</p>
            // A camera refused in Persona's window shows here, with how to allow it again.
            <DeviceCheck />
            {documents
                .then(|| {
                    view! {
                        <div class="tips">
                            <TipGroupView group=TipGroup::Documents open=true />
                        </div>
                    }
                })}
            <div class="actions">
                <ActionButton
                    action=UserAction::Resume
                    label=if documents { Msg::SendDocument } else { Msg::Resume }
                />
                {(!documents)
                    .then(|| {
                        view! {
                            <ActionButton
                                action=UserAction::StartOver
                                label=Msg::ReadTipsAgain
                                secondary=true
                            />
                        }
                    })}
                <HandoffButton />
            </div>
        </section>
    }
}
