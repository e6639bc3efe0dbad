//! Preparation tips, grouped. The prep screen shows the groups before the camera opens; the
//! retry screen shows the groups that match the failure codes.

use super::text::Msg;

/// A group of related tips.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TipGroup {
    /// Which ID to use: accepted types, valid, unexpired, matching name.
    AcceptedIds,
    /// Photographing the ID.
    IdPhoto,
    /// Taking the selfie.
    Selfie,
    /// Camera, permissions, power saving, browser.
    Device,
    /// Time needed, expiry, handoff to a phone, resuming.
    Session,
    /// Phone number and email on file.
    ContactDetails,
    /// Supporting documents (bank statement, utility bill).
    Documents,
}

impl TipGroup {
    /// Every group, in display order.
    pub const ALL: [TipGroup; 7] = [
        TipGroup::AcceptedIds,
        TipGroup::IdPhoto,
        TipGroup::Selfie,
        TipGroup::Device,
        TipGroup::Session,
        TipGroup::ContactDetails,
        TipGroup::Documents,
    ];

    /// The groups of the "Before you start" screen.
    pub const PREP: [TipGroup; 5] = [
        TipGroup::AcceptedIds,
        TipGroup::IdPhoto,
        TipGroup::Selfie,
        TipGroup::Device,
        TipGroup::Session,
    ];

    /// Shown on a retry when the failure named no specific cause.
    pub const GENERAL: [TipGroup; 4] = [
        TipGroup::IdPhoto,
        TipGroup::Selfie,
        TipGroup::Device,
        TipGroup::AcceptedIds,
    ];

    /// A stable identifier (for element ids, test selectors and integrator settings).
    pub fn id(self) -> &'static str {
        match self {
            TipGroup::AcceptedIds => "accepted-ids",
            TipGroup::IdPhoto => "id-photo",
            TipGroup::Selfie => "selfie",
            TipGroup::Device => "device",
            TipGroup::Session => "session",
            TipGroup::ContactDetails => "contact-details",
            TipGroup::Documents => "documents",
        }
    }

    /// Reads [`TipGroup::id`] back.
    pub fn from_id(id: &str) -> Option<TipGroup> {
        TipGroup::ALL.into_iter().find(|g| g.id() == id)
    }

    /// The group's heading.
    pub fn title(self) -> Msg {
        match self {
            TipGroup::AcceptedIds => Msg::TipsAcceptedIdsTitle,
            TipGroup::IdPhoto => Msg::TipsIdPhotoTitle,
            TipGroup::Selfie => Msg::TipsSelfieTitle,
            TipGroup::Device => Msg::TipsDeviceTitle,
            TipGroup::Session => Msg::TipsSessionTitle,
            TipGroup::ContactDetails => Msg::TipsContactTitle,
            TipGroup::Documents => Msg::TipsDocumentsTitle,
        }
    }

    /// One line that sums the group up, shown while it is collapsed.
    pub fn summary(self) -> Msg {
        match self {
            TipGroup::AcceptedIds => Msg::TipsAcceptedIdsSummary,
            TipGroup::IdPhoto => Msg::TipsIdPhotoSummary,
            TipGroup::Selfie => Msg::TipsSelfieSummary,
            TipGroup::Device => Msg::TipsDeviceSummary,
            TipGroup::Session => Msg::TipsSessionSummary,
            TipGroup::ContactDetails => Msg::TipsContactSummary,
            TipGroup::Documents => Msg::TipsDocumentsSummary,
        }
    }

    /// The tips themselves, most important first.
    pub fn tips(self) -> &'static [Msg] {
        use Msg::*;
        match self {
            TipGroup::AcceptedIds => &[
                TipIdDriversLicense,
                TipIdPassport,
                TipIdPassportCard,
                TipIdVisa,
                TipIdResidenceCard,
                TipIdUnexpired,
                TipIdNameMatches,
                TipIdOriginal,
            ],
            TipGroup::IdPhoto => &[
                TipPhotoFlatDark,
                TipPhotoFourCorners,
                TipPhotoNoGlare,
                TipPhotoSteady,
                TipPhotoBothSides,
                TipPhotoUsePhone,
            ],
            TipGroup::Selfie => &[
                TipSelfieFaceCamera,
                TipSelfieLighting,
                TipSelfieUncovered,
                TipSelfieBackground,
                TipSelfieEyeLevel,
            ],
            TipGroup::Device => &[
                TipDeviceCamera,
                TipDevicePermission,
                TipDevicePowerSaving,
                TipDeviceCharged,
                TipDeviceBrowser,
            ],
            TipGroup::Session => &[
                TipSessionOneGo,
                TipSessionExpiry,
                TipSessionHandoff,
                TipSessionResume,
            ],
            TipGroup::ContactDetails => &[TipContactCurrent, TipContactUpdate],
            TipGroup::Documents => &[TipDocumentKinds, TipDocumentNameAddress, TipDocumentPhoto],
        }
    }

    /// The tips for the customer's device: on a phone, without those that only help at a
    /// computer (use a phone's camera, carry on by QR code).
    pub fn tips_on(self, on_phone: bool) -> impl Iterator<Item = Msg> {
        const COMPUTER_ONLY: [Msg; 2] = [Msg::TipPhotoUsePhone, Msg::TipSessionHandoff];
        self.tips()
            .iter()
            .copied()
            .filter(move |tip| !(on_phone && COMPUTER_ONLY.contains(tip)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        for group in TipGroup::ALL {
            assert_eq!(TipGroup::from_id(group.id()), Some(group));
        }
        let mut ids: Vec<_> = TipGroup::ALL.iter().map(|g| g.id()).collect();
        ids.dedup();
        assert_eq!(ids.len(), TipGroup::ALL.len());
        assert_eq!(TipGroup::from_id("nope"), None);
    }

    #[test]
    fn every_group_has_tips_and_the_prep_groups_cover_the_guidance() {
        for group in TipGroup::ALL {
            assert!(!group.tips().is_empty(), "{group:?}");
        }
        // The five groups of the customer guidance are on the prep screen.
        assert_eq!(TipGroup::PREP.len(), 5);
        assert!(TipGroup::AcceptedIds
            .tips()
            .contains(&Msg::TipIdResidenceCard));
        assert!(TipGroup::IdPhoto.tips().contains(&Msg::TipPhotoBothSides));
    }

    #[test]
    fn a_phone_is_not_told_to_use_a_phone() {
        let on = |group: TipGroup, phone: bool| group.tips_on(phone).collect::<Vec<_>>();
        for group in TipGroup::ALL {
            assert_eq!(on(group, false), group.tips(), "a computer gets every tip");
            assert!(!on(group, true).is_empty(), "{group:?}");
        }
        assert!(!on(TipGroup::IdPhoto, true).contains(&Msg::TipPhotoUsePhone));
        assert!(!on(TipGroup::Session, true).contains(&Msg::TipSessionHandoff));
        let removed = |group: TipGroup| group.tips().len() - on(group, true).len();
        let total: usize = TipGroup::ALL.iter().map(|g| removed(*g)).sum();
        assert_eq!(total, 2, "only those two");
    }
}
