//! Fault injection for the sandbox: each rule hits one endpoint a bounded number of times, so
//! a well-behaved client can always finish.

use super::scenario::printable;
use crate::endpoint::Endpoint;
use crate::fault_injection::FaultKind;

/// Every kind of fault, as written in rules (with a sample argument where one is needed).
pub const EXAMPLES: [&str; 7] = [
    "latency=800",
    "500",
    "503",
    "429=1",
    "drop",
    "malformed",
    "lost",
];

/// One rule: `endpoint:kind[=arg]:count`, e.g. `create:lost:1` or `list:429=2:3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultRule {
    pub endpoint: Endpoint,
    pub kind: FaultKind,
    /// How many more requests it hits.
    pub remaining: u32,
}

impl FaultRule {
    /// Reads a rule; a clear message for anything else.
    pub fn parse(text: &str) -> Result<FaultRule, String> {
        let bad = || {
            format!(
                "fault `{}` should look like endpoint:kind:count, e.g. create:lost:1",
                printable(text)
            )
        };
        let mut parts = text.split(':');
        let (Some(endpoint), Some(kind), Some(count), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let endpoint = Endpoint::parse(endpoint).ok_or_else(bad)?;
        let (name, arg) = match kind.split_once('=') {
            Some((name, arg)) => (name, Some(arg.parse::<u64>().map_err(|_| bad())?)),
            None => (kind, None),
        };
        let kind = match (name, arg) {
            ("latency", Some(ms)) if ms <= 60_000 => FaultKind::Latency(ms),
            ("500", None) => FaultKind::Status500,
            ("503", None) => FaultKind::Status503,
            ("429", secs) if secs.unwrap_or(1) <= 120 => {
                FaultKind::TooManyRequests(secs.unwrap_or(1))
            }
            ("drop", None) => FaultKind::Drop,
            ("malformed", None) => FaultKind::Malformed,
            ("lost", None) => FaultKind::LostResponse,
            _ => return Err(bad()),
        };
        let remaining = count
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=20).contains(n))
            .ok_or_else(bad)?;
        Ok(FaultRule {
            endpoint,
            kind,
            remaining,
        })
    }
}

/// The most fault rules that may wait for one customer (a scenario's and those added since).
pub const MAX_WAITING: usize = 32;

/// Takes the next fault for `endpoint` from `rules`, if any is left.
pub fn take(rules: &mut [FaultRule], endpoint: Endpoint) -> Option<FaultKind> {
    let rule = rules
        .iter_mut()
        .find(|r| r.endpoint == endpoint && r.remaining > 0)?;
    rule.remaining -= 1;
    Some(rule.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        for (_, endpoint) in Endpoint::ALL {
            for kind in EXAMPLES {
                let rule = FaultRule::parse(&format!("{endpoint}:{kind}:2")).unwrap();
                assert_eq!(rule.endpoint.name(), endpoint);
                assert_eq!(rule.remaining, 2);
            }
        }
        assert_eq!(
            FaultRule::parse("list:429=3:1").unwrap().kind,
            FaultKind::TooManyRequests(3)
        );
    }

    #[test]
    fn faults_are_bounded() {
        for bad in [
            "create:lost",
            "create:lost:0",
            "create:lost:999",
            "x:500:1",
            "list:latency:1",
            "list:latency=999999:1",
            "list:500:1:extra",
        ] {
            assert!(FaultRule::parse(bad).is_err(), "{bad}");
        }
        let mut rules = vec![FaultRule::parse("create:503:2").unwrap()];
        assert_eq!(
            take(&mut rules, Endpoint::Create),
            Some(FaultKind::Status503)
        );
        assert_eq!(take(&mut rules, Endpoint::List), None);
        assert_eq!(
            take(&mut rules, Endpoint::Create),
            Some(FaultKind::Status503)
        );
        assert_eq!(take(&mut rules, Endpoint::Create), None, "spent");
    }
}
