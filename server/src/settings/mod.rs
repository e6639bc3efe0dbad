//! `kyc-server`'s settings as `clap` reads them: one typed field per setting, each with its
//! flag, its environment variable, its default and its doc (which `--help` shows), and the
//! start-up checks that turn them into the server's [`Config`].
//!
//! A new setting is one field of [`Settings`]: a doc comment, `#[arg(long, env = "KYC_...")]`
//! (with a `value_parser` when its text needs checking), then its place in
//! [`Settings::into_config`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use kyc_onboarding::core::branding::Branding;

use crate::config::Timings;
use crate::config::{Config, CybridConfig, LogFormat, Mode, ServiceSettings};
use crate::origin::{is_https_or_loopback, is_on_this_machine, origin_of};

mod values;

pub use values::Proxies;
use values::*;

/// Serves the built app and is its backend.
#[derive(Parser, Clone)]
#[command(
    name = "kyc-server",
    about = "Serves the built KYC onboarding app and is its backend",
    after_help = "\
Sandbox mode (the default) emulates Cybrid and Persona in memory; open /sandbox to pick a scenario.
Cybrid mode: set CYBRID_CLIENT_ID, CYBRID_CLIENT_SECRET, KYC_LAUNCH_SECRET, KYC_PUBLIC_URL
(https; http only for localhost) and KYC_LAUNCH_ORIGINS (your pages' origins, or `*` for any
site). Logging follows RUST_LOG (info by default)."
)]
pub struct Settings {
    /// Where to listen.
    #[arg(long, env = "KYC_ADDR", value_name = "IP:PORT", default_value = "127.0.0.1:8080",
          value_parser = listen_address)]
    pub addr: SocketAddr,

    /// The built app (trunk's `dist/`), with optional `.br` / `.gz` siblings.
    #[arg(long, env = "KYC_DIST", value_name = "DIR", default_value = "dist")]
    pub dist: PathBuf,

    /// Development (`cargo xtask dev`): read the build in `--dist` again whenever a new one
    /// lands in it, so a rebuilt app shows on a reload without a restart.
    #[arg(long, env = "KYC_WATCH_DIST")]
    pub watch_dist: bool,

    /// Keep sessions, handoff codes, spent launch tokens, quotas, create locks, the bank
    /// token and recent upstream reads in this Redis (`redis://host:6379/0`, `rediss://...`),
    /// shared by every replica. Unset: in this process's memory (one server).
    #[arg(long, env = "KYC_REDIS_URL", value_name = "URL", value_parser = redis_url,
          hide_env_values = true, help_heading = "State shared by replicas")]
    pub redis_url: Option<String>,

    /// The start of every Redis key this deployment writes.
    #[arg(long, env = "KYC_REDIS_PREFIX", value_name = "PREFIX",
          default_value = crate::config::DEFAULT_REDIS_PREFIX, value_parser = redis_prefix,
          help_heading = "State shared by replicas")]
    pub redis_prefix: String,

    /// How long an upstream read's answer is shared with identical reads (same customer,
    /// endpoint and id), across replicas, so Cybrid sees about one call a second per
    /// customer and endpoint however fast the app polls; 0 turns it off (at most 10000).
    #[arg(long, env = "KYC_UPSTREAM_READ_SHARE_MS", value_name = "MS", default_value_t = 1_000,
          value_parser = whole_number, help_heading = "State shared by replicas")]
    pub upstream_read_share_ms: u64,

    /// On SIGTERM or SIGINT, how long requests in flight may take to finish (0 to 600 s).
    #[arg(long, env = "KYC_DRAIN_SECS", value_name = "SECS", default_value_t = 10,
          value_parser = drain_secs, help_heading = "Service")]
    pub drain_secs: u64,

    /// How long a client may take to send a request's headers (1 to 300 s).
    #[arg(long, env = "KYC_HEADER_READ_TIMEOUT_SECS", value_name = "SECS", default_value_t = 10,
          value_parser = header_read_timeout_secs, help_heading = "Service")]
    pub header_read_timeout_secs: u64,

    /// The longest a request may take before it is answered 503 (1 to 600 s).
    #[arg(long, env = "KYC_REQUEST_TIMEOUT_SECS", value_name = "SECS", default_value_t = 30,
          value_parser = request_timeout_secs, help_heading = "Service")]
    pub request_timeout_secs: u64,

    /// Requests handled at once; more are answered 503 with Retry-After.
    #[arg(long, env = "KYC_MAX_CONCURRENT_REQUESTS", value_name = "N", default_value_t = 512,
          value_parser = at_least_one, help_heading = "Service")]
    pub max_concurrent_requests: u64,

    /// Log lines as `text` (for people) or `json` (one object a line, for a log pipeline).
    #[arg(long, env = "KYC_LOG_FORMAT", value_name = "FORMAT", default_value = "text",
          value_parser = log_format, help_heading = "Service")]
    pub log_format: LogFormat,

    /// Where Prometheus scrapes `/metrics` (`127.0.0.1:9090`): never the public port. Unset:
    /// no metrics.
    #[arg(long, env = "KYC_METRICS_ADDR", value_name = "IP:PORT", value_parser = metrics_address,
          help_heading = "Service")]
    pub metrics_addr: Option<SocketAddr>,

    /// Proxies (CIDRs or addresses, separated by commas or spaces) whose `X-Forwarded-For`
    /// and `X-Request-Id` are believed; from anyone else the peer's address counts.
    #[arg(long, env = "KYC_TRUSTED_PROXIES", value_name = "CIDRS", value_parser = trusted_proxies,
          help_heading = "Service")]
    pub trusted_proxies: Option<Proxies>,

    /// Other origins whose app may frame the simulated Persona widget: a Cybrid-mode server
    /// that uses this sandbox as its upstream Cybrid (`KYC_PERSONA_HOST` there), separated by
    /// spaces or commas.
    #[arg(long, env = "SANDBOX_APP_ORIGINS", value_name = "ORIGINS", value_parser = comma_list,
          help_heading = "Sandbox")]
    pub sandbox_app_origins: Option<List>,

    /// How long the emulated Persona inquiry takes to start.
    #[arg(long, env = "SANDBOX_INQUIRY_DELAY_MS", value_name = "MS",
          default_value_t = Timings::default().inquiry_delay_ms, value_parser = whole_number,
          help_heading = "Sandbox")]
    pub inquiry_delay_ms: u64,

    /// How long the emulated decision takes.
    #[arg(long, env = "SANDBOX_DECISION_DELAY_MS", value_name = "MS",
          default_value_t = Timings::default().decision_delay_ms, value_parser = whole_number,
          help_heading = "Sandbox")]
    pub decision_delay_ms: u64,

    /// How long the emulated compliance review takes.
    #[arg(long, env = "SANDBOX_REVIEW_DELAY_MS", value_name = "MS",
          default_value_t = Timings::default().review_delay_ms, value_parser = whole_number,
          help_heading = "Sandbox")]
    pub review_delay_ms: u64,

    /// The client id its `/oauth/token` accepts, so that a Cybrid-mode server can use
    /// this sandbox as its upstream Cybrid (with the secret below).
    #[arg(
        long,
        env = "SANDBOX_BANK_CLIENT_ID",
        value_name = "ID",
        hide_env_values = true,
        help_heading = "Sandbox"
    )]
    pub sandbox_bank_client_id: Option<String>,

    /// The client secret its `/oauth/token` accepts.
    #[arg(
        long,
        env = "SANDBOX_BANK_CLIENT_SECRET",
        value_name = "SECRET",
        hide_env_values = true,
        help_heading = "Sandbox"
    )]
    pub sandbox_bank_client_secret: Option<String>,

    /// Cybrid mode, development and tests only: the Persona host the SDK talks to instead of
    /// Persona's own (`localhost:8080`, a kyc-server sandbox acting as the upstream Cybrid,
    /// whose simulated widget then runs the inquiry). Refused for a production Cybrid.
    #[arg(
        long,
        env = "KYC_PERSONA_HOST",
        value_name = "HOST:PORT",
        help_heading = "Cybrid mode"
    )]
    pub persona_host: Option<String>,

    /// The bank API client id (with the secret, switches Cybrid mode on).
    #[arg(
        long,
        env = "CYBRID_CLIENT_ID",
        value_name = "ID",
        hide_env_values = true,
        help_heading = "Cybrid mode"
    )]
    pub cybrid_client_id: Option<String>,

    /// The bank API client secret.
    #[arg(
        long,
        env = "CYBRID_CLIENT_SECRET",
        value_name = "SECRET",
        hide_env_values = true,
        help_heading = "Cybrid mode"
    )]
    pub cybrid_client_secret: Option<String>,

    /// The bank API.
    #[arg(
        long,
        env = "CYBRID_BANK_URL",
        value_name = "URL",
        default_value = "https://bank.sandbox.cybrid.app",
        help_heading = "Cybrid mode"
    )]
    pub cybrid_bank_url: String,

    /// The identity host that issues bank tokens.
    #[arg(
        long,
        env = "CYBRID_ID_URL",
        value_name = "URL",
        default_value = "https://id.sandbox.cybrid.app",
        help_heading = "Cybrid mode"
    )]
    pub cybrid_id_url: String,

    /// `sandbox` or `production`; by default what the bank host says, and
    /// production when it says neither.
    #[arg(
        long,
        env = "CYBRID_ENVIRONMENT",
        value_name = "ENV",
        help_heading = "Cybrid mode"
    )]
    pub cybrid_environment: Option<String>,

    /// The address customers open (https; http only for localhost): its origin goes into
    /// the links this server draws, and https sets the cookies' `Secure` flag. Unset, links
    /// go by each request's `Host`.
    #[arg(long, env = "KYC_PUBLIC_URL", value_name = "URL", value_parser = public_url)]
    pub public_url: Option<String>,

    /// The HMAC-SHA256 secret (at least 32 bytes) shared with the integrator's backend, which
    /// signs the `/launch` tokens.
    #[arg(
        long,
        env = "KYC_LAUNCH_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub launch_secret: Option<String>,

    /// The id a token's header `kid` names `KYC_LAUNCH_SECRET` by (key rotation). A token
    /// with a `kid` is checked with the key of that id only.
    #[arg(long, env = "KYC_LAUNCH_KEY_ID", value_name = "ID", value_parser = key_id,
          help_heading = "Launch tokens")]
    pub launch_key_id: Option<String>,

    /// The secret being retired, still accepted during a rotation (at least 32 bytes): set it
    /// to the old secret and `KYC_LAUNCH_SECRET` to the new one, then unset it once the
    /// integrator's backend signs with the new one only.
    #[arg(
        long,
        env = "KYC_LAUNCH_SECRET_PREVIOUS",
        value_name = "SECRET",
        hide_env_values = true,
        help_heading = "Launch tokens"
    )]
    pub launch_secret_previous: Option<String>,

    /// The id a token's `kid` names `KYC_LAUNCH_SECRET_PREVIOUS` by.
    #[arg(long, env = "KYC_LAUNCH_KEY_ID_PREVIOUS", value_name = "ID", value_parser = key_id,
          help_heading = "Launch tokens")]
    pub launch_key_id_previous: Option<String>,

    /// The `aud` claim every launch token must carry; unset: not checked.
    #[arg(
        long,
        env = "KYC_LAUNCH_AUDIENCE",
        value_name = "AUD",
        help_heading = "Launch tokens"
    )]
    pub launch_audience: Option<String>,

    /// The `iss` claim every launch token must carry; unset: not checked.
    #[arg(
        long,
        env = "KYC_LAUNCH_ISSUER",
        value_name = "ISS",
        help_heading = "Launch tokens"
    )]
    pub launch_issuer: Option<String>,

    /// Origins whose pages may send customers to `/launch`, separated by spaces or commas, or
    /// `*` for any site. Cybrid mode needs it set; unset in the sandbox: any.
    #[arg(long, env = "KYC_LAUNCH_ORIGINS", value_name = "ORIGINS",
          value_parser = launch_origins)]
    pub launch_origins: Option<List>,

    /// How long a used launch token still works for a second tap from the same address
    /// (at most 60; 0: never). Only where the server sees each customer's own address.
    #[arg(long, env = "KYC_LAUNCH_SECOND_TAP_SECS", value_name = "SECS", default_value_t = 0,
          value_parser = whole_number)]
    pub launch_second_tap_secs: u64,

    /// How long a customer session lasts at most (at least 60).
    #[arg(long, env = "KYC_SESSION_TTL_SECS", value_name = "SECS", default_value_t = 3600,
          value_parser = whole_number)]
    pub session_ttl_secs: u64,

    /// How long a session lasts without a request (at least 60): each request of the
    /// customer's starts it again, never past `KYC_SESSION_TTL_SECS`.
    #[arg(long, env = "KYC_SESSION_IDLE_SECS", value_name = "SECS",
          default_value_t = crate::config::DEFAULT_SESSION_IDLE_SECS, value_parser = whole_number)]
    pub session_idle_secs: u64,

    /// Failed handoff-code attempts allowed per client address per minute (at least 1).
    #[arg(long, env = "KYC_HANDOFF_FAILURES_PER_MINUTE", value_name = "N",
          default_value_t = crate::handoff::ATTEMPTS_PER_MINUTE as u64,
          value_parser = whole_number)]
    pub handoff_failures_per_minute: u64,

    /// Origins allowed to frame the app (`frame-ancestors`), separated by spaces; https
    /// only (http for localhost). Unset: none (the sandbox's own host page in the sandbox).
    #[arg(long, env = "KYC_FRAME_ANCESTORS", value_name = "ORIGINS",
          value_parser = frame_ancestors)]
    pub frame_ancestors: Option<List>,

    /// The origin of the page that embeds or opens the app; it receives the app's events.
    #[arg(long, env = "KYC_HOST_ORIGIN", value_name = "ORIGIN", value_parser = host_origin)]
    pub host_origin: Option<String>,

    /// The bank's choice of `require_tax_id` for every customer's verification (`true` or
    /// `false`); unset leaves it to Cybrid's default.
    #[arg(long, env = "KYC_REQUIRE_TAX_ID", value_name = "BOOL", value_parser = tax_id_choice)]
    pub require_tax_id: Option<bool>,

    /// A language for every customer (en, fr-CA, es-MX), before the browser's own.
    #[arg(long, env = "KYC_LANGUAGE", value_name = "TAG", value_parser = language)]
    pub language: Option<String>,

    /// Where the front end loads the Persona SDK from.
    #[arg(
        long,
        env = "PERSONA_SDK_URL",
        value_name = "URL",
        default_value = "/persona.js"
    )]
    pub persona_sdk_url: String,

    /// Persona `environmentId`, when the integrator uses one.
    #[arg(long, env = "PERSONA_ENVIRONMENT_ID", value_name = "ID")]
    pub persona_environment_id: Option<String>,

    /// The integrator's name, in the app's header.
    #[arg(
        long,
        env = "KYC_BRAND_NAME",
        value_name = "NAME",
        help_heading = "Branding"
    )]
    pub brand_name: Option<String>,

    /// The integrator's logo, in the app's header instead of the name.
    #[arg(
        long,
        env = "KYC_BRAND_LOGO_URL",
        value_name = "URL",
        help_heading = "Branding"
    )]
    pub brand_logo_url: Option<String>,

    /// The primary colour (`#rrggbb`); text on it must meet WCAG AA (4.5:1).
    #[arg(
        long,
        env = "KYC_BRAND_PRIMARY",
        value_name = "COLOUR",
        help_heading = "Branding"
    )]
    pub brand_primary: Option<String>,

    /// The colour of text on the primary colour.
    #[arg(
        long,
        env = "KYC_BRAND_ON_PRIMARY",
        value_name = "COLOUR",
        help_heading = "Branding"
    )]
    pub brand_on_primary: Option<String>,

    /// The primary colour in dark mode.
    #[arg(
        long,
        env = "KYC_BRAND_PRIMARY_DARK",
        value_name = "COLOUR",
        help_heading = "Branding"
    )]
    pub brand_primary_dark: Option<String>,

    /// The colour of text on the primary colour in dark mode.
    #[arg(
        long,
        env = "KYC_BRAND_ON_PRIMARY_DARK",
        value_name = "COLOUR",
        help_heading = "Branding"
    )]
    pub brand_on_primary_dark: Option<String>,

    /// The corner radius of buttons and cards, 0 to 32.
    #[arg(long, env = "KYC_BRAND_RADIUS_PX", value_name = "PX", value_parser = radius,
          help_heading = "Branding")]
    pub brand_radius_px: Option<u8>,

    /// The font family.
    #[arg(
        long,
        env = "KYC_BRAND_FONT",
        value_name = "FONT",
        help_heading = "Branding"
    )]
    pub brand_font: Option<String>,

    /// Where customers get help.
    #[arg(
        long,
        env = "KYC_SUPPORT_URL",
        value_name = "URL",
        help_heading = "Branding"
    )]
    pub support_url: Option<String>,

    /// The words of the help link.
    #[arg(
        long,
        env = "KYC_SUPPORT_TEXT",
        value_name = "TEXT",
        help_heading = "Branding"
    )]
    pub support_text: Option<String>,

    /// Where "back to the app" goes: the integrator's own app.
    #[arg(
        long,
        env = "KYC_RETURN_URL",
        value_name = "URL",
        help_heading = "Branding"
    )]
    pub return_url: Option<String>,

    /// The groups of capture tips to show, separated by commas (`id-photo, selfie`).
    #[arg(long, env = "KYC_TIP_GROUPS", value_name = "GROUPS", value_parser = comma_list,
          help_heading = "Branding")]
    pub tip_groups: Option<List>,
}

