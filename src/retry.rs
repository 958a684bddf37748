//! When and how long to wait before trying a request again.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
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

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A whole response with this (non-2xx) status arrived.
    Status(StatusCode),
    /// No connection could be made: nothing reached the server.
    ConnectFailed,
    /// The request may have reached the server, and no response came: a timeout, a connection
    /// closed before the status line.
    NoResponse,
    /// The status (and headers) arrived, the rest of the body did not.
    BodyLost(StatusCode),
    /// A response came that is not HTTP as the client reads it (too many headers, a header over
    /// the size limit, two different `Content-Length`s, a status line that does not parse).
    Malformed,
    /// A failure that trying again cannot mend (a body over the size limit or in an encoding the
    /// client cannot read, a redirect).
    Final,
}

/// Whether to send a request again, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Send it again after this wait.
    Retry(Duration),
    /// Give up; why (for the debug log).
    Stop(&'static str),
}

/// What the classifier makes of a failed attempt: worth another try or not, whatever the count
/// of attempts, the backoff or the deadline (those are [`RetryPolicy::decide`]'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Trying again may succeed; the wait the server asked for (`Retry-After`), if it sent one
    /// with a status (`Duration::MAX` when too long to represent).
    Retryable { retry_after: Option<Duration> },
    /// Trying again cannot succeed, or could act on the request twice; why (for the debug log).
    Final(&'static str),
}

/// Statuses that are worth retrying: 408, 429 and 5xx.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

/// Classifies what an attempt of a `method` request came to; `headers` are the response's, if
/// one came (for `Retry-After`). The rules:
/// - a connection that could not be made, and a 429 (refused unprocessed), are retryable for
///   every method: the server did not act on the request;
/// - a 408 or 5xx, a request that got no response, or a response cut short, only for methods
///   other than POST and PATCH, which may have been processed and are never sent twice;
/// - a malformed response is final, whatever the method: a response came, so the request
///   reached the server and may have been processed, and a server or proxy that answers with a
///   broken head answers the next attempt the same way, at the same cost;
/// - other statuses (4xx, 3xx) and [`Outcome::Final`] are final;
/// - the server's `Retry-After` counts on a whole response only ([`Outcome::Status`]).
pub(crate) fn classify(method: &Method, outcome: Outcome, headers: Option<&HeaderMap>) -> Class {
    if !retryable(method, outcome) {
        return Class::Final(final_reason(outcome));
    }
    let retry_after = match outcome {
        Outcome::Status(_) => headers.and_then(server_wait),
        _ => None,
    };
    Class::Retryable { retry_after }
}

/// Whether `outcome` is worth another attempt of a `method` request (the rules of [`classify`]).
fn retryable(method: &Method, outcome: Outcome) -> bool {
    let unprocessed_only = matches!(*method, Method::POST | Method::PATCH);
    match outcome {
        Outcome::ConnectFailed => true,
        Outcome::Status(StatusCode::TOO_MANY_REQUESTS)
        | Outcome::BodyLost(StatusCode::TOO_MANY_REQUESTS) => true,
        Outcome::Status(status) => retryable_status(status) && !unprocessed_only,
        Outcome::NoResponse | Outcome::BodyLost(_) => !unprocessed_only,
        Outcome::Malformed | Outcome::Final => false,
    }
}

/// Why an outcome that is not [`retryable`] is final.
fn final_reason(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Status(_) => "the status is final for this method",
        Outcome::Malformed => "a malformed response is final",
        Outcome::Final => "the failure is final",
        _ => "the request may have been processed: not sent twice",
    }
}

