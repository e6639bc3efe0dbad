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

/// "We are taking a closer look".
#[component]
pub fn ReviewScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let codes = move || match page.screen.get() {
        Screen::Review { reasons } => reasons,
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
