//! Cloudflare's response envelope (`success`, `errors`, `messages`, `result`, `result_info`) and
//! pages of list results.

use serde::{Deserialize, Serialize};

/// One entry of an envelope's `errors` or `messages`: in an [`Envelope`], or in an
/// [`ApiError`](crate::ApiError).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResponseMessage {
    /// Cloudflare's error or message code (1000 and up).
    #[serde(default)]
    pub code: i64,
    /// The text of the error or message.
    #[serde(default)]
    pub message: String,
    /// A link to documentation about this code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Where in the request the problem is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ResponseMessageSource>,
}

/// The `source` of a [`ResponseMessage`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResponseMessageSource {
    /// JSON pointer into the request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// Pagination information of a list response: [`Page::result_info`] and
/// [`Envelope::result_info`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResultInfo {
    /// Number of results on this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// This page's number (from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// Results per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
    /// Total number of results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// Total number of pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<u64>,
}

/// The whole decoded response body: the typed `result` with the rest of Cloudflare's envelope
/// around it, as [`Call::send_with_response`](crate::Call::send_with_response) returns it.
///
/// Every operation here answers with an envelope. Its `success` field is not kept: a response
/// with `success: false` is an [`Error::Api`](crate::Error::Api), never an `Envelope`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<T> {
    /// The typed result.
    pub result: T,
    /// Non-fatal errors the API reported alongside a success (usually empty).
    pub errors: Vec<ResponseMessage>,
    /// Informational messages.
    pub messages: Vec<ResponseMessage>,
    /// Pagination information, when the response has it.
    pub result_info: Option<ResultInfo>,
}

/// One page of a paged list operation, as its `list` method returns it. Iterating a `Page` gives
/// its items; for every item of every page, use the operation's `list_all` method, which returns
/// a [`PageStream`](crate::PageStream).
///
/// ```no_run
/// use cloudflare_mtls::{Client, Error};
///
/// # async fn run(client: &Client) -> Result<(), Error> {
/// let page = client
///     .client_certificates()
///     .list("023e105f4ecef8ad9ca31a8372d0c353", Default::default())
///     .await?;
/// let total = page.result_info.as_ref().and_then(|info| info.total_count);
/// println!("{} of {total:?} certificates", page.items.len());
/// for cert in page {
///     println!("{:?}", cert.id);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Pagination information (page number, page size, totals), when the API sent it.
    pub result_info: Option<ResultInfo>,
}

impl<T> Page<T> {
    /// Whether a later page may exist: not after an empty page, nor after the last page by
    /// `result_info.total_pages`, nor after a page shorter than `per_page` (the server's, else
    /// `requested_per_page`).
    pub(crate) fn has_more(&self, requested_per_page: Option<u64>) -> bool {
        if self.items.is_empty() {
            return false;
        }
        let info = self.result_info.as_ref();
        if let (Some(page), Some(total)) =
            (info.and_then(|i| i.page), info.and_then(|i| i.total_pages))
        {
            if page >= total {
                return false;
            }
        }
        match info.and_then(|i| i.per_page).or(requested_per_page) {
            Some(n) => self.items.len() as u64 >= n,
            None => true,
        }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// What every envelope decode looks for, with the result typed as `R`.
#[derive(Deserialize)]
pub struct RawEnvelope<R> {
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default)]
    pub errors: Option<Vec<ResponseMessage>>,
    #[serde(default)]
    pub messages: Option<Vec<ResponseMessage>>,
    #[serde(default = "none")]
    pub result: Option<R>,
    #[serde(default)]
    pub result_info: Option<ResultInfo>,
}

fn none<R>() -> Option<R> {
    None
}

/// Only the envelope's status fields, for bodies whose `result` does not decode.
#[derive(Deserialize)]
pub struct EnvelopeStatus {
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default)]
    pub errors: Option<Vec<ResponseMessage>>,
    #[serde(default)]
    pub messages: Option<Vec<ResponseMessage>>,
}
