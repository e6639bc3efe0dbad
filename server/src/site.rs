//! The built SPA as the server serves it: its files ([`Assets`]) and the security policy
//! derived from its `index.html` ([`SecurityHeaders`]), read at start and, in development
//! (`--watch-dist`), read again whenever a new build lands in `dist/`.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use kyc_onboarding::core::branding::Branding;

use crate::assets::Assets;
use crate::headers::{PolicyInput, SecurityHeaders};

/// One build's files and the policy that goes with them.
pub struct Site {
    pub assets: Assets,
    pub policy: SecurityHeaders,
}

/// What a site is made from besides the build itself.
pub struct SiteInput {
    pub dist: PathBuf,
    pub branding: Branding,
    /// The front end's settings, carried by a branded page.
    pub settings: Option<String>,
    pub policy: PolicyInput,
}

impl SiteInput {
    /// Reads `dist/` and renders its first paints and policy.
    pub fn build(&self) -> Result<Site, String> {
        let assets = Assets::load(&self.dist)?
            .with_catalogs()
            .with_first_paints(&self.branding, self.settings.as_deref());
        let policy = SecurityHeaders::new(assets.index_html(), &self.policy);
        Ok(Site { assets, policy })
    }
}

/// The site being served, replaced whole when a new build is read.
pub struct LiveSite {
    current: RwLock<Arc<Site>>,
    input: SiteInput,
}

impl LiveSite {
    /// Reads the build once; fails when there is none.
    pub fn new(input: SiteInput) -> Result<LiveSite, String> {
        Ok(LiveSite {
            current: RwLock::new(Arc::new(input.build()?)),
            input,
        })
    }

    /// The site as it is now (a request keeps the one it started with).
    pub fn get(&self) -> Arc<Site> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reads `dist/` again; a build that cannot be read leaves the current one served.
    pub fn reload(&self) -> Result<(), String> {
        let site = Arc::new(self.input.build()?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = site;
        Ok(())
    }

    /// Development: watches `dist/index.html` (trunk writes it with every build) and reads the
    /// build again once it has stopped changing for a moment, until the server stops.
    pub async fn watch(self: Arc<Self>) {
        let index = self.input.dist.join("index.html");
        let stamp = || std::fs::metadata(&index).and_then(|m| m.modified()).ok();
        let mut served: Option<SystemTime> = stamp();
        let mut tick = tokio::time::interval(Duration::from_millis(300));
        loop {
            tick.tick().await;
            let now = stamp();
            if now.is_none() || now == served {
                continue;
            }
            // trunk moves a build's files in one after another: read once two looks agree.
            tick.tick().await;
            if stamp() != now {
                continue;
            }
            served = now;
            match self.reload() {
                Ok(()) => tracing::info!("dist/ changed: serving the new build"),
                Err(e) => tracing::warn!("dist/ changed but cannot be read yet: {e}"),
            }
        }
    }
}
