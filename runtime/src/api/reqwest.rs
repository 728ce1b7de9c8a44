//! Sending a generated client's requests with reqwest (rustls), and walking paginated lists.
//!
//! [`HttpClient`] is the transport generated clients use by default: it adds the credentials
//! and turns reqwest's types into `http`'s, so the generated code stays transport-agnostic.
//! [`pages`] turns a `pageToken`/`nextPageToken` style operation into a `Stream` of pages.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;

use super::client::{add_credentials, ClientError, Credentials, Scheme};
use futures_util::stream;
pub use futures_util::{Stream, StreamExt, TryStreamExt};

/// An HTTP client bound to one API's base URL and credentials (one or several, e.g. an app id
/// and an API key that an operation requires together). Cheap to clone (reqwest's
/// client shares its connection pool between clones).
#[derive(Clone)]
pub struct HttpClient {
    base_url: String,
    credentials: Vec<Credentials>,
    client: ::reqwest::Client,
}

/// Shows the base URL and the credentials' schemes, never the credentials.
impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials.iter().map(Credentials::name).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// A client for the API at `base_url` (`https://provisioning.api.sinch.com`), with
    /// reqwest's default client: rustls with the webpki root certificates, so it behaves the same
    /// on every machine.
    pub fn new(base_url: impl Into<String>) -> Self {
        HttpClient { base_url: base_url.into(), credentials: Vec::new(), client: ::reqwest::Client::new() }
    }

    /// Adds `credentials` to those the client holds (call it once for each): each request sends
    /// those of the first of its operation's requirement sets the client holds in full (an
    /// empty set is passed over); when it holds none in full, its Basic or Bearer credentials
    /// still go in `Authorization`, and an API key is never sent (see
    /// [`add_credentials`]).
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials.push(credentials);
        self
    }

    /// Uses `client` (timeouts, proxies, other roots) instead of the default one.
    pub fn with_client(mut self, client: ::reqwest::Client) -> Self {
        self.client = client;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `request`, adding `Authorization` from Basic or Bearer credentials unless it
    /// already has one, and reads the whole response. Any status is a response; only a failure
    /// to send or read is an error ([`ClientError::Transport`]).
    pub async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, ClientError> {
        self.send_as(request, &[]).await
    }

    /// Sends a request of an operation whose `security` lists these requirement sets (one must
    /// be met, every scheme of it): like [`send`](HttpClient::send), with the credentials of
    /// the first set the client holds all of, each where its scheme says
    /// ([`add_credentials`]).
    pub async fn send_as(
        &self,
        mut request: http::Request<Vec<u8>>,
        security: &[&[Scheme]],
    ) -> Result<http::Response<Vec<u8>>, ClientError> {
        add_credentials(&mut request, security, &self.credentials);
        let request = ::reqwest::Request::try_from(request).map_err(transport)?;
        let response = self.client.execute(request).await.map_err(transport)?;
        let mut builder = http::Response::builder().status(response.status()).version(response.version());
        if let Some(headers) = builder.headers_mut() {
            headers.extend(response.headers().iter().map(|(name, value)| (name.clone(), value.clone())));
        }
        let body = response.bytes().await.map_err(transport)?;
        builder.body(body.to_vec()).map_err(|error| ClientError::Transport(Box::new(error)))
    }
}

fn transport(error: ::reqwest::Error) -> ClientError {
    ClientError::Transport(Box::new(error))
}

/// Where a [`pages`] walk is: the request for the next page and the tokens already followed.
struct Walk<Req, Page, F> {
    fetch: F,
    next: Option<Req>,
    seen: HashSet<String>,
    fetched: usize,
    /// Why the walk stops after the page just yielded.
    stopped: Option<ClientError>,
    next_token: fn(&Page) -> Option<String>,
    set_token: fn(&mut Req, String),
}

