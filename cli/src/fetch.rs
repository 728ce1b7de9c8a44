//! `--fetch-remote`: the HTTP client that fetches the documents remote `$ref`s name, for the
//! generator to keep beside the spec (the generator itself has no network code).
//!
//! A spec is untrusted input, and so is every server its URLs name: a fetch gets at most
//! [`TIMEOUT`] and the generator's size limit (counted while reading, whatever the server
//! declares), follows at most [`REDIRECTS`] redirects and only to http or https (never from
//! https down to http), and accepts only a 2xx answer.
//!
//! It connects only to public addresses (see its `address` module) unless built with
//! [`HttpFetch::allowing_private`]: otherwise a spec in a pull request could make CI fetch its
//! cloud metadata (`169.254.169.254`), an internal service or a localhost port, and write the
//! answer into the repository. The check is on the addresses connected to, not on the URL's
//! text: host names are resolved by `CheckedResolver`, which hands reqwest only addresses it
//! has checked (so a second, different DNS answer cannot slip through), and IP-literal hosts,
//! which reqwest connects to without resolving, are checked on the first URL and on every
//! redirect.
//!
//! Proxies: a proxy resolves and connects to the target itself, out of reach of the check, so
//! the public-only client ignores `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY` and connects
//! directly. [`HttpFetch::allowing_private`] uses them as reqwest does by default.

mod address;

use std::fmt;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hookwright::Fetch;
use reqwest::blocking::Client;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::{Attempt, Policy};
use reqwest::Url;

/// The longest a fetch may take, from connecting to the last byte.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Redirects followed before a fetch is refused.
pub const REDIRECTS: usize = 5;

/// The fix every refused address names.
const ALLOW_PRIVATE: &str = "remote `$ref`s may only reach public addresses. If this is an internal registry you \
                             trust, pass --fetch-allow-private";

/// Fetches over HTTP(S) with reqwest (rustls).
#[derive(Debug, Clone)]
pub struct HttpFetch {
    client: Client,
    reach: Reach,
}

/// Which addresses a fetch may connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Only globally routable ones: the default.
    Public,
    /// Any: `--fetch-allow-private`.
    Any,
    /// Public ones and this one: lets a test server on loopback redirect elsewhere.
    #[cfg(test)]
    PublicAnd(IpAddr),
}

impl Reach {
    /// What makes `ip` out of reach, if it is.
    fn refuses(self, ip: IpAddr) -> Option<String> {
        match self {
            Reach::Any => None,
            #[cfg(test)]
            Reach::PublicAnd(allowed) if allowed == ip => None,
            _ => address::non_global(ip),
        }
    }

    /// Refuses `url` if its host is an IP address out of reach; `what` introduces the address.
    fn check_literal(self, url: &Url, what: impl FnOnce() -> String) -> Result<(), Refused> {
        match literal(url).and_then(|ip| Some((ip, self.refuses(ip)?))) {
            Some((ip, range)) => Err(Refused::new(what(), ip, &range)),
            None => Ok(()),
        }
    }
}

impl HttpFetch {
    /// A client that connects only to public addresses.
    pub fn new() -> Result<HttpFetch, String> {
        HttpFetch::reaching(Reach::Public)
    }

    /// A client that connects to any address, private, loopback and link-local ones too, and
    /// through the proxies the environment names: for an internal registry you trust, and
    /// for tests against a local server.
    pub fn allowing_private() -> Result<HttpFetch, String> {
        HttpFetch::reaching(Reach::Any)
    }

    fn reaching(reach: Reach) -> Result<HttpFetch, String> {
        let mut builder = Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .redirect(Policy::custom(move |attempt| redirect(attempt, reach)))
            .dns_resolver(Arc::new(CheckedResolver(reach)))
            .user_agent(concat!("cargo-hookwright/", env!("CARGO_PKG_VERSION")));
        if reach != Reach::Any {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| format!("cannot start an HTTP client: {e}"))?;
        Ok(HttpFetch { client, reach })
    }
}

/// Follows a redirect to http or https, not from https down to http, at most [`REDIRECTS`],
/// and not to an IP address out of `reach` (a host name is checked when it is resolved).
fn redirect(attempt: Attempt, reach: Reach) -> reqwest::redirect::Action {
    let scheme = attempt.url().scheme();
    let from_https = attempt.previous().iter().any(|url| url.scheme() == "https");
    if attempt.previous().len() > REDIRECTS {
        return attempt.error(format!("more than {REDIRECTS} redirects"));
    }
    if let Err(refused) =
        reach.check_literal(attempt.url(), || format!("it redirects to {}, which names", attempt.url()))
    {
        return attempt.error(refused);
    }
    match scheme {
        "https" => attempt.follow(),
        "http" if !from_https => attempt.follow(),
        _ => {
            let to =
                format!("a redirect to {} is refused: only http and https, never from https to http", attempt.url());
            attempt.error(to)
        }
    }
}

/// The address a URL's host is by itself, which reqwest connects to without resolving: the
/// `url` crate has already normalised `2130706433`, `0x7f.1` and `127.1` to `127.0.0.1`, and
/// an IPv6 host is written in brackets.
fn literal(url: &Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).parse().ok()
}

/// The system resolver (`getaddrinfo`, off reqwest's runtime thread), refusing a name if any
/// of its addresses is out of reach rather than connecting to the others: a public name has
/// no business answering with a private address, and the error then says so every time
/// instead of depending on which answer came first.
#[derive(Debug, Clone, Copy)]
struct CheckedResolver(Reach);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let (reach, host) = (self.0, name.as_str().to_owned());
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some((ip, range)) = addrs.iter().find_map(|addr| Some((addr.ip(), reach.refuses(addr.ip())?))) {
                return Err(Refused::new(format!("{host} resolves to"), ip, &range).into());
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// An address out of reach, with the fix: reqwest carries it among an error's causes, where
/// [`describe`] finds it to show it alone.
#[derive(Debug)]
struct Refused(String);

impl Refused {
    fn new(what: String, ip: IpAddr, range: &str) -> Refused {
        Refused(format!("{what} {ip}, {range}; {ALLOW_PRIVATE}"))
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl Fetch for HttpFetch {
    fn fetch(&self, url: &str, limit: u64) -> Result<Vec<u8>, String> {
        let parsed = Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
        self.reach.check_literal(&parsed, || "the URL names".to_owned()).map_err(|refused| refused.0)?;
        let response = self.client.get(parsed).send().map_err(|e| describe(&e))?;
        let status = response.status();
        if status.is_redirection() {
            // reqwest hands back a redirect it does not follow: to another scheme.
            let location = response.headers().get(reqwest::header::LOCATION).and_then(|l| l.to_str().ok());
            return Err(format!(
                "the server redirects to {:?}, which is not followed: only http and https",
                location.unwrap_or_default()
            ));
        }
        if !status.is_success() {
            return Err(format!("the server answered {status}"));
        }
        if response.content_length().is_some_and(|length| length > limit) {
            return Err(format!("the document is over the limit of {limit} bytes"));
        }
        let mut bytes = Vec::new();
        response.take(limit + 1).read_to_end(&mut bytes).map_err(|e| format!("reading the body: {e}"))?;
        if bytes.len() as u64 > limit {
            return Err(format!("the document is over the limit of {limit} bytes"));
        }
        Ok(bytes)
    }
}

/// reqwest's error with its causes (the top one alone says only "error sending request"), or
/// only the [`Refused`] among them, which says all there is to say.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return refused.0.clone();
        }
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests;
