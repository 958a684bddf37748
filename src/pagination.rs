//! A stream over every item of a paginated list.

use crate::envelope::Page;
use crate::{Call, Error};
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Every item of a paged list operation, fetching page after page as the stream is read.
///
/// The `list_all` method of a resource returns one (for example
/// [`client.client_certificates().list_all`](crate::resources::ClientCertificatesResource::list_all)),
/// and so does [`Call::into_stream`] on the [`Call`] of a paged `list`. It is a [`Stream`] of
/// `Result<T, Error>`: read it with [`TryStreamExt`](futures::TryStreamExt) or
/// [`StreamExt`](futures::StreamExt). After an error, the stream ends.
///
/// ```no_run
/// use cloudflare_mtls::{types::*, Client, Error};
/// use futures::TryStreamExt;
///
/// # async fn run(client: &Client) -> Result<(), Error> {
/// let zone_id = "023e105f4ecef8ad9ca31a8372d0c353";
/// let params = ClientCertificateListParams::default().status(ClientCertificateStatusFilter::Active);
///
/// // Item by item, page after page.
/// let mut certs = client.client_certificates().list_all(zone_id, params.clone());
/// while let Some(cert) = certs.try_next().await? {
///     println!("{:?}", cert.id);
/// }
///
/// // All of them at once, from a `list` call.
/// let all: Vec<ClientCertificate> = client
///     .client_certificates()
///     .list(zone_id, params)
///     .into_stream()
///     .try_collect()
///     .await?;
/// println!("{} active certificates", all.len());
/// # Ok(())
/// # }
/// ```
///
/// It stops:
/// - after the last page by `result_info.total_pages`, on an empty page, and on a page shorter
///   than `per_page`;
/// - when the server answers for another page than the one asked (`result_info.page`): it ignores
///   `page`. That page's items are not yielded (they are another page's), except on the first
///   request;
/// - when a page brings no item that an earlier page did not (items are told apart by their `id`,
///   or by their whole JSON where they have none): the server is repeating itself, even if it
///   alternates between pages or changes other fields each time;
/// - as a last resort, after [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) pages.
///
/// Each stop is logged (`tracing`, target `cloudflare_mtls::pagination`) with its reason: at
/// `debug`, and at `warn` for the page cap, which may leave items unread. Each page request is
/// retried like any GET, with the options of the call the stream was made from (timeout,
/// deadline, retries, headers).
pub struct PageStream<'a, T> {
    /// The first page's call, until the stream is first polled.
    call: Option<Call<'a, Page<T>>>,
    /// The items, once polled: built then, so the stream's code (and the page decoder) is compiled
    /// only where a stream is read.
    inner: Option<BoxStream<'a, Result<T, Error>>>,
}

impl<T> std::fmt::Debug for PageStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

struct State<'a, T> {
    call: Call<'a, Page<T>>,
    /// The page to ask for next, if any.
    next: Option<u64>,
    /// The first page asked for.
    first: u64,
    /// Pages fetched so far.
    fetched: u64,
    /// The most pages to fetch.
    max_pages: u64,
    /// Keys of the items received so far (a hash of the `id`, or of the item).
    seen: HashSet<u64>,
    per_page: Option<u64>,
}

impl<'a, T> PageStream<'a, T> {
    pub(crate) fn new(call: Call<'a, Page<T>>) -> Self {
        PageStream {
            call: Some(call),
            inner: None,
        }
    }
}

/// Every item of every page from `call`'s page on.
fn items<'a, T: DeserializeOwned + Send + 'a>(
    call: Call<'a, Page<T>>,
) -> BoxStream<'a, Result<T, Error>> {
    let first = call
        .query_value("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let per_page = call.query_value("per_page").and_then(|p| p.parse().ok());
    let max_pages = call.client().inner.max_pages;
    let state = State {
        call,
        next: Some(first),
        first,
        fetched: 0,
        max_pages,
        seen: HashSet::new(),
        per_page,
    };
    let pages = stream::try_unfold(state, |mut state| async move {
        let Some(page_no) = state.next else {
            return Ok(None);
        };
        if state.fetched >= state.max_pages {
            tracing::warn!(
                pages = state.fetched,
                "page stream stopped: the page cap (ClientBuilder::max_pages) is reached; items may be left unread"
            );
            return Ok(None);
        }
        let mut call = state.call.clone();
        call.set_query("page", page_no.to_string());
        let (page, body) = call.send_keeping_body().await?;
        state.fetched += 1;
        let answered = page.result_info.as_ref().and_then(|i| i.page);
        let stop = |reason: &str| {
            tracing::debug!(page = page_no, reason, "page stream stopped");
        };
        if page.items.is_empty() {
            stop("an empty page");
            return Ok(None);
        }
        if answered.is_some_and(|p| p != page_no) && page_no != state.first {
            stop("the server answered for another page: it ignores `page`");
            return Ok(None);
        }
        let mut new = false;
        for key in item_keys(&body) {
            new |= state.seen.insert(key);
        }
        if !new {
            stop("no item on this page is new: the server repeats itself");
            return Ok(None);
        }
        state.next = if answered.is_some_and(|p| p != page_no) {
            stop("the server answered for another page: it ignores `page`");
            None
        } else if page
            .result_info
            .as_ref()
            .and_then(|i| i.total_pages)
            .is_some_and(|total| page_no >= total)
        {
            stop("the last page by `total_pages`");
            None
        } else if !page.has_more(state.per_page) {
            stop("a page shorter than `per_page`");
            None
        } else {
            Some(page_no + 1)
        };
        Ok(Some((page.items, state)))
    });
    pages
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// A key per item of a page's `result` as the server sent it: a hash of the item's `id` where it
/// has one, else of the whole item. Read from the bytes, not the decoded items: item types need
/// not be `Serialize` nor have an `id`.
fn item_keys(body: &[u8]) -> Vec<u64> {
    #[derive(Deserialize)]
    struct ResultOnly<'a> {
        #[serde(borrow)]
        result: Option<Vec<&'a RawValue>>,
    }
    #[derive(Deserialize)]
    struct IdOnly<'a> {
        #[serde(borrow)]
        id: Option<&'a RawValue>,
    }
    // Tagged, so that an item told by its `id` never has the key of one told by its whole JSON.
    let hash = |by_id: bool, bytes: &[u8]| {
        let mut hasher = DefaultHasher::new();
        by_id.hash(&mut hasher);
        bytes.hash(&mut hasher);
        hasher.finish()
    };
    let Some(items) = serde_json::from_slice::<ResultOnly<'_>>(body)
        .ok()
        .and_then(|r| r.result)
    else {
        return vec![hash(false, body)];
    };
    items
        .iter()
        .map(|item| {
            let id = serde_json::from_str::<IdOnly<'_>>(item.get())
                .ok()
                .and_then(|i| i.id)
                .filter(|id| id.get() != "null");
            match id {
                Some(id) => hash(true, id.get().as_bytes()),
                None => hash(false, item.get().as_bytes()),
            }
        })
        .collect()
}

impl<'a, T: DeserializeOwned + Send + 'a> Stream for PageStream<'a, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let inner = match (&mut this.inner, this.call.take()) {
            (Some(inner), _) => inner,
            (slot, Some(call)) => slot.insert(items(call)),
            (None, None) => return Poll::Ready(None),
        };
        inner.as_mut().poll_next(cx)
    }
}
