//! Small line drawings for the tip groups, drawn for this project. Decorative: hidden from
//! screen readers, coloured by the surrounding text.

use leptos::prelude::*;

use crate::core::tips::TipGroup;

/// The drawing of a tip group.
#[component]
pub fn Illustration(
    /// Which group.
    group: TipGroup,
) -> impl IntoView {
    let body = match group {
        TipGroup::AcceptedIds => view! {
            <rect x="6" y="12" width="36" height="24" rx="3" />
            <rect x="10" y="17" width="10" height="12" rx="1.5" />
            <path d="M24 19h14M24 24h14M24 29h9" />
        }
        .into_any(),
        TipGroup::IdPhoto => view! {
            <path d="M6 14v-6h6M36 8h6v6M42 34v6h-6M12 40h-6v-6" />
            <rect x="12" y="16" width="24" height="16" rx="2" />
            <path d="M17 21h6M17 26h14" />
        }
        .into_any(),
        TipGroup::Selfie => view! {
            <circle cx="24" cy="20" r="8" />
            <path d="M12 40c1.5-7 6-10 12-10s10.5 3 12 10" />
            <path d="M6 12v-6h6M36 6h6v6" />
        }
        .into_any(),
        TipGroup::Device => view! {
            <rect x="14" y="5" width="20" height="38" rx="4" />
            <circle cx="24" cy="10" r="1.5" />
            <path d="M21 38h6" />
        }
        .into_any(),
        TipGroup::Session => view! {
            <circle cx="24" cy="25" r="16" />
            <path d="M24 16v9l6 4M20 5h8" />
        }
        .into_any(),
        TipGroup::ContactDetails => view! {
            <rect x="6" y="12" width="36" height="24" rx="3" />
            <path d="M7 14l17 12 17-12" />
        }
        .into_any(),
        TipGroup::Documents => view! {
            <path d="M12 5h17l9 9v29H12z" />
            <path d="M29 5v9h9M17 22h16M17 28h16M17 34h10" />
        }
        .into_any(),
    };
    view! {
        <svg
            class="illustration"
            viewBox="0 0 48 48"
            width="48"
            height="48"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width="2.2"
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            {body}
        </svg>
    }
}
