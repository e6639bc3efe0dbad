//! Server settings, from command-line flags and environment variables.
//!
//! Mode 1 (sandbox, the default) needs nothing. Mode 2 forwards to Cybrid and is switched on
//! by `CYBRID_CLIENT_ID` + `CYBRID_CLIENT_SECRET` (bank API credentials).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use kyc_onboarding::core::branding::Branding;
use kyc_onboarding::core::text::Lang;

use crate::sandbox::Timings;

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

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// The built SPA (trunk's `dist/`), with optional `.br` / `.gz` siblings.
    pub dist: PathBuf,
    pub mode: Mode,
    /// How long a customer session lasts.
    pub session_ttl: Duration,
    /// Origins allowed to frame the app (`frame-ancestors`); empty means none.
    pub frame_ancestors: Vec<String>,
    /// Set the `Secure` flag on cookies (the app is served over https).
    pub secure_cookies: bool,
    /// The origin customers open (`KYC_PUBLIC_URL` without its path), for the links this
    /// server draws; `None` goes by each request's `Host`.
    pub public_origin: Option<String>,
    /// HMAC-SHA256 secret shared with the integrator's backend for `/launch` tokens.
    pub launch_secret: Option<Vec<u8>>,
    /// Where the front end loads the Persona SDK from (our own copy by default).
    pub persona_sdk_url: String,
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
    /// any. With a list, a link or form on another site is refused: someone could otherwise
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
    /// How the server runs as a service: drain, limits, logs, metrics, proxies.
    pub service: ServiceSettings,
}

// ---- Service operation settings (issue 28.4) -------------------------------------------
// One block, for porting as a whole: the `service` field above, [`ServiceSettings`], its
// parsing in [`ServiceSettings::from_env`] (called from `from_args_and_env`) and its line
// in [`USAGE`].

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

