//! The client's address, for login throttling: the socket's peer, or, when the peer is a
//! proxy the operator trusts (`rrm serve --trusted-proxy`), the address that proxy saw.
//!
//! Invariant: a forwarded header is believed only from a trusted peer, else anyone could
//! choose the address they are throttled as. From a trusted peer, `X-Forwarded-For` is read
//! from the right, skipping further trusted proxies: the first untrusted address is the
//! client (entries to its left were written by the client and prove nothing).
//!
//! The address is used only as a throttle key (hashed) and is never logged (docs/LOGGING.md).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::Web;

/// Address ranges of proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<Vec<(IpAddr, u8)>>);

impl TrustedProxies {
    /// Parses addresses or CIDR ranges (`10.0.0.2`, `10.0.0.0/8`, `fd00::/8`), naming a bad one.
    pub fn parse<S: AsRef<str>>(ranges: &[S]) -> Result<TrustedProxies, String> {
        let parsed = ranges
            .iter()
            .map(|r| parse_range(r.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustedProxies(Arc::new(parsed)))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|&(net, bits)| in_range(ip, net, bits))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn parse_range(text: &str) -> Result<(IpAddr, u8), String> {
    let bad = || format!("trusted proxy: `{text}` is not an IP address or CIDR range");
    let (addr, bits) = match text.trim().split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| bad())?)),
        None => (text.trim(), None),
    };
    let ip = addr.parse::<IpAddr>().map_err(|_| bad())?.to_canonical();
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    if bits > max {
        return Err(bad());
    }
    Ok((ip, bits))
}

fn in_range(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let prefix = |a: u128, width: u32| match u32::from(bits) {
        0 => 0,
        b => a >> (width - b.min(width)),
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            prefix(u32::from(a).into(), 32) == prefix(u32::from(n).into(), 32)
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => prefix(a.into(), 128) == prefix(n.into(), 128),
        _ => false,
    }
}

/// The client of a request as far as the server can tell; `None` when the server runs
/// without socket information (a router driven directly, as some tests do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

/// The client, from the peer and, behind trusted proxies, `X-Forwarded-For`.
pub fn client_of(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &TrustedProxies,
) -> Option<IpAddr> {
    let mut client = peer?;
    if !trusted.contains(client) {
        return Some(client);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in forwarded.into_iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // A malformed entry cannot be followed further; the last good hop stands.
            break;
        };
        client = ip;
        if !trusted.contains(ip) {
            break;
        }
    }
    Some(client)
}

impl FromRequestParts<Web> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        web: &Web,
    ) -> Result<ClientAddr, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientAddr(client_of(
            peer,
            &parts.headers,
            &web.app.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_match() {
        let t = TrustedProxies::parse(&["10.0.0.0/8", "192.0.2.7", "fd00::/8"]).unwrap();
        for (addr, want) in [
            ("10.200.3.4", true),
            ("11.0.0.1", false),
            ("192.0.2.7", true),
            ("192.0.2.8", false),
            ("fd12::1", true),
            ("fe80::1", false),
            ("::ffff:10.1.1.1", true),
        ] {
            assert_eq!(t.contains(ip(addr)), want, "{addr}");
        }
        assert!(TrustedProxies::parse(&["0.0.0.0/0"])
            .unwrap()
            .contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "proxy.example.org", "10.0.0/8", "::/129"] {
            let e = TrustedProxies::parse(&[bad]).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_peer() {
        let trusted = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.5, 10.0.0.3"),
        );
        assert_eq!(
            client_of(Some(ip("10.0.0.2")), &h, &trusted),
            Some(ip("203.0.113.5"))
        );
        assert_eq!(
            client_of(Some(ip("198.51.100.1")), &h, &trusted),
            Some(ip("198.51.100.1")),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            client_of(Some(ip("10.0.0.2")), &h, &TrustedProxies::default()),
            Some(ip("10.0.0.2")),
            "no proxy trusted: the peer"
        );
        h.insert("x-forwarded-for", HeaderValue::from_static("nonsense"));
        assert_eq!(
            client_of(Some(ip("10.0.0.2")), &h, &trusted),
            Some(ip("10.0.0.2"))
        );
        assert_eq!(client_of(None, &h, &trusted), None);
    }
}
