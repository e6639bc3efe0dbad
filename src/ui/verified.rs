//! Passed: the customer is verified.

use leptos::prelude::*;

use super::{t, Heading};
use crate::core::text::Msg;

/// "You are verified".
#[component]
pub fn VerifiedScreen() -> impl IntoView {
    view! {
        <section class="screen outcome success">
            <svg class="outcome-mark" viewBox="0 0 48 48" width="64" height="64" aria-hidden="true" focusable="false">
                <circle cx="24" cy="24" r="21" fill="none" stroke="currentColor" stroke-width="3" />
                <path d="M14 25l7 7 13-15" fill="none" stroke="currentColor" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
            <Heading text=t(Msg::VerifiedTitle) />
            <p class="lead">{super::said(Msg::VerifiedBody)}</p>
            <p>{t(Msg::VerifiedNext)}</p>
            <super::ReturnLink />
        </section>
    }
}
