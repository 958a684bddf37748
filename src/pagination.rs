//! A stream over every item of a paginated list.

use crate::envelope::Page;
use crate::{Call, Error};
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
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
    inner: BoxStream<'a, Result<T, Error>>,
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

impl<'a, T: Serialize + DeserializeOwned + Send + 'a> PageStream<'a, T> {
    pub(crate) fn new(call: Call<'a, Page<T>>) -> Self {
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
            let page = call.send().await?;
            // A page received before: the server ignores `page`; stop without repeating items.
            if page.items.is_empty() || !state.seen.insert(fingerprint(&page.items)) {
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
        let items = pages
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten();
        PageStream {
            inner: items.boxed(),
        }
    }
}

/// A hash of a page's items as JSON.
fn fingerprint<T: Serialize>(items: &[T]) -> u64 {
    let mut hasher = DefaultHasher::new();
    serde_json::to_vec(items)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

impl<T> Stream for PageStream<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
