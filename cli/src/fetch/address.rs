//! Which IP addresses `--fetch-remote` may connect to: only globally routable ones, so that a
//! spec cannot make the generator read the CI machine's cloud metadata, internal services or
//! localhost ports into a pull request (server-side request forgery).
//!
//! The tables follow IANA's special-purpose address registries (std's `is_global` is
//! unstable). They err on the side of refusing: a whole range is refused even where a few
//! of its addresses are routable (`192.0.0.9`, AS112's `2001:4:112::/48`), and IPv6 outside
//! `2000::/3`, the only block IANA hands out for global unicast, is refused as reserved.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IPv4 ranges that are not globally routable, and what their addresses are called. The first
/// match names an address, so a narrow range comes before the wide one holding it.
const V4: &[(Ipv4Addr, u8, &str)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8, "an unspecified (\"this network\")"),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "a private"),
    (Ipv4Addr::new(100, 64, 0, 0), 10, "a shared (carrier-grade NAT)"),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "a loopback"),
    (Ipv4Addr::new(169, 254, 0, 0), 16, "a link-local"),
    (Ipv4Addr::new(172, 16, 0, 0), 12, "a private"),
    (Ipv4Addr::new(192, 0, 0, 0), 24, "an IETF protocol assignment"),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "a documentation"),
    (Ipv4Addr::new(192, 168, 0, 0), 16, "a private"),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "a benchmarking"),
    (Ipv4Addr::new(198, 51, 100, 0), 24, "a documentation"),
    (Ipv4Addr::new(203, 0, 113, 0), 24, "a documentation"),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "a multicast"),
    (Ipv4Addr::new(255, 255, 255, 255), 32, "the broadcast"),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "a reserved"),
];

/// IPv6 ranges that are not globally routable, as [`V4`]. Ranges that embed an IPv4 address
/// are not here: [`embedded_v4`] judges those.
const V6: &[(Ipv6Addr, u8, &str)] = &[
    (Ipv6Addr::UNSPECIFIED, 128, "the unspecified"),
    (Ipv6Addr::LOCALHOST, 128, "the loopback"),
    (Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0), 48, "a local-use NAT64"),
    (Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0), 64, "a discard-only"),
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23, "an IETF protocol assignment"),
    (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, "a documentation"),
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20, "a documentation"),
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7, "a unique-local"),
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10, "a link-local"),
    (Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0), 10, "a site-local"),
    (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8, "a multicast"),
];

/// What makes `ip` not globally routable, e.g. "a private address (10.0.0.0/8)", or `None`
/// for an address `--fetch-remote` may connect to.
pub fn non_global(ip: IpAddr) -> Option<String> {
    match ip {
        IpAddr::V4(ip) => non_global_v4(ip),
        IpAddr::V6(ip) => non_global_v6(ip),
    }
}

fn non_global_v4(ip: Ipv4Addr) -> Option<String> {
    let inside = |net: &Ipv4Addr, len: u8| u32::from(ip) >> (32 - len) == u32::from(*net) >> (32 - len);
    V4.iter().find(|(net, len, _)| inside(net, *len)).map(|(net, len, what)| format!("{what} address ({net}/{len})"))
}

fn non_global_v6(ip: Ipv6Addr) -> Option<String> {
    if let Some((v4, how)) = embedded_v4(ip) {
        return non_global_v4(v4).map(|range| format!("{how} {v4}, {range}"));
    }
    let bits = u128::from(ip);
    let inside = |net: &Ipv6Addr, len: u8| bits >> (128 - len) == u128::from(*net) >> (128 - len);
    if let Some((net, len, what)) = V6.iter().find(|(net, len, _)| inside(net, *len)) {
        return Some(format!("{what} address ({net}/{len})"));
    }
    (bits >> 125 != 0b001).then(|| "a reserved address (outside 2000::/3, the global unicast block)".to_owned())
}

