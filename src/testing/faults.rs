//! Faults on demand: what the next matching requests get instead of the API's answer.

use super::api::Reply;
use super::record::RecordedRequest;
use std::time::Duration;

/// A fault for the next requests that match it, queued with [`StandIn::inject`](super::StandIn::inject).
///
/// By default a fault is used once, by the next request of any method and path; narrow it with
/// [`on`](Fault::on) or [`on_path`](Fault::on_path), repeat it with [`times`](Fault::times) or
/// [`always`](Fault::always).
///
/// ```
/// use cloudflare_mtls::testing::Fault;
/// use std::time::Duration;
///
/// // The next two listings of a zone's client certificates are rate limited.
/// let fault = Fault::rate_limited(Duration::from_secs(1))
///     .on("GET", "/zones/*/client_certificates")
///     .times(2);
/// // Every request about one zone fails, for the rest of the test.
/// let outage = Fault::server_error(503).on_path("/zones/7c5dae5552338874e5053f2534d2767a/**").always();
/// # let _ = (fault, outage);
/// ```
#[derive(Clone, Debug)]
pub struct Fault {
    pub(super) kind: FaultKind,
    pub(super) remaining: usize,
    method: Option<String>,
    path: Option<Vec<String>>,
}

/// What a fault does.
#[derive(Clone, Debug)]
pub(super) enum FaultKind {
    /// 429 with `Retry-After` (whole seconds, rounded up) and Cloudflare's error 971.
    RateLimited(Duration),
    /// A 5xx (or any status) with Cloudflare's JSON error envelope.
    ApiError {
        status: u16,
        code: i64,
        message: String,
    },
    /// The HTML page Cloudflare's edge sends with a 502.
    BadGatewayHtml,
    /// The normal answer, late.
    Delay(Duration),
    /// No answer: the connection is closed.
    DropConnection,
}

impl Fault {
    fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            remaining: 1,
            method: None,
            path: None,
        }
    }

    /// A 429 "Too Many Requests" with `Retry-After` (in whole seconds, rounded up) and
    /// Cloudflare's error 971.
    pub fn rate_limited(retry_after: Duration) -> Fault {
        Fault::new(FaultKind::RateLimited(retry_after))
    }

    /// A server error with status `status` (500, 503, …) in Cloudflare's JSON envelope (error
    /// code 10001).
    pub fn server_error(status: u16) -> Fault {
        Fault::api_error(status, 10001, "Internal server error")
    }

    /// Any API error: `status`, and one error with `code` and `message` in Cloudflare's envelope
    /// (`Fault::api_error(403, 10000, "Authentication error")`).
    pub fn api_error(status: u16, code: i64, message: &str) -> Fault {
        Fault::new(FaultKind::ApiError {
            status,
            code,
            message: message.to_owned(),
        })
    }

    /// A 502 "Bad Gateway" HTML page, as Cloudflare's edge sends when the API behind it is
    /// unreachable (not JSON).
    pub fn bad_gateway_html() -> Fault {
        Fault::new(FaultKind::BadGatewayHtml)
    }

    /// The normal answer, after `delay` (for timeouts).
    pub fn delay(delay: Duration) -> Fault {
        Fault::new(FaultKind::Delay(delay))
    }

    /// No answer: the connection is closed once the request is read.
    pub fn drop_connection() -> Fault {
        Fault::new(FaultKind::DropConnection)
    }

    /// Used by the next `n` matching requests (at least one).
    pub fn times(mut self, n: usize) -> Fault {
        self.remaining = n.max(1);
        self
    }

    /// Used by every matching request from now on.
    pub fn always(self) -> Fault {
        self.times(usize::MAX)
    }

    /// Only for requests with this method (case-insensitive) and a path matching `path`: see
    /// [`on_path`](Fault::on_path).
    pub fn on(mut self, method: &str, path: &str) -> Fault {
        self.method = Some(method.to_ascii_uppercase());
        self.on_path(path)
    }

    /// Only for requests whose path matches `path`, of any method. The pattern is a path
    /// without Cloudflare's `/client/v4` prefix; `*` stands for one segment and a final `**`
    /// for any number of segments: `/zones/*/client_certificates`, `/zones/<id>/**`.
    pub fn on_path(mut self, path: &str) -> Fault {
        self.path = Some(segments(path).map(str::to_owned).collect());
        self
    }

    /// Whether this fault applies to `req`.
    pub(super) fn matches(&self, req: &RecordedRequest) -> bool {
        if self
            .method
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case(&req.method))
        {
            return false;
        }
        match &self.path {
            None => true,
            Some(pattern) => path_matches(pattern, &req.path),
        }
    }
}

