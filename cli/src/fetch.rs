//! `--fetch-remote`: the HTTP client that fetches the documents remote `$ref`s name, for the
//! generator to keep beside the spec (the generator itself has no network code).
//!
//! A spec is untrusted input, and so is every server its URLs name: a fetch gets at most
//! [`TIMEOUT`] and the generator's size limit (counted while reading, whatever the server
//! declares), follows at most [`REDIRECTS`] redirects and only to http or https (never from
//! https down to http), and accepts only a 2xx answer.

use std::io::Read;
use std::time::Duration;

use hookwright::Fetch;
use reqwest::blocking::Client;
use reqwest::redirect::{Attempt, Policy};

/// The longest a fetch may take, from connecting to the last byte.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Redirects followed before a fetch is refused.
pub const REDIRECTS: usize = 5;

/// Fetches over HTTP(S) with reqwest (rustls).
#[derive(Debug, Clone)]
pub struct HttpFetch {
    client: Client,
}

impl HttpFetch {
    pub fn new() -> Result<HttpFetch, String> {
        let client = Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .redirect(Policy::custom(redirect))
            .user_agent(concat!("cargo-hookwright/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot start an HTTP client: {e}"))?;
        Ok(HttpFetch { client })
    }
}

/// Follows a redirect to http or https, not from https down to http, at most [`REDIRECTS`].
fn redirect(attempt: Attempt) -> reqwest::redirect::Action {
    let scheme = attempt.url().scheme();
    let from_https = attempt.previous().iter().any(|url| url.scheme() == "https");
    if attempt.previous().len() > REDIRECTS {
        return attempt.error(format!("more than {REDIRECTS} redirects"));
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

impl Fetch for HttpFetch {
    fn fetch(&self, url: &str, limit: u64) -> Result<Vec<u8>, String> {
        let response = self.client.get(url).send().map_err(|e| describe(&e))?;
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

/// reqwest's error with its causes: the top one alone says only "error sending request".
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
