//! When and how long to wait before trying a request again.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::time::{Duration, SystemTime};

/// Retry settings of a client.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// Delay before the first retry (default 0.5 s); doubles each time. With jitter, each wait is
    /// between half of the computed delay and all of it.
    pub initial_delay: Duration,
    /// Upper bound of the computed delay (default 8 s): no backoff wait is longer.
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
    /// The backoff delays, one per retry: `initial_delay·2ⁿ` capped at `max_delay`, with "equal
    /// jitter": each wait is a random point between half that delay and all of it, so it never
    /// exceeds the cap and clients that failed together do not retry together.
    ///
    /// `backon`'s jitter adds up to 100% on top of the delay (which would break the cap), so it is
    /// given half the delays: `d/2 + jitter(d/2)` lies in `[d/2, d)`.
    pub(crate) fn backoff(&self, max_retries: u32) -> impl Iterator<Item = Duration> {
        use backon::BackoffBuilder;
        let cap = self.max_delay;
        backon::ExponentialBuilder::default()
            .with_min_delay(self.initial_delay / 2)
            .with_max_delay(self.max_delay / 2)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(max_retries as usize)
            .build()
            .map(move |d| d.min(cap))
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
        // A value too large for a `Duration` (`1e30`, `inf`) is beyond any cap; a negative one is 0.
        let number = |v: &str| v.parse::<f64>().ok().filter(|n| !n.is_nan());
        let secs = |s: f64| Duration::try_from_secs_f64(s.max(0.0)).map_err(|_| ());
        let wait = if let Some(ms) = get("retry-after-ms").and_then(number) {
            Some(secs(ms / 1000.0)?)
        } else if let Some(v) = get("retry-after") {
            if let Some(s) = number(v) {
                Some(secs(s)?)
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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered_below_the_cap() {
        let policy = RetryPolicy::default();
        let mut at_cap = Vec::new();
        for _ in 0..20 {
            let delays: Vec<Duration> = policy.backoff(8).collect();
            assert_eq!(delays.len(), 8);
            for (n, d) in delays.iter().enumerate() {
                let full = (policy.initial_delay * 2u32.pow(n as u32)).min(policy.max_delay);
                assert!(
                    *d >= full / 2 && *d <= full,
                    "retry {n}: {d:?} not in [{:?}, {full:?}]",
                    full / 2
                );
                assert!(*d <= policy.max_delay);
            }
            at_cap.push(delays[7]);
        }
        at_cap.dedup();
        assert!(at_cap.len() > 1, "no jitter: {at_cap:?}");
    }

    #[test]
    fn backoff_yields_one_delay_per_retry() {
        assert_eq!(RetryPolicy::default().backoff(0).count(), 0);
        assert_eq!(RetryPolicy::default().backoff(2).count(), 2);
    }

    #[test]
    fn retry_after_forms() {
        let p = RetryPolicy::default();
        assert_eq!(p.retry_after(&HeaderMap::new()), Ok(None));
        assert_eq!(
            p.retry_after(&headers("retry-after", "3")),
            Ok(Some(Duration::from_secs(3)))
        );
        assert_eq!(
            p.retry_after(&headers("retry-after", "-3")),
            Ok(Some(Duration::ZERO))
        );
        assert_eq!(
            p.retry_after(&headers("retry-after-ms", "250")),
            Ok(Some(Duration::from_millis(250)))
        );
        assert_eq!(p.retry_after(&headers("retry-after", "soon")), Ok(None));
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
        assert_eq!(
            p.retry_after(&headers("retry-after", &past)),
            Ok(Some(Duration::ZERO))
        );
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let wait = p
            .retry_after(&headers("retry-after", &soon))
            .unwrap()
            .unwrap();
        assert!(
            wait > Duration::from_secs(28) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
    }

    #[test]
    fn retry_after_beyond_the_cap_or_absurd_is_refused_without_panicking() {
        let p = RetryPolicy::default();
        for v in ["61", "3600", "1e30", "inf", "1e400"] {
            assert_eq!(p.retry_after(&headers("retry-after", v)), Err(()), "{v}");
        }
        assert_eq!(p.retry_after(&headers("retry-after-ms", "1e300")), Err(()));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        assert_eq!(p.retry_after(&headers("retry-after", &later)), Err(()));
        assert_eq!(p.retry_after(&headers("retry-after", "NaN")), Ok(None));
    }
}
