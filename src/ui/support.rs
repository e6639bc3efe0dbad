//! Only support can help: rejected, unclassified results, or a frozen account. No blame.

use leptos::prelude::*;

use super::{t, Heading};
use crate::core::failure::{FailureCategory, FailureCode};
use crate::core::flow::Screen;
use crate::core::text::Msg;

/// Codes shown as they came, for support: those this page cannot explain.
fn codes_to_mention(codes: &[FailureCode]) -> Vec<String> {
    codes
        .iter()
        .filter(|c| {
            matches!(
                c.category(),
                FailureCategory::Unrecognized | FailureCategory::NotKyc
            )
        })
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// The contact-support screens.
#[component]
pub fn SupportScreen(
    /// Which of them: rejected, an unclassified result (with its codes), or frozen.
    screen: Screen,
) -> impl IntoView {
    let (title, body, codes) = match &screen {
        Screen::Rejected { .. } => (Msg::RejectedTitle, Msg::RejectedBody, Vec::new()),
        Screen::ContactSupport { reasons } => (
            Msg::ContactSupportTitle,
            Msg::ContactSupportBody,
            codes_to_mention(reasons),
        ),
        _ => (Msg::FrozenTitle, Msg::FrozenBody, Vec::new()),
    };
    view! {
        <section class="screen outcome">
            <Heading text=super::said(title) />
            <p class="lead">{super::said(body)}</p>
            <super::SupportContact />
            {(!codes.is_empty())
                .then(|| {
                    view! {
                        <p>{t(Msg::ContactSupportCodes)}</p>
                        <ul class="codes">
                            {codes
                                .into_iter()
                                .map(|c| view! { <li><code><bdi>{c}</bdi></code></li> })
                                .collect_view()}
                        </ul>
                    }
                })}
            <super::ReturnLink secondary=true />
        </section>
    }
}
