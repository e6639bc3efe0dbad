//! A group of tips: an expandable section with a small illustration.

use leptos::prelude::*;

use super::illustrations::Illustration;
use super::{on_phone, t};
use crate::core::tips::TipGroup;
use crate::language::I18n;

/// One tip group, collapsed (`open = false`) or expanded. On a phone it leaves out the
/// tips meant for a computer. The tips' English is in the second wasm module (about 0.8 KB
/// gzip less before the first screen): they are drawn when it has arrived, which the prep
/// screen asks for as it shows.
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
                // On the first screen the tips' English comes with the second module (a
                // moment after the page): until then an open group shows its summary.
                {move || {
                    if let Some(i18n) = use_context::<I18n>() {
                        i18n.later_arrived();
                    }
                    group
                        .tips_on(on_phone())
                        .map(t)
                        .filter(|text| !text.is_empty())
                        .map(|text| view! { <li>{text}</li> })
                        .collect_view()
                }}
            </ul>
        </details>
    }
}
