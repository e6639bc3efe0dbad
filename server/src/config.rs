//! The server's configuration as the rest of the server uses it ([`Config`]), read from
//! command-line flags and environment variables by [`crate::settings::Settings`].
//!
//! Mode 1 (sandbox, the default) needs nothing. Mode 2 forwards to Cybrid and is switched on
//! by `CYBRID_CLIENT_ID` + `CYBRID_CLIENT_SECRET` (bank API credentials).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::error::{ContextKind, ErrorKind};
use clap::{CommandFactory, FromArgMatches};
use kyc_onboarding::core::branding::Branding;

use crate::settings::Settings;

/// Where the backend calls go.
#[derive(Clone, Debug)]
pub enum Mode {
    /// The in-memory emulator of Cybrid and Persona.
    Sandbox(Timings),
    /// The real Cybrid API (or anything that speaks it).
    Cybrid(CybridConfig),
}

/// How to reach Cybrid in mode 2.
#[derive(Clone)]
pub struct CybridConfig {
    /// `https://bank.sandbox.cybrid.app` or `https://bank.production.cybrid.app`.
    pub bank_url: String,
    /// The identity host that issues bank tokens: `https://id.sandbox.cybrid.app`.
    pub id_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// `sandbox` or `production`: shown to the front end.
    pub environment: String,
}