/// The wait a response asks for: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP
/// date. A value too large for a `Duration` (`1e30`, `inf`) is `Duration::MAX`, a negative one
/// or a date past is zero; one that does not parse is no wait asked for.
pub(crate) fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let number = |v: &str| v.parse::<f64>().ok().filter(|n| !n.is_nan());
    let secs = |s: f64| Duration::try_from_secs_f64(s.max(0.0)).unwrap_or(Duration::MAX);
    if let Some(ms) = get("retry-after-ms").and_then(number) {
        return Some(secs(ms / 1000.0));
    }
    let value = get("retry-after")?;
    if let Some(s) = number(value) {
        return Some(secs(s));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
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

    /// Whether and when to retry after a failed attempt the classifier found to be `class`.
    /// `retries` are the retries left, one backoff delay each ([`RetryPolicy::backoff`]: it
    /// counts the attempts); `remaining` is the time left before the call's deadline.
    ///
    /// A final class stops; so does a call with no retry left. The wait is the server's
    /// `Retry-After` when it sent one (longer than `max_retry_after`: no retry), else the next
    /// backoff delay; no retry starts when its wait would reach the deadline.
    pub(crate) fn decide(
        &self,
        class: Class,
        retries: &mut impl Iterator<Item = Duration>,
        remaining: Duration,
    ) -> Decision {
        let retry_after = match class {
            Class::Final(reason) => return Decision::Stop(reason),
            Class::Retryable { retry_after } => retry_after,
        };
        let Some(backoff) = retries.next() else {
            return Decision::Stop("no retries left");
        };
        let wait = match retry_after {
            Some(wait) if wait > self.max_retry_after => {
                return Decision::Stop("Retry-After is beyond the cap (max_retry_after)")
            }
            Some(wait) => wait,
            None => backoff,
        };
        if wait >= remaining {
            return Decision::Stop("the deadline would pass before the retry");
        }
        Decision::Retry(wait)
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
        assert_eq!(server_wait(&HeaderMap::new()), None);
        assert_eq!(
            server_wait(&headers("retry-after", "3")),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            server_wait(&headers("retry-after", "-3")),
            Some(Duration::ZERO)
        );
        assert_eq!(
            server_wait(&headers("retry-after-ms", "250")),
            Some(Duration::from_millis(250))
        );
        assert_eq!(server_wait(&headers("retry-after", "soon")), None);
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
        assert_eq!(
            server_wait(&headers("retry-after", &past)),
            Some(Duration::ZERO)
        );
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let wait = server_wait(&headers("retry-after", &soon)).unwrap();
        assert!(
            wait > Duration::from_secs(28) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
    }

    #[test]
    fn retry_after_beyond_the_cap_or_absurd_is_refused_without_panicking() {
        let p = RetryPolicy::default();
        let refused = |h: HeaderMap| {
            let class = classify(
                &Method::GET,
                Outcome::Status(StatusCode::BAD_GATEWAY),
                Some(&h),
            );
            let mut retries = std::iter::repeat(Duration::from_secs(1));
            p.decide(class, &mut retries, Duration::MAX)
                == Decision::Stop("Retry-After is beyond the cap (max_retry_after)")
        };
        for v in ["61", "3600", "1e30", "inf", "1e400"] {
            assert!(refused(headers("retry-after", v)), "{v}");
        }
        assert!(refused(headers("retry-after-ms", "1e300")));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        assert!(refused(headers("retry-after", &later)));
        assert_eq!(server_wait(&headers("retry-after", "NaN")), None);
        assert!(!refused(headers("retry-after", "NaN")));
        assert!(!refused(headers("retry-after", "60")));
    }

    /// The classifier and the policy together, as the client runs them: attempt `attempt` (1 for
    /// the first) of a call allowed `max_retries` retries, each with a `backoff` delay.
    #[allow(clippy::too_many_arguments)]
    fn decide(
        p: &RetryPolicy,
        method: &Method,
        outcome: Outcome,
        attempt: u32,
        max_retries: u32,
        headers: Option<&HeaderMap>,
        backoff: Duration,
        remaining: Duration,
    ) -> Decision {
        let mut retries = std::iter::repeat_n(backoff, max_retries as usize);
        // The retries earlier attempts used.
        retries.by_ref().take(attempt as usize - 1).for_each(drop);
        p.decide(classify(method, outcome, headers), &mut retries, remaining)
    }

    /// The retry rules as a table: (method, outcome, attempt, headers) → decision, with 2 retries
    /// allowed, a 1 s backoff and 30 s left before the deadline unless the row says otherwise.
    #[test]
    fn decisions() {
        use Decision::{Retry, Stop};
        use Outcome::*;
        let p = RetryPolicy::default();
        let s = |code: u16| StatusCode::from_u16(code).unwrap();
        let backoff = Duration::from_secs(1);
        let long = Duration::from_secs(30);
        let none = HeaderMap::new();
        let after_5 = headers("retry-after", "5");
        let after_90 = headers("retry-after", "90");
        let retry = Retry(backoff);
        #[rustfmt::skip]
        type Row<'a> = (Method, Outcome, u32, &'a HeaderMap, Duration, Option<Decision>);
        let rows: Vec<Row<'_>> = vec![
            // Idempotent methods: 408, 429, 5xx, no response, body cut short.
            (Method::GET, Status(s(500)), 1, &none, long, Some(retry)),
            (Method::GET, Status(s(502)), 2, &none, long, Some(retry)),
            (Method::PUT, Status(s(503)), 1, &none, long, Some(retry)),
            (Method::DELETE, Status(s(408)), 1, &none, long, Some(retry)),
            (Method::GET, Status(s(429)), 1, &none, long, Some(retry)),
            (Method::GET, NoResponse, 1, &none, long, Some(retry)),
            (
                Method::DELETE,
                BodyLost(s(200)),
                1,
                &none,
                long,
                Some(retry),
            ),
            (Method::GET, ConnectFailed, 1, &none, long, Some(retry)),
            // POST and PATCH: only what the server provably did not act on.
            (Method::POST, ConnectFailed, 1, &none, long, Some(retry)),
            (Method::PATCH, Status(s(429)), 1, &none, long, Some(retry)),
            (Method::POST, BodyLost(s(429)), 1, &none, long, Some(retry)),
            (Method::POST, Status(s(500)), 1, &none, long, None),
            (Method::PATCH, Status(s(503)), 1, &none, long, None),
            (Method::POST, Status(s(408)), 1, &none, long, None),
            (Method::POST, NoResponse, 1, &none, long, None),
            (Method::PATCH, BodyLost(s(200)), 1, &none, long, None),
            // Final statuses and failures, whatever the method.
            (Method::GET, Status(s(400)), 1, &none, long, None),
            (Method::GET, Status(s(404)), 1, &none, long, None),
            (Method::DELETE, Status(s(409)), 1, &none, long, None),
            (Method::GET, Status(s(302)), 1, &none, long, None),
            (Method::GET, Status(s(307)), 1, &none, long, None),
            (Method::GET, Final, 1, &none, long, None),
            (Method::POST, Final, 1, &none, long, None),
            (Method::GET, Malformed, 1, &none, long, None),
            (Method::DELETE, Malformed, 1, &none, long, None),
            (Method::POST, Malformed, 1, &none, long, None),
            // Retries run out.
            (Method::GET, Status(s(500)), 3, &none, long, None),
            (Method::POST, ConnectFailed, 3, &none, long, None),
            // Retry-After: honoured on statuses, refused beyond the cap.
            (
                Method::GET,
                Status(s(503)),
                1,
                &after_5,
                long,
                Some(Retry(Duration::from_secs(5))),
            ),
            (
                Method::POST,
                Status(s(429)),
                1,
                &after_5,
                long,
                Some(Retry(Duration::from_secs(5))),
            ),
            (Method::GET, Status(s(429)), 1, &after_90, long, None),
            (Method::POST, Status(s(500)), 1, &after_5, long, None),
            // The deadline: no retry whose wait reaches it.
            (
                Method::GET,
                Status(s(500)),
                1,
                &none,
                Duration::from_millis(999),
                None,
            ),
            (
                Method::GET,
                Status(s(500)),
                1,
                &none,
                Duration::from_millis(1001),
                Some(retry),
            ),
            (
                Method::GET,
                Status(s(429)),
                1,
                &after_5,
                Duration::from_secs(4),
                None,
            ),
            (Method::GET, ConnectFailed, 1, &none, Duration::ZERO, None),
        ];
        for (method, outcome, attempt, headers, remaining, want) in rows {
            let got = decide(
                &p,
                &method,
                outcome,
                attempt,
                2,
                Some(headers),
                backoff,
                remaining,
            );
            match want {
                Some(want) => assert_eq!(got, want, "{method} {outcome:?} attempt {attempt}"),
                None => assert!(
                    matches!(got, Stop(_)),
                    "{method} {outcome:?} attempt {attempt} {remaining:?}: {got:?}"
                ),
            }
        }
        // Retries disabled: nothing is retried.
        assert!(matches!(
            decide(&p, &Method::GET, ConnectFailed, 1, 0, None, backoff, long),
            Stop(_)
        ));
    }
}