impl ServiceSettings {
    /// Reads the `KYC_DRAIN_SECS`... variables; defaults for those unset.
    pub fn from_env(env: &impl Fn(&str) -> Option<String>) -> Result<ServiceSettings, String> {
        let mut settings = ServiceSettings::default();
        let secs = |name: &str, min: u64, max: u64| -> Result<Option<Duration>, String> {
            env(name)
                .map(|text| {
                    let n = number(text.trim(), name)?;
                    if (min..=max).contains(&n) {
                        Ok(Duration::from_secs(n))
                    } else {
                        Err(format!("{name} must be {min} to {max}, got `{text}`"))
                    }
                })
                .transpose()
        };
        if let Some(d) = secs("KYC_DRAIN_SECS", 0, 600)? {
            settings.drain = d;
        }
        if let Some(d) = secs("KYC_HEADER_READ_TIMEOUT_SECS", 1, 300)? {
            settings.header_read_timeout = d;
        }
        if let Some(d) = secs("KYC_REQUEST_TIMEOUT_SECS", 1, 600)? {
            settings.request_timeout = d;
        }
        if let Some(n) = env("KYC_MAX_CONCURRENT_REQUESTS") {
            let n = number(n.trim(), "KYC_MAX_CONCURRENT_REQUESTS")?;
            if n == 0 {
                return Err("KYC_MAX_CONCURRENT_REQUESTS must be at least 1".to_owned());
            }
            settings.max_concurrent_requests = usize::try_from(n).unwrap_or(usize::MAX);
        }
        if let Some(format) = env("KYC_LOG_FORMAT") {
            settings.log_format = match format.trim() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => {
                    return Err(format!(
                        "KYC_LOG_FORMAT must be text or json, got `{format}`"
                    ))
                }
            };
        }
        if let Some(addr) = env("KYC_METRICS_ADDR") {
            settings.metrics_addr = Some(addr.trim().parse().map_err(|_| {
                format!("KYC_METRICS_ADDR must look like 127.0.0.1:9090, got `{addr}`")
            })?);
        }
        if let Some(list) = env("KYC_TRUSTED_PROXIES") {
            settings.trusted_proxies = list
                .split([',', ' '])
                .filter(|p| !p.is_empty())
                .map(|p| {
                    // A bare address is a network of one.
                    p.parse::<ipnet::IpNet>()
                        .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                        .map_err(|_| {
                            format!(
                                "KYC_TRUSTED_PROXIES must list CIDRs like 10.0.0.0/8, got `{p}`"
                            )
                        })
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(settings)
    }
}

/// The service settings' part of [`USAGE`].
const SERVICE_USAGE: &str = "\
Service: KYC_DRAIN_SECS (10), KYC_HEADER_READ_TIMEOUT_SECS (10), KYC_REQUEST_TIMEOUT_SECS (30),
KYC_MAX_CONCURRENT_REQUESTS (512), KYC_LOG_FORMAT (text or json), KYC_METRICS_ADDR (off; e.g.
127.0.0.1:9090, never the public port), KYC_TRUSTED_PROXIES (CIDRs whose X-Forwarded-For and
X-Request-Id are believed; none by default).";

// ---- End of the service operation settings -----------------------------------------------

impl Config {
    /// Sandbox defaults for a build in `dist`.
    pub fn sandbox(dist: PathBuf) -> Config {
        Config {
            dist,
            mode: Mode::Sandbox(Timings::default()),
            session_ttl: Duration::from_secs(60 * 60),
            frame_ancestors: Vec::new(),
            secure_cookies: false,
            public_origin: None,
            launch_secret: None,
            persona_sdk_url: "/persona.js".to_owned(),
            persona_environment_id: None,
            sandbox_bank_credentials: None,
            branding: Branding::default(),
            language: None,
            host_origin: None,
            handoff_failures_per_minute: crate::handoff::ATTEMPTS_PER_MINUTE,
            launch_second_tap_secs: 0,
            launch_origins: Vec::new(),
            require_tax_id: None,
            service: ServiceSettings::default(),
        }
    }

    /// Reads flags (`--addr`, `--dist`, `--inquiry-delay-ms`...) and environment variables.
    pub fn from_args_and_env(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<(SocketAddr, Config), String> {
        let mut addr: SocketAddr = "127.0.0.1:8080".parse().expect("valid default");
        let mut config = Config::sandbox(PathBuf::from("dist"));
        let mut timings = Timings::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--addr" => {
                    let text = value("--addr")?;
                    addr = text.parse().map_err(|_| {
                        format!("--addr must look like 127.0.0.1:8080, got `{text}`")
                    })?;
                }
                "--dist" => config.dist = PathBuf::from(value("--dist")?),
                "--inquiry-delay-ms" => timings.inquiry_delay_ms = number(&value(&arg)?, &arg)?,
                "--decision-delay-ms" => timings.decision_delay_ms = number(&value(&arg)?, &arg)?,
                "--review-delay-ms" => timings.review_delay_ms = number(&value(&arg)?, &arg)?,
                "-h" | "--help" => return Err(format!("{USAGE}\n{SERVICE_USAGE}")),
                other => {
                    return Err(format!(
                        "unknown argument `{other}`\n{USAGE}\n{SERVICE_USAGE}"
                    ))
                }
            }
        }
        config.service = ServiceSettings::from_env(&env)?;
        if let Some(ttl) = env("KYC_SESSION_TTL_SECS") {
            config.session_ttl = Duration::from_secs(number(&ttl, "KYC_SESSION_TTL_SECS")?.max(60));
        }
        if let Some(n) = env("KYC_HANDOFF_FAILURES_PER_MINUTE") {
            let n = number(&n, "KYC_HANDOFF_FAILURES_PER_MINUTE")?;
            config.handoff_failures_per_minute = usize::try_from(n.max(1)).unwrap_or(usize::MAX);
        }
        if let Some(secs) = env("KYC_LAUNCH_SECOND_TAP_SECS") {
            let secs = number(&secs, "KYC_LAUNCH_SECOND_TAP_SECS")?;
            config.launch_second_tap_secs = i64::try_from(secs.min(60)).unwrap_or(60);
        }
        if let Some(value) = env("KYC_REQUIRE_TAX_ID") {
            config.require_tax_id = match value.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => {
                    return Err(format!(
                        "KYC_REQUIRE_TAX_ID must be `true` or `false`, got `{value}`"
                    ))
                }
            };
        }
        if let Some(list) = env("KYC_FRAME_ANCESTORS") {
            config.frame_ancestors = list.split_whitespace().map(str::to_owned).collect();
            for origin in &config.frame_ancestors {
                if !(origin.starts_with("https://") || origin.starts_with("http://localhost")) {
                    return Err(format!(
                        "KYC_FRAME_ANCESTORS entries must be https origins, got `{origin}`"
                    ));
                }
            }
        }
        config.secure_cookies = env("KYC_PUBLIC_URL").is_some_and(|u| u.starts_with("https://"));
        config.public_origin = env("KYC_PUBLIC_URL").map(|url| origin_of(&url));
        config.launch_secret = env("KYC_LAUNCH_SECRET").map(String::into_bytes);
        if config.launch_secret.as_ref().is_some_and(|s| s.len() < 32) {
            return Err("KYC_LAUNCH_SECRET must be at least 32 bytes".to_owned());
        }
        if let Some(url) = env("PERSONA_SDK_URL") {
            config.persona_sdk_url = url;
        }
        config.persona_environment_id = env("PERSONA_ENVIRONMENT_ID");
        config.branding = Branding {
            name: env("KYC_BRAND_NAME"),
            logo_url: env("KYC_BRAND_LOGO_URL"),
            primary: env("KYC_BRAND_PRIMARY"),
            on_primary: env("KYC_BRAND_ON_PRIMARY"),
            primary_dark: env("KYC_BRAND_PRIMARY_DARK"),
            on_primary_dark: env("KYC_BRAND_ON_PRIMARY_DARK"),
            radius_px: match env("KYC_BRAND_RADIUS_PX") {
                Some(r) => Some(
                    r.parse()
                        .ok()
                        .filter(|r| *r <= 32)
                        .ok_or(format!("KYC_BRAND_RADIUS_PX must be 0 to 32, got `{r}`"))?,
                ),
                None => None,
            },
            font: env("KYC_BRAND_FONT"),
            support_url: env("KYC_SUPPORT_URL"),
            support_text: env("KYC_SUPPORT_TEXT"),
            return_url: env("KYC_RETURN_URL"),
            tip_groups: env("KYC_TIP_GROUPS")
                .map(|list| list.split(',').map(|g| g.trim().to_owned()).collect()),
        };
        config
            .branding
            .validate()
            .map_err(|e| format!("branding: {e}"))?;
        if let Some(language) = env("KYC_LANGUAGE") {
            if Lang::parse(&language).is_none() {
                return Err(format!(
                    "KYC_LANGUAGE must be one of en, fr-CA, es-MX, got `{language}`"
                ));
            }
            config.language = Some(language);
        }
        if let Some(origin) = env("KYC_HOST_ORIGIN") {
            if !is_origin(&origin) {
                return Err(format!(
                    "KYC_HOST_ORIGIN must be an origin like https://app.example.com, got `{origin}`"
                ));
            }
            config.host_origin = Some(origin);
        }
        if let Some(list) = env("KYC_LAUNCH_ORIGINS") {
            config.launch_origins = list
                .split([' ', ','])
                .filter(|o| !o.is_empty())
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
                .collect();
            if let Some(bad) = config.launch_origins.iter().find(|o| !is_origin(o)) {
                return Err(format!(
                    "KYC_LAUNCH_ORIGINS must list origins like https://app.example.com, got `{bad}`"
                ));
            }
        }
        config.sandbox_bank_credentials = match (
            env("SANDBOX_BANK_CLIENT_ID"),
            env("SANDBOX_BANK_CLIENT_SECRET"),
        ) {
            (Some(id), Some(secret)) => Some((id, secret)),
            _ => None,
        };
        config.mode = match (env("CYBRID_CLIENT_ID"), env("CYBRID_CLIENT_SECRET")) {
            (Some(client_id), Some(client_secret)) => {
                let bank_url = env("CYBRID_BANK_URL")
                    .unwrap_or_else(|| "https://bank.sandbox.cybrid.app".to_owned());
                let environment =
                    cybrid_environment(&bank_url, env("CYBRID_ENVIRONMENT").as_deref())?;
                Mode::Cybrid(CybridConfig {
                    bank_url,
                    id_url: env("CYBRID_ID_URL")
                        .unwrap_or_else(|| "https://id.sandbox.cybrid.app".to_owned()),
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
        if let Mode::Cybrid(_) = config.mode {
            if config.launch_secret.is_none() {
                return Err(
                    "Cybrid mode needs KYC_LAUNCH_SECRET: customers arrive through /launch"
                        .to_owned(),
                );
            }
            // Real customers' session cookies travel over https only (`Secure`); plain http
            // is for trying it out on this machine.
            let public = env("KYC_PUBLIC_URL").unwrap_or_default();
            let on_this_machine = ["http://localhost", "http://127.0.0.1"]
                .iter()
                .any(|local| {
                    public
                        .strip_prefix(local)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
                });
            if !public.starts_with("https://") && !on_this_machine {
                return Err(format!(
                    "Cybrid mode needs KYC_PUBLIC_URL, the https address customers open \
                     (http only for localhost), got `{public}`"
                ));
            }
        }
        Ok((addr, config))
    }
}

/// Whether `text` is an https origin (http for localhost), without a path.
fn is_origin(text: &str) -> bool {
    let scheme_end = text.find("://").map(|i| i + 3).unwrap_or(0);
    (text.starts_with("https://")
        || text.starts_with("http://localhost")
        || text.starts_with("http://127.0.0.1"))
        && text.len() > scheme_end
        && !text[scheme_end..].contains(['/', '?', '#'])
}

/// `scheme://host[:port]` of a URL, without path, query or trailing slash.
pub(crate) fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    url[..end].to_owned()
}

/// The Cybrid environment, `sandbox` or `production`: `CYBRID_ENVIRONMENT` (any case) when
/// set, else what the bank host says (`bank.production.cybrid.app`). A setting that
/// contradicts the host is refused, and a host that says neither counts as production unless
/// set otherwise: production must never be taken for the sandbox, where customers may ask
/// for made-up outcomes (`expected_behaviours`).
fn cybrid_environment(bank_url: &str, setting: Option<&str>) -> Result<String, String> {
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

fn number(text: &str, name: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("{name} must be a whole number, got `{text}`"))
}

/// Command-line help.
pub const USAGE: &str = "\
usage: kyc-server [--addr 127.0.0.1:8080] [--dist dist]
                  [--inquiry-delay-ms N] [--decision-delay-ms N] [--review-delay-ms N]

Sandbox mode (default) emulates Cybrid and Persona in memory; open /sandbox to pick a scenario.
Cybrid mode: set CYBRID_CLIENT_ID, CYBRID_CLIENT_SECRET, KYC_LAUNCH_SECRET, KYC_PUBLIC_URL
(https; http only for localhost) (and optionally
CYBRID_BANK_URL, CYBRID_ID_URL, CYBRID_ENVIRONMENT). Other settings: KYC_SESSION_TTL_SECS,
KYC_FRAME_ANCESTORS, KYC_PUBLIC_URL, KYC_HANDOFF_FAILURES_PER_MINUTE, KYC_LAUNCH_SECOND_TAP_SECS,
KYC_LAUNCH_ORIGINS,
KYC_REQUIRE_TAX_ID, PERSONA_SDK_URL, PERSONA_ENVIRONMENT_ID, RUST_LOG;
branding KYC_BRAND_NAME, KYC_BRAND_LOGO_URL, KYC_BRAND_PRIMARY, KYC_BRAND_ON_PRIMARY,
KYC_BRAND_PRIMARY_DARK, KYC_BRAND_ON_PRIMARY_DARK, KYC_BRAND_RADIUS_PX, KYC_BRAND_FONT,
KYC_SUPPORT_URL, KYC_SUPPORT_TEXT, KYC_RETURN_URL, KYC_TIP_GROUPS; KYC_LANGUAGE, KYC_HOST_ORIGIN; and in
the sandbox SANDBOX_BANK_CLIENT_ID / SANDBOX_BANK_CLIENT_SECRET (to act as an upstream Cybrid).";

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
}
