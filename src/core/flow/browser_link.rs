//! The in-app browser's way out: a one-time link to this verification for the customer's own
//! browser (the session lives in the in-app browser's cookies, so the page's own address
//! would open on "your session has ended" there), made on a tap and put on the clipboard.
//! Its request is one of the machine's like any other, answered by id; it runs beside the
//! flow's own request and changes nothing else.

use super::*;

/// How the link for the customer's own browser is getting on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkForBrowser {
    /// The request making one, while it is out: taps wait (each new link ends the one
    /// before, so two at once would leave the first copied link dead).
    pub making: Option<RequestId>,
    /// The last link made.
    pub made: Option<BrowserLink>,
    /// The last try could not make one (offline, session over).
    pub failed: bool,
    /// The last link made is on the clipboard.
    pub copied: bool,
}

/// A one-time link made for the customer's own browser, in the language it was made in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserLink {
    /// The path after the app's origin.
    pub path: String,
    /// The language the link opens in.
    pub lang: Lang,
}

impl BrowserLink {
    /// The whole address, on the app's `origin`.
    pub fn url(&self, origin: &str) -> String {
        handoff_url(origin, &self.path, self.lang)
    }
}

impl Flow {
    /// How the link for the customer's own browser is getting on.
    pub fn link_for_browser(&self) -> &LinkForBrowser {
        &self.link
    }

    /// "Copy link" in the in-app browser: the clipboard's write starts inside the tap (the
    /// only moment browsers allow it) and the link is asked for.
    pub(super) fn make_link(&mut self, fx: &mut Vec<Effect>) {
        if self.link.making.is_some() {
            return;
        }
        let id = self.fresh_id();
        self.link.making = Some(id);
        self.link.failed = false;
        self.link.copied = false;
        fx.push(Effect::StartCopy);
        fx.push(Effect::Send(id, Request::MintHandoff));
    }

    /// The answer to the link's request: the link, or why there is none; the copy finishes
    /// either way.
    pub(super) fn on_link(&mut self, answer: Answer, fx: &mut Vec<Effect>) {
        self.link.making = None;
        let made = match answer {
            Answer::HandoffMinted { path, .. } => Some(BrowserLink {
                path,
                lang: self.language,
            }),
            _ => None,
        };
        self.link.failed = made.is_none();
        if made.is_some() {
            self.link.made.clone_from(&made);
        }
        fx.push(Effect::FinishCopy(made));
    }
}
