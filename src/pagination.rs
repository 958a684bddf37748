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

/// Every item of a list operation, fetching page after page as it is read.
///
/// It stops after the last page by `result_info.total_pages`, on an empty page, on a page shorter
/// than `per_page`, and when the server sends a page it already sent (an endpoint that ignores
/// `page` never makes it loop, even one that alternates between pages). Each page request is
/// retried like any GET.
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
    next: Option<u64>,
    /// Fingerprints of the pages received so far.
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
    let state = State {
        call,
        next: Some(first),
        seen: HashSet::new(),
        per_page,
    };
    let pages = stream::try_unfold(state, |mut state| async move {
        let Some(page_no) = state.next else {
            return Ok(None);
        };
        let mut call = state.call.clone();
        call.set_query("page", page_no.to_string());
        let (page, body) = call.send_keeping_body().await?;
        // A page received before: the server ignores `page`; stop without repeating items.
        if page.items.is_empty() || !state.seen.insert(fingerprint(&body)) {
            return Ok(None);
        }
        let within_total = page
            .result_info
            .as_ref()
            .and_then(|i| i.total_pages)
            .is_none_or(|total| page_no < total);
        state.next = (within_total && page.has_more(state.per_page)).then_some(page_no + 1);
        Ok(Some((page.items, state)))
    });
    pages
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// A hash of a page's `result` as the server sent it (of the whole body if that cannot be found).
/// The bytes, not the decoded items: item types need not be `Serialize`.
fn fingerprint(body: &[u8]) -> u64 {
    #[derive(Deserialize)]
    struct ResultOnly<'a> {
        #[serde(borrow)]
        result: Option<&'a RawValue>,
    }
    let result = serde_json::from_slice::<ResultOnly<'_>>(body)
        .ok()
        .and_then(|r| r.result)
        .map_or(body, |r| r.get().as_bytes());
    let mut hasher = DefaultHasher::new();
    result.hash(&mut hasher);
    hasher.finish()
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