impl std::fmt::Debug for CybridConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CybridConfig")
            .field("bank_url", &self.bank_url)
            .field("id_url", &self.id_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// Everything the server needs to start. Its `Debug` shows no secret (see [`crate::redact`]).
#[derive(Clone)]
pub struct Config {
    /// The built SPA (trunk's `dist/`), with optional `.br` / `.gz` siblings.
    pub dist: PathBuf,
    /// Development (`--watch-dist`, used by `cargo xtask dev`): read `dist/` again whenever a
    /// new build lands in it.
    pub watch_dist: bool,
    pub mode: Mode,
    /// How long a customer session lasts at most (`KYC_SESSION_TTL_SECS`).
    pub session_ttl: Duration,
    /// How long a session lasts without a request (`KYC_SESSION_IDLE_SECS`); each
    /// authenticated request starts it again, never past [`Config::session_ttl`].
    pub session_idle: Duration,
    /// Origins allowed to frame the app (`frame-ancestors`); empty means none.
    pub frame_ancestors: Vec<String>,
    /// Set the `Secure` flag on cookies (the app is served over https).
    pub secure_cookies: bool,
    /// The origin customers open (`KYC_PUBLIC_URL` without its path), for the links this
    /// server draws; `None` goes by each request's `Host`.
    pub public_origin: Option<String>,
    /// HMAC-SHA256 secret shared with the integrator's backend for `/launch` tokens.
    pub launch_secret: Option<Vec<u8>>,
    /// The id a token's `kid` names the current secret by (`KYC_LAUNCH_KEY_ID`).
    pub launch_key_id: Option<String>,
    /// The secret being retired, still accepted during a rotation
    /// (`KYC_LAUNCH_SECRET_PREVIOUS`).
    pub launch_secret_previous: Option<Vec<u8>>,
    /// The id a token's `kid` names the previous secret by (`KYC_LAUNCH_KEY_ID_PREVIOUS`).
    pub launch_key_id_previous: Option<String>,
    /// The `aud` every launch token must carry (`KYC_LAUNCH_AUDIENCE`).
    pub launch_audience: Option<String>,
    /// The `iss` every launch token must carry (`KYC_LAUNCH_ISSUER`).
    pub launch_issuer: Option<String>,
    /// Where the front end loads the Persona SDK from (our own copy by default).
    pub persona_sdk_url: String,
    /// Cybrid mode, development and tests only (`KYC_PERSONA_HOST`): the Persona host the
    /// SDK talks to, a sandbox acting as the upstream Cybrid.
    pub persona_host: Option<String>,
    /// Sandbox: other origins whose app may frame the simulated widget
    /// (`SANDBOX_APP_ORIGINS`).
    pub sandbox_app_origins: Vec<String>,
    /// Persona `environmentId`, when the integrator uses one.
    pub persona_environment_id: Option<String>,
    /// Sandbox only: the client credentials its `/oauth/token` accepts, so that a mode-2
    /// server can use this sandbox as its upstream Cybrid.
    pub sandbox_bank_credentials: Option<(String, String)>,
    /// The integrator's brand, checked at start (contrast below WCAG AA is refused).
    pub branding: Branding,
    /// A language for every customer (`fr-CA`...), before the browser's own.
    pub language: Option<String>,
    /// The origin of the page that embeds or opens the app; it receives the app's events.
    pub host_origin: Option<String>,
    /// Origins whose pages may send customers to `/launch` (`KYC_LAUNCH_ORIGINS`); empty:
    /// any (`KYC_LAUNCH_ORIGINS=*`, which Cybrid mode needs said explicitly). With a list, a link or form on another site is refused: someone could otherwise
    /// put their own token on a page and sign a visitor in as themselves (login CSRF).
    pub launch_origins: Vec<String>,
    /// How long a used launch token still works for a second tap from the same address
    /// (0, the default: never). Only where the server sees each customer's own address: behind
    /// a proxy every customer has the proxy's.
    pub launch_second_tap_secs: i64,
    /// Failed handoff-code attempts allowed per client address per minute (more behind a
    /// proxy that gives every customer one address).
    pub handoff_failures_per_minute: usize,
    /// The bank's choice of `require_tax_id` for every customer's verification (SSN / SIN
    /// collected in Persona's flow); `None` leaves it to Cybrid's default (not collected).
    pub require_tax_id: Option<bool>,
    // --- State store (issue 28) ---
    /// `KYC_REDIS_URL` (`redis://...`, `rediss://...`): keep sessions, handoff codes, spent
    /// launch tokens, quotas, create locks, the bank token and recent upstream reads in this
    /// Redis, shared by every replica; `None` (the default): in this process's memory.
    pub redis_url: Option<String>,
    /// `KYC_REDIS_PREFIX`: the start of every key this deployment writes (default `kyc:`).
    pub redis_prefix: String,
    /// `KYC_UPSTREAM_READ_SHARE_MS`: how long an upstream read's answer is shared with
    /// identical reads (same customer, endpoint and id), across replicas; 0 turns it off.
    /// Default 1000: Cybrid sees about one call a second per customer and endpoint however
    /// fast the app polls.
    pub upstream_read_share: Duration,
    // --- End of the state store's settings ---
    /// How the server runs as a service: drain, limits, logs, metrics, proxies.
    pub service: ServiceSettings,
}

// ---- Service operation settings (read by `settings.rs`) ----------------------------------

/// How the server runs as a service: shutdown, inbound limits, logs, metrics, proxies.
#[derive(Clone, Debug)]
pub struct ServiceSettings {
    /// `KYC_DRAIN_SECS`: on SIGTERM / SIGINT, how long in-flight requests may take to finish.
    pub drain: Duration,
    /// `KYC_HEADER_READ_TIMEOUT_SECS`: how long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// `KYC_REQUEST_TIMEOUT_SECS`: the longest a request may take before a 503.
    pub request_timeout: Duration,
    /// `KYC_MAX_CONCURRENT_REQUESTS`: requests handled at once; more get a 503.
    pub max_concurrent_requests: usize,
    /// `KYC_LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
    /// `KYC_METRICS_ADDR`: where Prometheus scrapes `/metrics`; `None` (default): no metrics.
    pub metrics_addr: Option<SocketAddr>,
    /// `KYC_TRUSTED_PROXIES`: proxies whose `X-Forwarded-For` and `X-Request-Id` are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    #[default]
    Text,
    /// One JSON object per line, for a log pipeline.
    Json,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            drain: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_concurrent_requests: 512,
            log_format: LogFormat::Text,
            metrics_addr: None,
            trusted_proxies: Vec::new(),
        }
    }
}

// ---- End of the service operation settings -----------------------------------------------