/// A setting that lists several values in one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct List(pub Vec<String>);

impl Settings {
    /// The server's address and [`Config`], once every setting agrees with the others.
    pub fn into_config(self) -> Result<(SocketAddr, Config), String> {
        let timings = Timings {
            inquiry_delay_ms: self.inquiry_delay_ms,
            decision_delay_ms: self.decision_delay_ms,
            review_delay_ms: self.review_delay_ms,
            ..Timings::default()
        };
        let launch_secret = self.launch_secret.map(String::into_bytes);
        if launch_secret.as_ref().is_some_and(|s| s.len() < 32) {
            return Err("KYC_LAUNCH_SECRET must be at least 32 bytes".to_owned());
        }
        let launch_secret_previous = self.launch_secret_previous.map(String::into_bytes);
        check_rotation(
            launch_secret.as_deref(),
            launch_secret_previous.as_deref(),
            self.launch_key_id.as_deref(),
            self.launch_key_id_previous.as_deref(),
        )?;
        let branding = Branding {
            name: self.brand_name,
            logo_url: self.brand_logo_url,
            primary: self.brand_primary,
            on_primary: self.brand_on_primary,
            primary_dark: self.brand_primary_dark,
            on_primary_dark: self.brand_on_primary_dark,
            radius_px: self.brand_radius_px,
            font: self.brand_font,
            support_url: self.support_url,
            support_text: self.support_text,
            return_url: self.return_url,
            tip_groups: self.tip_groups.map(|List(groups)| groups),
        };
        branding.validate().map_err(|e| format!("branding: {e}"))?;
        let public = self.public_url.unwrap_or_default();
        let mode = match (self.cybrid_client_id, self.cybrid_client_secret) {
            (Some(client_id), Some(client_secret)) => {
                let environment = crate::config::cybrid_environment(
                    &self.cybrid_bank_url,
                    self.cybrid_environment.as_deref(),
                )?;
                if launch_secret.is_none() {
                    return Err(
                        "Cybrid mode needs KYC_LAUNCH_SECRET: customers arrive through /launch"
                            .to_owned(),
                    );
                }
                // Real customers' session cookies travel over https only (`Secure`); plain
                // http is for trying it out on this machine.
                if !public.starts_with("https://") && !is_on_this_machine(&public) {
                    return Err(format!(
                        "Cybrid mode needs KYC_PUBLIC_URL, the https address customers open \
                         (http only for localhost), got `{public}`"
                    ));
                }
                // Another site could otherwise sign its visitors in as a customer of its
                // choosing (login CSRF): any site only when said so.
                if self.launch_origins.is_none() {
                    return Err("Cybrid mode needs KYC_LAUNCH_ORIGINS: the origins of the \
                                integrator's pages that send customers to /launch, or `*` for \
                                any site"
                        .to_owned());
                }
                for (name, url) in [
                    ("CYBRID_BANK_URL", &self.cybrid_bank_url),
                    ("CYBRID_ID_URL", &self.cybrid_id_url),
                ] {
                    if !is_https_or_loopback(url) {
                        return Err(format!(
                            "{name} must be an https address (http only on this machine), \
                             got `{url}`"
                        ));
                    }
                }
                Mode::Cybrid(CybridConfig {
                    bank_url: self.cybrid_bank_url,
                    id_url: self.cybrid_id_url,
                    client_id,
                    client_secret,
                    environment,
                })
            }
            (None, None) => Mode::Sandbox(timings),
            _ => {
                return Err(
                    "set both CYBRID_CLIENT_ID and CYBRID_CLIENT_SECRET for Cybrid mode, or neither for the sandbox"
                        .to_owned(),
                )
            }
        };
        let service = ServiceSettings {
            drain: Duration::from_secs(self.drain_secs),
            header_read_timeout: Duration::from_secs(self.header_read_timeout_secs),
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            max_concurrent_requests: usize::try_from(self.max_concurrent_requests)
                .unwrap_or(usize::MAX),
            log_format: self.log_format,
            metrics_addr: self.metrics_addr,
            trusted_proxies: self.trusted_proxies.map_or_else(Vec::new, |Proxies(p)| p),
        };
        if let (Some(_), Mode::Cybrid(cybrid)) = (&self.persona_host, &mode) {
            if cybrid.environment == "production" {
                return Err(
                    "KYC_PERSONA_HOST is for a sandbox upstream: a production Cybrid runs \
                     Persona's own flow"
                        .to_owned(),
                );
            }
        }
        let config = Config {
            service,
            persona_host: self.persona_host,
            sandbox_app_origins: self.sandbox_app_origins.map_or_else(Vec::new, |List(l)| l),
            dist: self.dist,
            watch_dist: self.watch_dist,
            redis_url: self.redis_url,
            redis_prefix: self.redis_prefix,
            upstream_read_share: Duration::from_millis(self.upstream_read_share_ms.min(10_000)),
            mode,
            session_ttl: Duration::from_secs(self.session_ttl_secs.max(60)),
            session_idle: Duration::from_secs(self.session_idle_secs.max(60)),
            frame_ancestors: self.frame_ancestors.map_or_else(Vec::new, |List(l)| l),
            secure_cookies: public.starts_with("https://"),
            public_origin: origin_of(&public),
            launch_secret,
            launch_key_id: self.launch_key_id,
            launch_secret_previous,
            launch_key_id_previous: self.launch_key_id_previous,
            launch_audience: self.launch_audience,
            launch_issuer: self.launch_issuer,
            persona_sdk_url: self.persona_sdk_url,
            persona_environment_id: self.persona_environment_id,
            sandbox_bank_credentials: self
                .sandbox_bank_client_id
                .zip(self.sandbox_bank_client_secret),
            branding,
            language: self.language,
            host_origin: self.host_origin,
            // `*`, like unset in the sandbox: any site.
            launch_origins: self
                .launch_origins
                .map_or_else(Vec::new, |List(l)| l)
                .into_iter()
                .filter(|o| o != "*")
                .collect(),
            launch_second_tap_secs: i64::try_from(self.launch_second_tap_secs.min(60))
                .unwrap_or(60),
            handoff_failures_per_minute: usize::try_from(self.handoff_failures_per_minute.max(1))
                .unwrap_or(usize::MAX),
            require_tax_id: self.require_tax_id,
        };
        Ok((self.addr, config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn help_lists_every_setting_with_its_environment_variable() {
        let help = crate::config::help();
        let command = Settings::command();
        let settings: Vec<_> = command
            .get_arguments()
            .filter(|arg| arg.get_id() != "help")
            .collect();
        // Every variable the server has read since before clap, each still a setting.
        for env in [
            "CYBRID_CLIENT_ID",
            "CYBRID_CLIENT_SECRET",
            "CYBRID_BANK_URL",
            "CYBRID_ID_URL",
            "CYBRID_ENVIRONMENT",
            "KYC_LAUNCH_SECRET",
            "KYC_PUBLIC_URL",
            "KYC_SESSION_TTL_SECS",
            "KYC_FRAME_ANCESTORS",
            "KYC_HANDOFF_FAILURES_PER_MINUTE",
            "KYC_LAUNCH_SECOND_TAP_SECS",
            "KYC_LAUNCH_ORIGINS",
            "KYC_REQUIRE_TAX_ID",
            "PERSONA_SDK_URL",
            "PERSONA_ENVIRONMENT_ID",
            "KYC_BRAND_NAME",
            "KYC_BRAND_LOGO_URL",
            "KYC_BRAND_PRIMARY",
            "KYC_BRAND_ON_PRIMARY",
            "KYC_BRAND_PRIMARY_DARK",
            "KYC_BRAND_ON_PRIMARY_DARK",
            "KYC_BRAND_RADIUS_PX",
            "KYC_BRAND_FONT",
            "KYC_SUPPORT_URL",
            "KYC_SUPPORT_TEXT",
            "KYC_RETURN_URL",
            "KYC_TIP_GROUPS",
            "KYC_LANGUAGE",
            "KYC_HOST_ORIGIN",
            "SANDBOX_BANK_CLIENT_ID",
            "SANDBOX_BANK_CLIENT_SECRET",
            "KYC_REDIS_URL",
            "KYC_REDIS_PREFIX",
            "KYC_UPSTREAM_READ_SHARE_MS",
            "KYC_WATCH_DIST",
            "KYC_DRAIN_SECS",
            "KYC_HEADER_READ_TIMEOUT_SECS",
            "KYC_REQUEST_TIMEOUT_SECS",
            "KYC_MAX_CONCURRENT_REQUESTS",
            "KYC_LOG_FORMAT",
            "KYC_METRICS_ADDR",
            "KYC_TRUSTED_PROXIES",
            "KYC_LAUNCH_AUDIENCE",
            "KYC_LAUNCH_ISSUER",
            "KYC_LAUNCH_SECRET_PREVIOUS",
            "KYC_LAUNCH_KEY_ID",
            "KYC_LAUNCH_KEY_ID_PREVIOUS",
            "KYC_SESSION_IDLE_SECS",
        ] {
            assert!(
                settings
                    .iter()
                    .any(|arg| arg.get_env() == Some(env.as_ref())),
                "{env}"
            );
        }
        for arg in settings {
            let long = arg.get_long().expect("every setting has a flag");
            let env = arg.get_env().expect("every setting has a variable");
            let env = env.to_str().unwrap();
            let doc = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(!doc.is_empty(), "{long} has a doc");
            assert!(
                help.contains(&format!("--{long} ")) || help.contains(&format!("--{long}\n")),
                "--{long}:\n{help}"
            );
            assert!(help.contains(&format!("[env: {env}")), "{env}:\n{help}");
        }
        assert!(help.contains("[default: 127.0.0.1:8080]"));
    }

    #[test]
    fn secrets_never_show_in_help() {
        for arg in Settings::command().get_arguments() {
            let env = arg.get_env().and_then(|e| e.to_str()).unwrap_or_default();
            if env.ends_with("SECRET") || env.ends_with("CLIENT_ID") {
                assert!(arg.is_hide_env_values_set(), "{env}");
            }
        }
    }
}
