//! With the compliance team: nothing to do, the page may be closed.

use leptos::prelude::*;

use super::{t, Heading, ReasonList};
use crate::core::failure::FailureCode;
use crate::core::flow::Screen;
use crate::core::text::Msg;

/// "We are taking a closer look".
#[component]
pub fn ReviewScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let codes = move || match page.screen.get() {
        Screen::Review { mut reasons } => {
            reasons.retain(FailureCode::explains_review);
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
                        let documents = codes.iter().any(FailureCode::may_lead_to_documents);
                        view! {
                            <h2>{t(Msg::ReasonsTitle)}</h2>
                            <ReasonList codes=codes />
                            {documents.then(|| view! { <p>{super::said(Msg::ReviewDocuments)}</p> })}
                        }
                    })
            }}
            <p class="muted">{t(Msg::ReviewLeave)}</p>
            <super::ReturnLink />
        </section>
    }
}