impl Fault {
    /// What the admin API's `GET /__admin/faults` shows of a queued fault.
    pub(super) fn describe(&self) -> serde_json::Value {
        let mut out = match &self.kind {
            FaultKind::RateLimited(after) => {
                serde_json::json!({ "kind": "rate_limited", "retry_after": after.as_secs_f64() })
            }
            FaultKind::ApiError {
                status,
                code,
                message,
            } => {
                serde_json::json!({ "kind": "api_error", "status": status, "code": code, "message": message })
            }
            FaultKind::BadGatewayHtml => serde_json::json!({ "kind": "bad_gateway_html" }),
            FaultKind::Delay(delay) => {
                serde_json::json!({ "kind": "delay", "seconds": delay.as_secs_f64() })
            }
            FaultKind::DropConnection => serde_json::json!({ "kind": "drop_connection" }),
        };
        out["method"] = self.method.clone().into();
        out["path"] = self
            .path
            .as_ref()
            .map(|p| format!("/{}", p.join("/")))
            .into();
        if self.remaining > usize::MAX / 2 {
            out["always"] = true.into();
        } else {
            out["times"] = self.remaining.into();
        }
        out
    }
}

/// Whether `path` matches the pattern `pattern` (as [`Fault::on_path`] takes it).
pub(super) fn matches_pattern(pattern: &str, path: &str) -> bool {
    let pattern: Vec<String> = segments(pattern).map(str::to_owned).collect();
    path_matches(&pattern, path)
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// `*` matches one segment, a final `**` the rest (also nothing).
fn path_matches(pattern: &[String], path: &str) -> bool {
    let mut actual = segments(path);
    for (i, want) in pattern.iter().enumerate() {
        if want == "**" && i + 1 == pattern.len() {
            return true;
        }
        match actual.next() {
            Some(seg) if want == "*" || want == seg => {}
            _ => return false,
        }
    }
    actual.next().is_none()
}

impl FaultKind {
    /// The answer this fault gives instead of the API's (not for delays and dropped
    /// connections, which the server handles).
    pub(super) fn reply(&self) -> Reply {
        match self {
            FaultKind::RateLimited(after) => {
                let secs = after.as_secs() + u64::from(after.subsec_nanos() > 0);
                Reply::error(
                    429,
                    971,
                    "Please wait and consider throttling your request speed",
                )
                .header("retry-after", secs.to_string())
            }
            FaultKind::ApiError {
                status,
                code,
                message,
            } => Reply::error(*status, *code, message),
            FaultKind::BadGatewayHtml => Reply {
                status: 502,
                headers: vec![("content-type".into(), "text/html".into())],
                body: BAD_GATEWAY_HTML.as_bytes().to_vec(),
                message: "502 Bad Gateway".into(),
            },
            FaultKind::Delay(_) | FaultKind::DropConnection => Reply::error(500, 10001, "fault"),
        }
    }
}

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(p: &str) -> Vec<String> {
        segments(p).map(str::to_owned).collect()
    }

    #[test]
    fn patterns_match_segments() {
        let p = pattern("/zones/*/client_certificates");
        assert!(path_matches(&p, "/zones/abc/client_certificates"));
        assert!(!path_matches(&p, "/zones/abc/client_certificates/x"));
        assert!(!path_matches(&p, "/accounts/abc/client_certificates"));
        let rest = pattern("/zones/abc/**");
        assert!(path_matches(&rest, "/zones/abc"));
        assert!(path_matches(
            &rest,
            "/zones/abc/origin_tls_client_auth/hostnames"
        ));
        assert!(!path_matches(&rest, "/zones/abd/origin_tls_client_auth"));
        assert!(path_matches(&pattern("/"), "/"));
    }
}
