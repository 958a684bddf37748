//! Cloudflare's response envelope: `{"success", "errors", "messages", "result"}`, with
//! `result_info` on a page of a list.

use serde_json::{json, Value};

/// The success envelope around `result` (an object or a list).
pub fn envelope(result: Value) -> Value {
    json!({ "success": true, "errors": [], "messages": [], "result": result })
}

/// The success envelope around a page of a list, with its `result_info`.
pub fn envelope_with_info(result: Value, result_info: Value) -> Value {
    let mut env = envelope(result);
    env["result_info"] = result_info;
    env
}

/// The failure envelope with one error.
pub fn failure(code: i64, message: &str) -> Value {
    json!({
        "success": false,
        "errors": [{ "code": code, "message": message }],
        "messages": [],
        "result": null
    })
}