impl Config {
    /// Sandbox defaults for a build in `dist`.
    pub fn sandbox(dist: PathBuf) -> Config {
        Config {
            dist,
            watch_dist: false,
            mode: Mode::Sandbox(Timings::default()),
            session_ttl: Duration::from_secs(60 * 60),
            session_idle: Duration::from_secs(DEFAULT_SESSION_IDLE_SECS),
            frame_ancestors: Vec::new(),
            secure_cookies: false,
            public_origin: None,
            launch_secret: None,
            launch_key_id: None,
            launch_secret_previous: None,
            launch_key_id_previous: None,
            launch_audience: None,
            launch_issuer: None,
            persona_sdk_url: "/persona.js".to_owned(),
            persona_environment_id: None,
            persona_host: None,
            sandbox_app_origins: Vec::new(),
            sandbox_bank_credentials: None,
            branding: Branding::default(),
            language: None,
            host_origin: None,
            handoff_failures_per_minute: crate::handoff::ATTEMPTS_PER_MINUTE,
            launch_second_tap_secs: 0,
            launch_origins: Vec::new(),
            require_tax_id: None,
            redis_url: None,
            redis_prefix: DEFAULT_REDIS_PREFIX.to_owned(),
            upstream_read_share: Duration::from_millis(1_000),
            service: ServiceSettings::default(),
        }
    }

