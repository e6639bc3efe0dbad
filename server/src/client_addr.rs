//! The client's address: the peer's, or behind a trusted proxy the right-most untrusted hop
//! of `X-Forwarded-For`. A layer works it out once per request; handlers take [`ClientAddr`].

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

/// The address a request came from, for rate limits and logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Whether the request's peer (the TCP connection's other end) is a trusted proxy, whose
/// forwarding headers (`X-Forwarded-For`, `X-Request-Id`) are believed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerTrusted(pub bool);

/// The proxies in front of this server (`KYC_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        TrustedProxies(Arc::new(networks))
    }

    /// Whether `ip` is one of the trusted proxies (IPv4-mapped IPv6 counts as IPv4).
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`: `peer` itself unless it is trusted; then, walking
    /// `X-Forwarded-For` from the right, the first hop that is not a trusted proxy (or the
    /// last one believed, when a hop is unreadable or every hop is trusted).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.into_iter().rev() {
            let Some(ip) = parse_hop(hop) else { break };
            client = ip.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, perhaps with a port (`[::1]:443`, `1.2.3.4:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    hop.parse::<SocketAddr>().ok().map(|s| s.ip())
}

/// Layer: works out the request's [`ClientAddr`] and [`PeerTrusted`] and puts them in its
/// extensions for the handlers, the request id and the logs.
pub async fn resolve_client_addr(
    axum::extract::State(proxies): axum::extract::State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    {
        let client = proxies.client(peer.ip(), request.headers());
        let trusted = proxies.trusts(peer.ip());
        let extensions = request.extensions_mut();
        extensions.insert(ClientAddr(client));
        extensions.insert(PeerTrusted(trusted));
    }
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    /// What [`resolve_client_addr`] found; without that layer (a test calling the router
    /// directly), the peer's address, or the unspecified address when there is no peer.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(client) = parts.extensions.get::<ClientAddr>() {
            return Ok(*client);
        }
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(list.iter().map(|n| n.parse().unwrap()).collect())
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let p = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            p.client(ip("203.0.113.9"), &xff(&["198.51.100.1"])),
            ip("203.0.113.9")
        );
        assert_eq!(
            proxies(&[]).client(ip("10.1.1.1"), &xff(&["1.1.1.1"])),
            ip("10.1.1.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let p = proxies(&["10.0.0.0/8", "192.0.2.7/32"]);
        // The client put a made-up hop first; the proxies appended the real one.
        let headers = xff(&["6.6.6.6, 198.51.100.1", "192.0.2.7"]);
        assert_eq!(p.client(ip("10.0.0.2"), &headers), ip("198.51.100.1"));
        // Every hop trusted: the left-most believed.
        assert_eq!(
            p.client(ip("10.0.0.2"), &xff(&["10.9.9.9"])),
            ip("10.9.9.9")
        );
        // No header: the proxy itself.
        assert_eq!(p.client(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"));
        // An unreadable hop stops the walk at the last believed address.
        assert_eq!(
            p.client(ip("10.0.0.2"), &xff(&["1.1.1.1, garbage"])),
            ip("10.0.0.2")
        );
        // Ports and IPv4-mapped peers.
        assert_eq!(
            p.client(ip("::ffff:10.0.0.2"), &xff(&["198.51.100.1:4711"])),
            ip("198.51.100.1")
        );
        assert_eq!(
            p.client(ip("10.0.0.2"), &xff(&["[2001:db8::1]:443"])),
            ip("2001:db8::1")
        );
    }
}
