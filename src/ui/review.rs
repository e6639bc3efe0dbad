//! With the compliance team: nothing to do, the page may be closed.

use leptos::prelude::*;

use super::{t, Heading, ReasonList};
use crate::core::failure::{FailureCode, FailureInfo};
use crate::core::flow::Screen;
use crate::core::text::Msg;

/// Whether the team may ask for a statement or bill (address, date of birth, records).
fn may_ask_for_documents(codes: &[FailureCode]) -> bool {
    codes.iter().any(|c| {
        matches!(
            c.info(),
            FailureInfo {
                reason: Msg::ReasonRecordsMatch,
                ..
            }
        )
    })
}

/// Whether a code's reason says more than the screen's heading: "needs a closer look by a
/// person" (the neutral reason of review and AML codes) does not, so it is not listed.
fn adds_to_heading(code: &FailureCode) -> bool {
    code.info().reason != Msg::ReasonManualReview
}

/// "We are taking a closer look".
#[component]
pub fn ReviewScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let codes = move || match page.screen.get() {
        Screen::Review { mut reasons } => {
            reasons.retain(adds_to_heading);
            reasons
        }
        _ => Vec::new(),
    };
    view! {
        <section class="screen outcome">
            <Heading text=t(Msg::ReviewTitle) />
            <p class="lead">{t(Msg::ReviewBody)}</p>
            {move || {
                let codes = codes();
                (!codes.is_empty())
                    .then(|| {
                        let documents = may_ask_for_documents(&codes);
                        view! {
                            <h2>{t(Msg::ReasonsTitle)}</h2>
                            <ReasonList codes=codes />
                            {documents.then(|| view! { <p>{t(Msg::ReviewDocuments)}</p> })}
                        }
                    })
            }}
            <p class="muted">{t(Msg::ReviewLeave)}</p>
        </section>
    }
}
