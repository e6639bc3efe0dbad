//! A group of tips: an expandable section with a small illustration.

use leptos::prelude::*;

use super::illustrations::Illustration;
use super::{on_phone, t};
use crate::core::tips::TipGroup;

/// One tip group, collapsed (`open = false`) or expanded. On a phone it leaves out the
/// tips meant for a computer.
#[component]
pub fn TipGroupView(
    /// Which group.
    group: TipGroup,
    /// Start expanded.
    open: bool,
) -> impl IntoView {
    view! {
        <details class="tip-group" open=open data-group=group.id()>
            <summary>
                <Illustration group=group />
                <span class="tip-text">
                    <span class="tip-title">{t(group.title())}</span>
                    <span class="tip-summary">{t(group.summary())}</span>
                </span>
            </summary>
            <ul>
                {group.tips_on(on_phone()).map(|m| view! { <li>{t(m)}</li> }).collect_view()}
            </ul>
        </details>
    }
}
