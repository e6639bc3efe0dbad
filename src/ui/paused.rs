//! Left part-way: continue with a new session, or read the tips again first. A document
//! compliance asks for: what it is, how to photograph it, and telling the customer when one
//! sent could not be used.

use leptos::prelude::*;

use super::{t, ActionButton, DeviceCheck, HandoffButton, Heading, ReasonList, TipGroupView};
use crate::core::document_request::DocumentAsk;
use crate::core::failure::FailureCode;
use crate::core::flow::UserAction;
use crate::core::text::Msg;
use crate::core::tips::TipGroup;

/// "Your verification is saved", or, when compliance asks for a document during a review,
/// "One more document" with the tips for it.
#[component]
pub fn PausedScreen(
    /// The document compliance asks for, when it is that rather than the ID check left
    /// part-way.
    asked: Option<DocumentAsk>,
) -> impl IntoView {
    let documents = asked.is_some();
    let (title, body) = match asked {
        Some(ask) => (Msg::DocumentsRequestedTitle, ask.body()),
        None => (Msg::PausedTitle, Msg::PausedBody),
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

/// "We could not use your document": why, how to photograph one, and sending it again (a
/// new request the server allows for this case alone).
#[component]
pub fn DocumentRefusedScreen(
    /// What was wrong with it (may be empty).
    codes: Vec<FailureCode>,
) -> impl IntoView {
    view! {
        <section class="screen outcome">
            <Heading text=t(Msg::DocRefusedTitle) />
            {(!codes.is_empty()).then(|| view! { <ReasonList codes=codes /> })}
            <p>{t(Msg::DocRefusedBody)}</p>
            <div class="tips">
                <TipGroupView group=TipGroup::Documents open=true />
            </div>
            <div class="actions">
                <ActionButton action=UserAction::SendDocumentAgain label=Msg::SendAnotherDocument />
                <HandoffButton />
            </div>
        </section>
    }
}