/// All pages of a paginated list, in order: fetches `first`, then while `next_token(&page)` is
/// `Some` and not empty sets it with `set_token` and fetches again. Stops after the first error,
/// which it yields. A next-page token that repeats one already followed would loop forever, so
/// the page carrying it is yielded and then [`ClientError::RepeatedPageToken`] ends the walk.
///
/// ```
/// use hookwright_runtime::api::reqwest::{pages, TryStreamExt};
///
/// #[derive(Clone, Default)]
/// struct ListRequest { page_token: Option<String> }
/// struct ListResponse { webhooks: Vec<&'static str>, next_page_token: Option<String> }
///
/// // Stands for a generated client's list operation.
/// async fn list(request: ListRequest) -> Result<ListResponse, hookwright_runtime::api::ClientError> {
///     Ok(match request.page_token.as_deref() {
///         None => ListResponse { webhooks: vec!["a", "b"], next_page_token: Some("t2".into()) },
///         Some(_) => ListResponse { webhooks: vec!["c"], next_page_token: None },
///     })
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let all: Vec<ListResponse> = pages(
///     ListRequest::default(),
///     list,
///     |page| page.next_page_token.clone(),
///     |request, token| request.page_token = Some(token),
/// )
/// .try_collect()
/// .await?;
/// let webhooks: Vec<&str> = all.into_iter().flat_map(|page| page.webhooks).collect();
/// assert_eq!(webhooks, ["a", "b", "c"]);
/// # Ok::<(), hookwright_runtime::api::ClientError>(())
/// # }).unwrap();
/// ```
pub fn pages<Req, Page, F, Fut>(
    first: Req,
    fetch: F,
    next_token: fn(&Page) -> Option<String>,
    set_token: fn(&mut Req, String),
) -> impl Stream<Item = Result<Page, ClientError>> + Send
where
    Req: Send + 'static,
    Page: Send + 'static,
    F: Fn(Req) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Page, ClientError>> + Send,
    Req: Clone,
{
    let walk =
        Walk { fetch, next: Some(first), seen: HashSet::new(), fetched: 0, stopped: None, next_token, set_token };
    stream::unfold(walk, step)
}

/// Yields the pending error, or fetches the next page and works out the request after it.
async fn step<Req, Page, F, Fut>(
    mut walk: Walk<Req, Page, F>,
) -> Option<(Result<Page, ClientError>, Walk<Req, Page, F>)>
where
    Req: Clone,
    F: Fn(Req) -> Fut,
    Fut: Future<Output = Result<Page, ClientError>>,
{
    if let Some(error) = walk.stopped.take() {
        return Some((Err(error), walk));
    }
    let mut request = walk.next.take()?;
    let page = match (walk.fetch)(request.clone()).await {
        Ok(page) => page,
        Err(error) => return Some((Err(error), walk)),
    };
    walk.fetched += 1;
    match (walk.next_token)(&page).filter(|token| !token.is_empty()) {
        Some(token) if !walk.seen.insert(token.clone()) => {
            walk.stopped = Some(ClientError::RepeatedPageToken { page: walk.fetched });
        }
        Some(token) => {
            (walk.set_token)(&mut request, token);
            walk.next = Some(request);
        }
        None => {}
    }
    Some((Ok(page), walk))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    const SECRET: &str = "zz-very-secret-7f3a";

    #[derive(Clone, Debug, PartialEq)]
    struct ListRequest {
        project: &'static str,
        page_token: Option<String>,
    }

    #[derive(Debug, PartialEq)]
    struct Page {
        items: Vec<u32>,
        next_page_token: Option<String>,
    }

    fn run<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
    }

    type FakeFetch = Box<dyn Fn(ListRequest) -> std::future::Ready<Result<Page, ClientError>> + Send + Sync>;

    /// A fake list operation: page tokens map to the page they give, `None` to the first.
    fn fake(
        table: Vec<(Option<&'static str>, Vec<u32>, Option<&'static str>)>,
    ) -> (FakeFetch, Arc<Mutex<Vec<ListRequest>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let fetch = move |request: ListRequest| {
            log.lock().unwrap().push(request.clone());
            let found = table.iter().find(|(token, _, _)| token.map(str::to_owned) == request.page_token);
            std::future::ready(match found {
                Some((_, items, next)) => Ok(Page { items: items.clone(), next_page_token: next.map(str::to_owned) }),
                None => Err(ClientError::Transport("no such page".into())),
            })
        };
        (Box::new(fetch), seen)
    }

    fn first() -> ListRequest {
        ListRequest { project: "p", page_token: None }
    }

    fn walk(
        fetch: impl Fn(ListRequest) -> std::future::Ready<Result<Page, ClientError>> + Send + Sync + 'static,
    ) -> Vec<Result<Page, ClientError>> {
        let stream = pages(
            first(),
            fetch,
            |page: &Page| page.next_page_token.clone(),
            |request, token| request.page_token = Some(token),
        );
        run(stream.collect())
    }

    #[test]
    fn three_pages_in_order() {
        let (fetch, requests) =
            fake(vec![(None, vec![1, 2], Some("b")), (Some("b"), vec![3, 4], Some("c")), (Some("c"), vec![5], None)]);
        let items: Vec<u32> = walk(fetch).into_iter().flat_map(|page| page.unwrap().items).collect();
        assert_eq!(items, [1, 2, 3, 4, 5]);
        let tokens: Vec<Option<String>> = requests.lock().unwrap().iter().map(|r| r.page_token.clone()).collect();
        assert_eq!(tokens, [None, Some("b".into()), Some("c".into())]);
        assert!(requests.lock().unwrap().iter().all(|r| r.project == "p"));
    }

    #[test]
    fn an_empty_token_ends_the_list() {
        let (fetch, requests) = fake(vec![(None, vec![1], Some(""))]);
        assert_eq!(walk(fetch).len(), 1);
        assert_eq!(requests.lock().unwrap().len(), 1);
    }

    #[test]
    fn a_repeated_token_stops_with_an_error() {
        let (fetch, requests) =
            fake(vec![(None, vec![1], Some("b")), (Some("b"), vec![2], Some("c")), (Some("c"), vec![3], Some("b"))]);
        let results = walk(fetch);
        assert_eq!(results.len(), 4);
        let items: Vec<u32> = results.iter().take(3).flat_map(|page| page.as_ref().unwrap().items.clone()).collect();
        assert_eq!(items, [1, 2, 3]);
        assert!(matches!(results[3], Err(ClientError::RepeatedPageToken { page: 3 })), "{:?}", results[3]);
        assert_eq!(requests.lock().unwrap().len(), 3);
    }

    #[test]
    fn a_page_pointing_at_itself_stops_at_once() {
        let (fetch, _) = fake(vec![(None, vec![1], Some("a")), (Some("a"), vec![2], Some("a"))]);
        let results = walk(fetch);
        assert!(matches!(results.as_slice(), [Ok(_), Ok(_), Err(ClientError::RepeatedPageToken { page: 2 })]));
    }

    #[test]
    fn the_first_error_ends_the_stream() {
        let (fetch, requests) = fake(vec![(None, vec![1], Some("missing"))]);
        let results = walk(fetch);
        assert_eq!(results.len(), 2);
        assert_eq!(results[1].as_ref().unwrap_err().to_string(), "the request failed: no such page");
        assert_eq!(requests.lock().unwrap().len(), 2);
    }

    #[test]
    fn debug_shows_no_credentials() {
        let client = HttpClient::new("https://host")
            .with_credentials(Credentials::basic("ann", SECRET))
            .with_credentials(Credentials::api_key("X-Api-Key", SECRET));
        let text = format!("{client:?}");
        assert_eq!(text, "HttpClient { base_url: \"https://host\", credentials: [\"Basic\", \"API key\"], .. }");
        assert_eq!(client.base_url(), "https://host");
    }

    #[test]
    fn an_unreachable_server_is_a_transport_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let client = HttpClient::new(format!("http://127.0.0.1:{port}")).with_credentials(Credentials::bearer(SECRET));
        let request = crate::api::RequestBuilder::new(http::Method::GET, client.base_url(), "/x").build().unwrap();
        let error = run(client.send(request)).unwrap_err();
        assert!(matches!(error, ClientError::Transport(_)), "{error}");
        assert!(!error.to_string().contains(SECRET) && !format!("{error:?}").contains(SECRET));
    }

    #[test]
    fn the_stream_is_send() {
        fn assert_send<T: Send>(_: T) {}
        let (fetch, _) = fake(vec![]);
        assert_send(pages(
            first(),
            fetch,
            |page: &Page| page.next_page_token.clone(),
            |request, token| request.page_token = Some(token),
        ));
    }
}