/// The IPv4 address an IPv6 address stands for, and how it embeds it: a connection to it
/// reaches that IPv4 address (mapped, on a dual-stack socket; NAT64 and 6to4, through a
/// gateway), so it is judged as that address.
///
/// | range           | the IPv4 address is | name            |
/// |-----------------|---------------------|-----------------|
/// | `::ffff:0:0/96` | the last 32 bits    | IPv4-mapped     |
/// | `::/96`         | the last 32 bits    | IPv4-compatible |
/// | `64:ff9b::/96`  | the last 32 bits    | NAT64           |
/// | `2002::/16`     | bits 16 to 47       | 6to4            |
///
/// `::` and `::1`, though inside `::/96`, are themselves: unspecified and loopback.
fn embedded_v4(ip: Ipv6Addr) -> Option<(Ipv4Addr, &'static str)> {
    let bits = u128::from(ip);
    let last = Ipv4Addr::from(bits as u32);
    match bits >> 32 {
        _ if bits <= 1 => None,
        0 => Some((last, "an IPv4-compatible address of")),
        0xffff => Some((last, "an IPv4-mapped address of")),
        0x0064_ff9b_0000_0000_0000_0000 => Some((last, "a NAT64 address of")),
        _ if bits >> 112 == 0x2002 => Some((Ipv4Addr::from((bits >> 80) as u32), "a 6to4 address of")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ip` is refused, and the reason contains `why`.
    fn refused(ip: &str, why: &str) {
        let reason = non_global(ip.parse().unwrap()).unwrap_or_else(|| panic!("{ip} is allowed"));
        assert!(reason.contains(why), "{ip}: {reason}");
    }

    fn allowed(ip: &str) {
        assert_eq!(non_global(ip.parse().unwrap()), None, "{ip}");
    }

    #[test]
    fn ipv4_ranges_are_refused_from_their_first_to_their_last_address() {
        // (last address before, first, last, first after, what): the neighbours are public.
        let ranges = [
            ("0.0.0.0", "0.255.255.255", "1.0.0.0", "unspecified"),
            ("10.0.0.0", "10.255.255.255", "11.0.0.0", "a private address (10.0.0.0/8)"),
            ("100.64.0.0", "100.127.255.255", "100.128.0.0", "carrier-grade NAT"),
            ("127.0.0.0", "127.255.255.255", "128.0.0.0", "a loopback address (127.0.0.0/8)"),
            ("169.254.0.0", "169.254.255.255", "169.255.0.0", "a link-local address (169.254.0.0/16)"),
            ("172.16.0.0", "172.31.255.255", "172.32.0.0", "a private address (172.16.0.0/12)"),
            ("192.0.0.0", "192.0.0.255", "192.0.1.0", "IETF protocol assignment"),
            ("192.0.2.0", "192.0.2.255", "192.0.3.0", "documentation"),
            ("192.168.0.0", "192.168.255.255", "192.169.0.0", "a private address (192.168.0.0/16)"),
            ("198.18.0.0", "198.19.255.255", "198.20.0.0", "benchmarking"),
            ("198.51.100.0", "198.51.100.255", "198.51.101.0", "documentation"),
            ("203.0.113.0", "203.0.113.255", "203.0.114.0", "documentation"),
        ];
        for (first, last, after, what) in ranges {
            let before = Ipv4Addr::from(u32::from(first.parse::<Ipv4Addr>().unwrap()).wrapping_sub(1));
            if first != "0.0.0.0" {
                allowed(&before.to_string());
            }
            refused(first, what);
            refused(last, what);
            allowed(after);
        }
        allowed("223.255.255.255");
        refused("224.0.0.0", "multicast");
        refused("239.255.255.255", "multicast");
        refused("240.0.0.0", "reserved");
        refused("255.255.255.254", "reserved");
        refused("255.255.255.255", "the broadcast address");
        allowed("8.8.8.8");
        allowed("1.1.1.1");
    }

    #[test]
    fn ipv6_ranges_are_refused_and_their_neighbours_allowed() {
        refused("::", "the unspecified address (::/128)");
        refused("::1", "the loopback address (::1/128)");
        refused("fc00::", "unique-local");
        refused("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique-local");
        refused("fe80::1", "link-local");
        refused("febf:ffff::", "link-local");
        refused("fec0::1", "site-local");
        refused("ff02::1", "multicast");
        refused("2001:db8::", "documentation");
        refused("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "documentation");
        allowed("2001:db9::");
        allowed("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff");
        refused("2001::1", "IETF protocol assignment");
        refused("2001:1ff:ffff::", "IETF protocol assignment");
        allowed("2001:200::");
        refused("3fff::1", "documentation");
        allowed("3ffe:ffff::1");
        refused("100::1", "discard-only");
        refused("64:ff9b:1::1", "local-use NAT64");
        refused("4000::1", "reserved");
        refused("1fff:ffff::1", "reserved");
        allowed("2000::1");
        allowed("3fef:ffff::1");
        allowed("2606:4700:4700::1111");
    }

    #[test]
    fn ipv6_addresses_holding_an_ipv4_address_are_judged_by_it() {
        refused("::ffff:127.0.0.1", "an IPv4-mapped address of 127.0.0.1, a loopback address");
        refused("::ffff:10.0.0.5", "IPv4-mapped address of 10.0.0.5, a private address");
        refused("::ffff:169.254.169.254", "link-local");
        allowed("::ffff:8.8.8.8");
        refused("::127.0.0.1", "an IPv4-compatible address of 127.0.0.1, a loopback");
        refused("::2", "IPv4-compatible address of 0.0.0.2, an unspecified");
        allowed("::8.8.8.8");
        refused("64:ff9b::a00:5", "a NAT64 address of 10.0.0.5, a private address");
        allowed("64:ff9b::808:808");
        refused("2002:7f00:1::", "a 6to4 address of 127.0.0.1, a loopback");
        allowed("2002:808:808::");
        // Next to the mapped range: neither mapped nor compatible, and reserved.
        refused("::1:ffff:7f00:1", "reserved");
    }
}
