//! Cloudflare's answers: the envelope, `result_info` and paging, the error codes.

use serde_json::{json, Value};

/// An answer to one request.
pub(in crate::testing) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The error message, for an error (what a refused seed reports).
    pub message: String,
}

impl Reply {
    /// `status` with `body` as JSON (no envelope: the admin API's answers use it too).
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
            message: String::new(),
        }
    }

    /// `200`, `success: true`, `result`.
    pub fn ok(result: Value) -> Reply {
        Reply::json(
            200,
            &json!({ "success": true, "errors": [], "messages": [], "result": result }),
        )
    }

    /// `200` with a list result and its `result_info`.
    pub fn list(items: Vec<Value>, info: Value) -> Reply {
        Reply::json(
            200,
            &json!({
                "success": true, "errors": [], "messages": [],
                "result": items, "result_info": info,
            }),
        )
    }

    /// `success: false` with one error.
    pub fn error(status: u16, code: i64, message: &str) -> Reply {
        let mut reply = Reply::json(
            status,
            &json!({
                "success": false,
                "errors": [{ "code": code, "message": message }],
                "messages": [],
                "result": null,
            }),
        );
        reply.message = message.to_owned();
        reply
    }

    /// With another success status (Cloudflare's document has 201 and 202 for some operations).
    pub fn with_status(mut self, status: u16) -> Reply {
        self.status = status;
        self
    }

    /// With one more header.
    pub fn header(mut self, name: &str, value: String) -> Reply {
        self.headers.push((name.to_owned(), value));
        self
    }

    /// 400, 1001: the request body or a field of it is not what the operation takes.
    pub fn invalid(message: &str) -> Reply {
        Reply::error(400, 1001, message)
    }

    /// 400, 1002: a certificate, key or CSR that does not parse.
    pub fn bad_pem(field: &str, why: &str) -> Reply {
        Reply::error(400, 1002, &format!("{field}: {why}"))
    }

    /// 404, 1003.
    pub fn not_found(what: &str) -> Reply {
        Reply::error(404, 1003, &format!("{what} not found"))
    }

    /// 400, 1004: a state change or deletion the item's state does not allow.
    pub fn conflict(message: &str) -> Reply {
        Reply::error(400, 1004, message)
    }

    /// 400, 7000.
    pub fn no_route() -> Reply {
        Reply::error(400, 7000, "No route for that URI")
    }

    /// 405, 10405.
    pub fn method_not_allowed() -> Reply {
        Reply::error(405, 10405, "Method not allowed")
    }

    /// 413: a body larger than the stand-in reads.
    pub fn too_large() -> Reply {
        Reply::error(413, 1001, "Request body too large")
    }
}

/// How a list is paged: `page` and `per_page` from the query (with the operation's default and
/// maximum `per_page`), or `offset`/`limit` where the operation has them.
pub(in crate::testing) struct Paging {
    pub page: usize,
    pub per_page: usize,
    /// Set when the request paged by `offset`/`limit`.
    pub offset: Option<usize>,
}

impl Paging {
    /// The page of `items` and its `result_info`, as Cloudflare sends them: a page past the last
    /// one is an empty `result` (Cloudflare's SDKs stop on an empty page, and only there), with
    /// the `page` asked for, `count: 0` and the real totals; an empty list has `total_pages: 0`.
    pub fn apply(&self, items: Vec<Value>) -> Reply {
        let total = items.len();
        let start = match self.offset {
            Some(offset) => offset,
            None => (self.page - 1).saturating_mul(self.per_page),
        };
        let page: Vec<Value> = items.into_iter().skip(start).take(self.per_page).collect();
        let info = json!({
            "page": self.page,
            "per_page": self.per_page,
            "count": page.len(),
            "total_count": total,
            "total_pages": total.div_ceil(self.per_page),
        });
        Reply::list(page, info)
    }

    /// Every item on one page (lists Cloudflare does not page); none: `total_pages: 0`, as
    /// Cloudflare answers an empty list.
    pub fn unpaged(items: Vec<Value>) -> Reply {
        let count = items.len();
        let info = json!({
            "page": 1, "per_page": count.max(1), "count": count,
            "total_count": count, "total_pages": usize::from(count > 0),
        });
        Reply::list(items, info)
    }
}
