//! A group of tips: an expandable section with a small illustration.

use leptos::prelude::*;

use super::illustrations::Illustration;
use super::t;
use crate::core::device::DeviceNotice;
use crate::core::tips::TipGroup;

/// Whether the device check is done and found no computer.
fn on_phone() -> bool {
    use_context::<super::Page>().is_some_and(|page| {
        page.device.with_untracked(|notices| {
            notices
                .as_ref()
                .is_some_and(|n| !n.contains(&DeviceNotice::Desktop))
        })
    })
}

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
