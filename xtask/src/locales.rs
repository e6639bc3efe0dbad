//! The catalogs the browser fetches. Translators write `locales/<tag>.json`, keyed by
//! message name; the build writes each into `dist/locales/` in the list form the app reads
//! (`Catalog::to_list`: the texts in key order, under the key list's fingerprint), so the
//! wasm carries no key names.

use std::path::Path;

use kyc_onboarding::core::text::{Catalog, Lang, Msg};

/// Writes `dist/locales/<tag>.json` for every language but English (built into the app);
/// returns how many. A catalog that cannot be read fails the build.
pub fn write(root: &Path, dist: &Path) -> Result<usize, String> {
    let out = dist.join("locales");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut written = 0;
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let file = format!("{}.json", lang.tag());
        let source = root.join("locales").join(&file);
        let json = std::fs::read_to_string(&source)
            .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
        let catalog =
            Catalog::<Msg>::parse(&json).map_err(|e| format!("{}: {e}", source.display()))?;
        let target = out.join(&file);
        std::fs::write(&target, catalog.to_list())
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_is_written_in_the_form_the_app_reads() {
        let root = crate::project_root();
        let dist = std::env::temp_dir().join(format!("kyc-locales-{}", std::process::id()));
        assert_eq!(write(&root, &dist), Ok(2));
        for lang in [Lang::FrCa, Lang::EsMx] {
            let source = root.join("locales").join(format!("{}.json", lang.tag()));
            let keyed = Catalog::<Msg>::parse(&std::fs::read_to_string(source).unwrap());
            let written = dist.join("locales").join(format!("{}.json", lang.tag()));
            let list = Catalog::<Msg>::from_list(&std::fs::read_to_string(written).unwrap());
            assert_eq!(list, keyed);
            assert!(list.unwrap().missing().is_empty());
        }
        std::fs::remove_dir_all(&dist).unwrap();
    }
}