    /// Reads flags and environment variables (looked up through `env`, so that tests need
    /// not touch the process's), as [`Settings`] lists them; a flag wins over its variable.
    /// The error is the message to show: `--help`'s text, or what is wrong.
    pub fn from_args_and_env(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<(SocketAddr, Config), String> {
        Config::parse(args, env).map_err(|e| match e.kind() {
            ErrorKind::UnknownArgument => {
                let arg = e.get(ContextKind::InvalidArg).map(|a| a.to_string());
                format!(
                    "unknown argument `{}`\n{}",
                    arg.unwrap_or_default(),
                    Settings::command().render_usage()
                )
            }
            // The start-up checks' own messages (clap's carry the argument), as they are.
            _ if e.context().next().is_none() => e
                .to_string()
                .trim_start_matches("error: ")
                .trim_end()
                .to_owned(),
            _ => e.render().to_string().trim_end().to_owned(),
        })
    }

    /// As [`Config::from_args_and_env`], with clap's error: `main` lets clap print it and
    /// exit (help on stdout with success, a mistake on stderr).
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<(SocketAddr, Config), clap::Error> {
        let command = Settings::command();
        // Each variable set becomes its flag, before the command line's: the later wins.
        let from_env: Vec<String> = command
            .get_arguments()
            .filter_map(|arg| {
                let value = env(arg.get_env()?.to_str()?)?;
                Some(format!("--{}={value}", arg.get_long()?))
            })
            .collect();
        let mut parser = command
            .clone()
            .args_override_self(true)
            .mut_args(|arg| arg.env(None));
        let argv = std::iter::once("kyc-server".to_owned())
            .chain(from_env)
            .chain(args);
        let matches = match parser.try_get_matches_from_mut(argv) {
            Ok(matches) => matches,
            // Help from the command as it is, with each setting's variable.
            Err(e) if e.kind() == ErrorKind::DisplayHelp => {
                return Err(Settings::command()
                    .try_get_matches_from(["kyc-server", "--help"])
                    .err()
                    .unwrap_or(e));
            }
            Err(e) => return Err(e),
        };
        let settings = Settings::from_arg_matches(&matches).map_err(|e| e.with_cmd(&parser))?;
        settings
            .into_config()
            .map_err(|message| clap::Error::raw(ErrorKind::ValueValidation, format!("{message}\n")))
    }
}

/// `kyc-server --help`: every setting, its flag, its variable, its default and its doc.
pub fn help() -> String {
    Settings::command().render_long_help().to_string()
}

/// The Cybrid environment, `sandbox` or `production`: `CYBRID_ENVIRONMENT` (any case) when
/// set, else what the bank host says (`bank.production.cybrid.app`). A setting that
/// contradicts the host is refused, and a host that says neither counts as production unless
/// set otherwise: production must never be taken for the sandbox, where customers may ask
/// for made-up outcomes (`expected_behaviours`).
pub(crate) fn cybrid_environment(bank_url: &str, setting: Option<&str>) -> Result<String, String> {
    let host = bank_url
        .split_once("://")
        .map_or(bank_url, |(_, rest)| rest)
        .split(['/', ':', '?'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let from_host = if labels.contains(&"production") {
        Some("production")
    } else if labels.contains(&"sandbox") {
        Some("sandbox")
    } else {
        None
    };
    let setting = setting.map(|s| s.trim().to_ascii_lowercase());
    match (setting.as_deref(), from_host) {
        (Some(s), _) if s != "sandbox" && s != "production" => Err(format!(
            "CYBRID_ENVIRONMENT must be sandbox or production, got `{s}`"
        )),
        (Some(s), Some(h)) if s != h => Err(format!(
            "CYBRID_ENVIRONMENT is {s} but CYBRID_BANK_URL is a {h} host: set them to agree"
        )),
        (Some(s), _) => Ok(s.to_owned()),
        (None, Some(h)) => Ok(h.to_owned()),
        (None, None) => Ok("production".to_owned()),
    }
}

/// The start of every Redis key unless `KYC_REDIS_PREFIX` says otherwise.
pub const DEFAULT_REDIS_PREFIX: &str = "kyc:";

/// How long a session lasts without a request unless `KYC_SESSION_IDLE_SECS` says otherwise.
pub const DEFAULT_SESSION_IDLE_SECS: u64 = 15 * 60;

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::redact::{redacted, redis_url};
        let secret = |s: &Option<Vec<u8>>| s.as_ref().map(|_| redacted());
        f.debug_struct("Config")
            .field("dist", &self.dist)
            .field("watch_dist", &self.watch_dist)
            .field("mode", &self.mode)
            .field("session_ttl", &self.session_ttl)
            .field("session_idle", &self.session_idle)
            .field("frame_ancestors", &self.frame_ancestors)
            .field("secure_cookies", &self.secure_cookies)
            .field("public_origin", &self.public_origin)
            .field("launch_secret", &secret(&self.launch_secret))
            .field("launch_key_id", &self.launch_key_id)
            .field(
                "launch_secret_previous",
                &secret(&self.launch_secret_previous),
            )
            .field("launch_key_id_previous", &self.launch_key_id_previous)
            .field("launch_audience", &self.launch_audience)
            .field("launch_issuer", &self.launch_issuer)
            .field("persona_sdk_url", &self.persona_sdk_url)
            .field("persona_host", &self.persona_host)
            .field("sandbox_app_origins", &self.sandbox_app_origins)
            .field("persona_environment_id", &self.persona_environment_id)
            .field(
                "sandbox_bank_credentials",
                &self.sandbox_bank_credentials.as_ref().map(|_| redacted()),
            )
            .field("branding", &self.branding)
            .field("language", &self.language)
            .field("host_origin", &self.host_origin)
            .field("launch_origins", &self.launch_origins)
            .field("launch_second_tap_secs", &self.launch_second_tap_secs)
            .field(
                "handoff_failures_per_minute",
                &self.handoff_failures_per_minute,
            )
            .field("require_tax_id", &self.require_tax_id)
            .field("redis_url", &self.redis_url.as_deref().map(redis_url))
            .field("redis_prefix", &self.redis_prefix)
            .field("upstream_read_share", &self.upstream_read_share)
            .field("service", &self.service)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<(SocketAddr, Config), String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_args_and_env(args.iter().map(|a| a.to_string()), move |key| {
            env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn launch_origins_are_origins() {
        let (_, config) = parse(
            &[],
            &[(
                "KYC_LAUNCH_ORIGINS",
                "https://App.example.com/, https://www.example.com http://localhost:3000",
            )],
        )
        .unwrap();
        assert_eq!(
            config.launch_origins,
            [
                "https://app.example.com",
                "https://www.example.com",
                "http://localhost:3000"
            ]
        );
        for bad in [
            "app.example.com",
            "http://app.example.com",
            "https://a.example/path",
        ] {
            let err = parse(&[], &[("KYC_LAUNCH_ORIGINS", bad)]).unwrap_err();
            assert!(err.contains("KYC_LAUNCH_ORIGINS"), "{bad}: {err}");
        }
        assert!(parse(&[], &[]).unwrap().1.launch_origins.is_empty());
    }

    #[test]
    fn the_cybrid_environment_follows_the_bank_host_and_never_contradicts_it() {
        let sandbox = "https://bank.sandbox.cybrid.app";
        let production = "https://bank.production.cybrid.app/";
        assert_eq!(cybrid_environment(sandbox, None).unwrap(), "sandbox");
        assert_eq!(cybrid_environment(production, None).unwrap(), "production");
        assert_eq!(
            cybrid_environment(production, Some(" Production ")).unwrap(),
            "production"
        );
        assert!(cybrid_environment(production, Some("sandbox")).is_err());
        assert!(cybrid_environment(sandbox, Some("production")).is_err());
        assert!(cybrid_environment(sandbox, Some("prod")).is_err());
        // A host that says neither (a proxy, a test double): production unless set.
        let proxy = "http://127.0.0.1:9000";
        assert_eq!(cybrid_environment(proxy, None).unwrap(), "production");
        assert_eq!(
            cybrid_environment(proxy, Some("sandbox")).unwrap(),
            "sandbox"
        );
        // Only whole labels of the host count, not the path or look-alikes.
        assert_eq!(
            cybrid_environment("https://sandboxed.example/production", None).unwrap(),
            "production"
        );
        assert_eq!(
            cybrid_environment("https://api.example/sandbox", None).unwrap(),
            "production"
        );
    }

    #[test]
    fn the_bank_chooses_whether_a_tax_id_is_required() {
        assert_eq!(parse(&[], &[]).unwrap().1.require_tax_id, None);
        for (value, expected) in [("true", Some(true)), ("false", Some(false))] {
            let (_, config) = parse(&[], &[("KYC_REQUIRE_TAX_ID", value)]).unwrap();
            assert_eq!(config.require_tax_id, expected, "{value}");
        }
        let wrong = parse(&[], &[("KYC_REQUIRE_TAX_ID", "yes")]).unwrap_err();
        assert!(wrong.contains("KYC_REQUIRE_TAX_ID"), "{wrong}");
    }

    #[test]
    fn the_state_store_is_memory_unless_a_redis_url_is_set() {
        let (_, config) = parse(&[], &[]).unwrap();
        assert_eq!(config.redis_url, None);
        assert_eq!(config.redis_prefix, "kyc:");
        assert_eq!(config.upstream_read_share, Duration::from_secs(1));
        let (_, config) = parse(
            &[],
            &[
                ("KYC_REDIS_URL", "redis://redis.internal:6379/2"),
                ("KYC_REDIS_PREFIX", "kyc-prod:"),
                ("KYC_UPSTREAM_READ_SHARE_MS", "0"),
            ],
        )
        .unwrap();
        assert_eq!(
            config.redis_url.as_deref(),
            Some("redis://redis.internal:6379/2")
        );
        assert_eq!(config.redis_prefix, "kyc-prod:");
        assert!(config.upstream_read_share.is_zero());
        let wrong = parse(&[], &[("KYC_REDIS_URL", "redis.internal:6379")]).unwrap_err();
        assert!(wrong.contains("KYC_REDIS_URL"), "{wrong}");
        assert!(parse(&[], &[("KYC_REDIS_PREFIX", "has space")]).is_err());
    }

    #[test]
    fn defaults_to_the_sandbox_on_loopback() {
        let (addr, config) = parse(&[], &[]).unwrap();
        assert_eq!(addr.to_string(), "127.0.0.1:8080");
        assert!(matches!(config.mode, Mode::Sandbox(_)));
        assert!(!config.secure_cookies);
    }

    #[test]
    fn the_public_origin_is_the_public_url_without_its_path() {
        for (url, origin) in [
            ("https://kyc.example.com", "https://kyc.example.com"),
            ("https://kyc.example.com/", "https://kyc.example.com"),
            (
                "https://kyc.example.com:8443/app?x#y",
                "https://kyc.example.com:8443",
            ),
            ("http://localhost:8080/", "http://localhost:8080"),
        ] {
            let (_, config) = parse(&[], &[("KYC_PUBLIC_URL", url)]).unwrap();
            assert_eq!(config.public_origin.as_deref(), Some(origin), "{url}");
        }
        let (_, config) = parse(&[], &[]).unwrap();
        assert_eq!(config.public_origin, None);
    }

    #[test]
    fn cybrid_mode_needs_both_credentials_and_a_launch_secret() {
        let secret = ("KYC_LAUNCH_SECRET", "0123456789abcdef0123456789abcdef");
        let public = ("KYC_PUBLIC_URL", "https://kyc.example.com");
        let (_, config) = parse(
            &[],
            &[
                ("CYBRID_CLIENT_ID", "id"),
                ("CYBRID_CLIENT_SECRET", "s3cr3t"),
                secret,
                public,
                ("KYC_LAUNCH_ORIGINS", "*"),
            ],
        )
        .unwrap();
        assert!(config.secure_cookies);
        let cybrid_at = |url: &str| {
            parse(
                &[],
                &[
                    ("CYBRID_CLIENT_ID", "id"),
                    ("CYBRID_CLIENT_SECRET", "s3cr3t"),
                    secret,
                    ("KYC_PUBLIC_URL", url),
                    ("KYC_LAUNCH_ORIGINS", "*"),
                ],
            )
        };
        let plain = cybrid_at("http://kyc.example.com").unwrap_err();
        assert!(plain.contains("KYC_PUBLIC_URL"), "{plain}");
        assert!(cybrid_at("http://localhost.example.com").is_err());
        assert!(cybrid_at("").is_err(), "unset");
        let local = cybrid_at("http://localhost:8080").unwrap().1;
        assert!(!local.secure_cookies, "trying it out over plain http");
        assert!(cybrid_at("http://127.0.0.1").is_ok());
        let Mode::Cybrid(c) = &config.mode else {
            panic!("cybrid mode")
        };
        assert_eq!(c.bank_url, "https://bank.sandbox.cybrid.app");
        assert!(!format!("{c:?}").contains("s3cr3t"));
        assert!(parse(&[], &[("CYBRID_CLIENT_ID", "id")]).is_err());
        assert!(parse(
            &[],
            &[("CYBRID_CLIENT_ID", "id"), ("CYBRID_CLIENT_SECRET", "s")]
        )
        .is_err());
        assert!(parse(&[], &[("KYC_LAUNCH_SECRET", "short")]).is_err());
    }

    #[test]
    fn branding_below_aa_is_refused_at_start() {
        let err = parse(&[], &[("KYC_BRAND_PRIMARY", "#7fb2ff")]).unwrap_err();
        assert!(err.contains("branding") && err.contains("4.5:1"), "{err}");
        let (_, c) = parse(
            &[],
            &[
                ("KYC_BRAND_NAME", "Acme"),
                ("KYC_BRAND_PRIMARY", "#0b5d3b"),
                ("KYC_TIP_GROUPS", "id-photo, selfie"),
                ("KYC_LANGUAGE", "fr-CA"),
                ("KYC_HOST_ORIGIN", "https://app.acme.example"),
            ],
        )
        .unwrap();
        assert_eq!(c.branding.name.as_deref(), Some("Acme"));
        assert_eq!(c.branding.tip_groups.as_ref().unwrap().len(), 2);
        assert!(parse(&[], &[("KYC_LANGUAGE", "klingon")]).is_err());
        assert!(parse(&[], &[("KYC_HOST_ORIGIN", "https://app.example/path")]).is_err());
        assert!(parse(&[], &[("KYC_HOST_ORIGIN", "*")]).is_err());
        assert!(parse(&[], &[("KYC_BRAND_RADIUS_PX", "99")]).is_err());
    }

    #[test]
    fn service_settings_have_defaults_and_are_checked() {
        let s = parse(&[], &[]).unwrap().1.service;
        assert_eq!(s.drain, Duration::from_secs(10));
        assert_eq!(s.log_format, LogFormat::Text);
        assert!(s.metrics_addr.is_none() && s.trusted_proxies.is_empty());
        let (_, c) = parse(
            &[],
            &[
                ("KYC_DRAIN_SECS", "3"),
                ("KYC_LOG_FORMAT", "json"),
                ("KYC_METRICS_ADDR", "127.0.0.1:9090"),
                ("KYC_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7 fd00::/8"),
                ("KYC_MAX_CONCURRENT_REQUESTS", "64"),
            ],
        )
        .unwrap();
        assert_eq!(c.service.drain, Duration::from_secs(3));
        assert_eq!(c.service.log_format, LogFormat::Json);
        assert_eq!(c.service.metrics_addr.unwrap().port(), 9090);
        assert_eq!(c.service.trusted_proxies.len(), 3);
        assert_eq!(c.service.max_concurrent_requests, 64);
        for (name, bad) in [
            ("KYC_DRAIN_SECS", "forever"),
            ("KYC_REQUEST_TIMEOUT_SECS", "0"),
            ("KYC_LOG_FORMAT", "xml"),
            ("KYC_METRICS_ADDR", "9090"),
            ("KYC_TRUSTED_PROXIES", "10.0.0.0/33"),
            ("KYC_MAX_CONCURRENT_REQUESTS", "0"),
        ] {
            let err = parse(&[], &[(name, bad)]).unwrap_err();
            assert!(err.contains(name), "{name}={bad}: {err}");
        }
        assert!(parse(&["--help"], &[])
            .unwrap_err()
            .contains("KYC_TRUSTED_PROXIES"));
    }

    #[test]
    fn bad_values_get_clear_messages() {
        assert!(parse(&["--addr", "nowhere"], &[])
            .unwrap_err()
            .contains("--addr"));
        assert!(parse(&["--inquiry-delay-ms", "soon"], &[])
            .unwrap_err()
            .contains("whole number"));
        assert!(parse(&["--bogus"], &[])
            .unwrap_err()
            .contains("unknown argument"));
        assert!(parse(&[], &[("KYC_FRAME_ANCESTORS", "http://evil.example")]).is_err());
        let (_, c) = parse(
            &[],
            &[(
                "KYC_FRAME_ANCESTORS",
                "https://bank.example https://app.example",
            )],
        )
        .unwrap();
        assert_eq!(c.frame_ancestors.len(), 2);
    }

    #[test]
    fn a_flag_wins_over_its_variable_and_help_names_them_both() {
        let ttl = ("KYC_SESSION_TTL_SECS", "600");
        let (_, config) = parse(&[], &[ttl]).unwrap();
        assert_eq!(config.session_ttl, Duration::from_secs(600));
        let (_, config) = parse(&["--session-ttl-secs", "120"], &[ttl]).unwrap();
        assert_eq!(config.session_ttl, Duration::from_secs(120));
        let (_, config) = parse(&["--session-ttl-secs=5"], &[]).unwrap();
        assert_eq!(
            config.session_ttl,
            Duration::from_secs(60),
            "at least a minute"
        );
        let help = parse(&["--help"], &[]).unwrap_err();
        assert!(help.contains("--public-url <URL>"), "{help}");
        assert!(help.contains("[env: KYC_PUBLIC_URL"), "{help}");
    }

    #[test]
    fn a_public_url_must_be_an_address() {
        let err = parse(&[], &[("KYC_PUBLIC_URL", "kyc.example.com")]).unwrap_err();
        assert!(err.contains("KYC_PUBLIC_URL"), "{err}");
    }

    #[test]
    fn a_short_launch_secret_is_refused_without_showing_it() {
        let err = parse(&[], &[("KYC_LAUNCH_SECRET", "hunter2")]).unwrap_err();
        assert_eq!(err, "KYC_LAUNCH_SECRET must be at least 32 bytes");
    }
}

/// How long the emulated steps take, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timings {
    /// From `storing` to `waiting` with an inquiry.
    pub inquiry_delay_ms: u64,
    /// From the widget's submit to the decision.
    pub decision_delay_ms: u64,
    /// Time spent in `reviewing`.
    pub review_delay_ms: u64,
    /// From the decision to the customer record changing.
    pub customer_delay_ms: u64,
    /// An unfinished inquiry expires this long after its creation.
    pub expire_after_ms: u64,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            inquiry_delay_ms: 1_000,
            decision_delay_ms: 1_500,
            review_delay_ms: 4_000,
            customer_delay_ms: 300,
            expire_after_ms: 24 * 3_600_000,
        }
    }
}
