//! The one error type of the client.

use crate::envelope::ResponseMessage;
use reqwest::StatusCode;
use std::fmt;

/// An error the API returned: a 4xx or 5xx status, or `success: false` in a 2xx response. Carried
/// by [`Error::Api`]; [`Error::api`] gives it.
///
/// Its `Display` gives the status, Cloudflare's errors with their codes (or the start of a body
/// that was not JSON), and the `cf-ray` id.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The envelope's `errors` (Cloudflare's code, message, documentation URL, source pointer);
    /// empty when the body was not an envelope.
    pub errors: Vec<ResponseMessage>,
    /// The envelope's `messages`.
    pub messages: Vec<ResponseMessage>,
    /// The `cf-ray` id of the response, for Cloudflare support.
    pub ray_id: Option<String>,
    /// The start of the body when it was not a JSON envelope (an HTML error page from the edge).
    pub body_snippet: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cloudflare API error (HTTP {})", self.status.as_u16())?;
        for (i, e) in self.errors.iter().enumerate() {
            let sep = if i == 0 { ": " } else { "; " };
            write!(f, "{sep}{} ({})", e.message, e.code)?;
        }
        if let Some(snippet) = &self.body_snippet {
            write!(f, ": {snippet}")?;
        }
        if let Some(ray) = &self.ray_id {
            write!(f, " [cf-ray {ray}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Everything that can go wrong with a call, or with building a [`Client`](crate::Client).
///
/// The helpers answer the usual questions without a `match`: [`status`](Self::status),
/// [`is_not_found`](Self::is_not_found), [`is_rate_limited`](Self::is_rate_limited),
/// [`is_retryable`](Self::is_retryable), [`codes`](Self::codes), [`ray_id`](Self::ray_id), …
/// The enum is `#[non_exhaustive]`: a `match` needs a `_` arm.
///
/// # Example
///
/// ```no_run
/// use cloudflare_mtls::{Client, Error};
///
/// # async fn run(client: &Client) -> Result<(), Error> {
/// let account_id = "023e105f4ecef8ad9ca31a8372d0c353";
/// match client.mtls_certificates().get(account_id, "no-such-id").await {
///     Ok(cert) => println!("found {:?}", cert.name),
///     Err(e) if e.is_not_found() => println!("no such certificate"),
///     Err(Error::Api(api)) => {
///         for m in &api.errors {
///             eprintln!("Cloudflare error {}: {}", m.code, m.message);
///         }
///         eprintln!("HTTP {}, cf-ray {:?}", api.status, api.ray_id);
///     }
///     Err(e) if e.is_timeout() => eprintln!("timed out: {e}"),
///     Err(e) => return Err(e),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error: a 4xx or 5xx status, or `success: false`.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request did not complete in time: the timeout of an attempt, the connect timeout, or
    /// the call's deadline (which cuts the last attempt short). Wraps the [`reqwest::Error`]; the
    /// message includes its underlying causes.
    #[error("request timed out: {}", Chain(.0))]
    Timeout(#[source] reqwest::Error),
    /// No connection could be made (refused, unreachable, DNS failure). Wraps the
    /// [`reqwest::Error`]; the message includes its underlying causes (`Connection refused`, …),
    /// which reqwest's own message leaves out.
    #[error("connection failed: {}", Chain(.0))]
    Connect(#[source] reqwest::Error),
    /// Another transport error (a connection closed mid-response, a malformed response, …). Wraps
    /// the [`reqwest::Error`]; the message includes its underlying causes.
    #[error("HTTP transport error: {}", Chain(.0))]
    Http(#[source] reqwest::Error),
    /// The server answered with a redirect (a 3xx), which the client never follows: credentials
    /// and request bodies go to the configured API origin and nowhere else. Cloudflare's API does
    /// not redirect; a redirect usually means a wrong base URL or something in between.
    #[error("the server answered HTTP {} with a redirect{}, which is not followed (credentials stay on the API origin)", .status.as_u16(), .location.as_deref().map(|l| format!(" to `{l}`")).unwrap_or_default())]
    Redirect {
        /// The HTTP status (301, 302, 303, 307, 308, …).
        status: StatusCode,
        /// The `Location` the server gave, if any.
        location: Option<String>,
        /// The `cf-ray` id of the response.
        ray_id: Option<String>,
    },
    /// The response body was larger than the client's limit
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)); reading
    /// stopped there.
    #[error("the response body (HTTP {}) is larger than the limit of {limit} bytes (ClientBuilder::max_response_size)", .status.as_u16())]
    ResponseTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// A 2xx response whose body did not match the expected type.
    #[error("could not decode the response (HTTP {status}) at `{path}`: {message}")]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The JSON path of the field that failed (`result[3].expires_on`), `.` for the root.
        path: String,
        /// What was wrong.
        message: String,
        /// The `cf-ray` id of the response.
        ray_id: Option<String>,
    },
    /// The request could not be built, and nothing was sent: a body that does not serialize, a
    /// bad header value, or an empty, blank, `.` or `..` path parameter.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client is misconfigured (no credentials in the environment, a plain-http base URL, …):
    /// from [`ClientBuilder::build`](crate::ClientBuilder::build) and the other ways of making a
    /// client.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// An error followed by each of its causes, `: `-separated, skipping a cause whose text the
/// previous message already contains (`reqwest` and `hyper` often repeat their inner message).
pub(crate) struct Chain<'a>(pub(crate) &'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.to_string();
        f.write_str(&shown)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            let text = e.to_string();
            if !text.is_empty() && !shown.contains(&text) {
                write!(f, ": {text}")?;
                shown = text;
            }
            cause = e.source();
        }
        Ok(())
    }
}

