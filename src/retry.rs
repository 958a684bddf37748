//! When and how long to wait before trying a request again.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::time::{Duration, SystemTime};

/// Retry settings of a client.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// Delay before the first retry (default 0.5 s); doubles each time.
    pub initial_delay: Duration,
    /// Upper bound of the computed delay (default 8 s).
    pub max_delay: Duration,
    /// Upper bound of a server's `Retry-After` (default 60 s); a longer one is not waited for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// Statuses that are worth retrying: 408, 429 and 5xx.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

impl RetryPolicy {
    /// The backoff delays, one per retry: exponential with jitter, capped (from `backon`).
    pub(crate) fn backoff(&self, max_retries: u32) -> impl Iterator<Item = Duration> {
        use backon::BackoffBuilder;
        backon::ExponentialBuilder::default()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(max_retries as usize)
            .build()
    }

    /// The wait a response asks for (`retry-after-ms`, `Retry-After` in seconds or as an HTTP
    /// date), if within the cap. `Err(())` when the server asks for longer than the cap.
    pub(crate) fn retry_after(&self, headers: &HeaderMap) -> Result<Option<Duration>, ()> {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let wait = if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
            Some(Duration::from_secs_f64(ms.max(0.0) / 1000.0))
        } else if let Some(v) = get("retry-after") {
            if let Ok(secs) = v.parse::<f64>() {
                Some(Duration::from_secs_f64(secs.max(0.0)))
            } else if let Ok(when) = httpdate::parse_http_date(v) {
                Some(
                    when.duration_since(SystemTime::now())
                        .unwrap_or(Duration::ZERO),
                )
            } else {
                None
            }
        } else {
            None
        };
        match wait {
            Some(w) if w > self.max_retry_after => Err(()),
            other => Ok(other),
        }
    }
}