impl Error {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. }
            | Error::Redirect { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Http(e) | Error::Timeout(e) | Error::Connect(e) => e.status(),
            _ => None,
        }
    }

    /// The API error, when the API returned one ([`Error::Api`]).
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The `cf-ray` id of the response, when there was one.
    pub fn ray_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.ray_id.as_deref(),
            Error::Decode { ray_id, .. } | Error::Redirect { ray_id, .. } => ray_id.as_deref(),
            _ => None,
        }
    }

    /// The Cloudflare error codes of an API error ([`ResponseMessage::code`]); empty for any
    /// other error.
    pub fn codes(&self) -> Vec<i64> {
        self.api()
            .map(|e| e.errors.iter().map(|m| m.code).collect())
            .unwrap_or_default()
    }

    /// Whether a response came with HTTP 400.
    pub fn is_bad_request(&self) -> bool {
        self.status() == Some(StatusCode::BAD_REQUEST)
    }

    /// Whether a response came with HTTP 401: missing or invalid credentials.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether a response came with HTTP 403: the credentials lack a permission.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// Whether a response came with HTTP 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether a response came with HTTP 409.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(StatusCode::CONFLICT)
    }

    /// Whether a response came with HTTP 422.
    pub fn is_unprocessable(&self) -> bool {
        self.status() == Some(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// Whether a response came with HTTP 429: rate limited.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether a response came with an HTTP 5xx status.
    pub fn is_server_error(&self) -> bool {
        self.status().is_some_and(|s| s.is_server_error())
    }

    /// Whether the server answered with a redirect, which the client does not follow
    /// ([`Error::Redirect`]).
    pub fn is_redirect(&self) -> bool {
        matches!(self, Error::Redirect { .. })
    }

    /// Whether the call timed out: an attempt's timeout, or the call's deadline
    /// ([`Error::Timeout`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Whether trying again later may succeed: connection failures, timeouts, and API errors
    /// with HTTP 408, 429 or 5xx. The client has already retried as its
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect(_) | Error::Timeout(_) => true,
            Error::Api(e) => crate::retry::retryable_status(e.status),
            _ => false,
        }
    }

    pub(crate) fn from_transport(e: reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout(e)
        } else if e.is_connect() {
            Error::Connect(e)
        } else {
            Error::Http(e)
        }
    }
}
