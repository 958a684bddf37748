//! A raw HTTP/1.1 server on 127.0.0.1, a thread per connection, for what a mock server hides (the
//! request line exactly as it arrived, before any URL normalization) or cannot send (a malformed
//! head, a body that stalls or is cut, a body of hundreds of MiB, no answer at all).
//!
//! Each request is read whole (head, then body by `Content-Length`, which is dropped), recorded and
//! counted before it is answered by the server's [`Reply`].

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

/// A request as the raw server read it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The request line (`GET /path?query HTTP/1.1`), without its line end.
    pub line: String,
}

impl RawRequest {
    /// The request target: path and query, as sent.
    pub fn target(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or_default()
    }
}

/// A handler writing the answer to a request itself; the connection closes when it returns.
pub type Handler = dyn Fn(&RawRequest, &mut TcpStream) + Send + Sync;

/// How the server answers each request.
#[derive(Clone)]
pub enum Reply {
    /// A 200 `application/json` response with this body, then the connection closes.
    Json(String),
    /// The same, on a connection kept open for the next request.
    JsonKeepAlive(String),
    /// These bytes exactly (a malformed head is sent as it is), then the connection closes.
    Bytes(Vec<u8>),
    /// Nothing: the connection stays open until the client closes it.
    Hang,
    /// What the handler writes.
    With(Arc<Handler>),
}

impl Reply {
    /// A 200 response with `body` as JSON, then the connection closes.
    pub fn json(body: &serde_json::Value) -> Reply {
        Reply::Json(body.to_string())
    }

    /// What `handler` writes, then the connection closes.
    pub fn with(handler: impl Fn(&RawRequest, &mut TcpStream) + Send + Sync + 'static) -> Reply {
        Reply::With(Arc::new(handler))
    }
}

/// The running server; its threads live until the test process exits.
pub struct RawServer {
    uri: String,
    lines: Mutex<mpsc::Receiver<String>>,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    /// Starts a server answering every request with `reply`.
    pub fn start(reply: Reply) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let uri = format!("http://{}", listener.local_addr().expect("local addr"));
        let (tx, rx) = mpsc::channel();
        let requests = Arc::new(AtomicUsize::new(0));
        let count = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (reply, tx, count) = (reply.clone(), tx.clone(), count.clone());
                std::thread::spawn(move || serve(stream, &reply, &tx, &count));
            }
        });
        RawServer {
            uri,
            lines: Mutex::new(rx),
            requests,
        }
    }

    /// The base URL to point a client at.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// How many requests it has read whole.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The request lines received since the last call.
    pub fn request_lines(&self) -> Vec<String> {
        self.lines.lock().expect("lines lock").try_iter().collect()
    }

    /// The request targets (path and query) received since the last call.
    pub fn request_targets(&self) -> Vec<String> {
        self.request_lines()
            .iter()
            .map(|line| RawRequest { line: line.clone() }.target().to_string())
            .collect()
    }
}

/// Reads the requests of one connection and answers them, until the reply closes it.
fn serve(stream: TcpStream, reply: &Reply, lines: &mpsc::Sender<String>, count: &AtomicUsize) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        count.fetch_add(1, Ordering::SeqCst);
        // Recorded before answering: once the client has its response, the line is here.
        let _ = lines.send(request.line.clone());
        match reply {
            Reply::Json(body) => {
                let _ = writer.write_all(json_response(body, "connection: close\r\n").as_bytes());
            }
            Reply::JsonKeepAlive(body) => {
                if writer.write_all(json_response(body, "").as_bytes()).is_ok() {
                    continue;
                }
            }
            Reply::Bytes(bytes) => {
                let _ = writer.write_all(bytes);
            }
            Reply::Hang => while matches!(reader.read(&mut [0u8; 64]), Ok(n) if n > 0) {},
            Reply::With(handler) => handler(&request, &mut writer),
        }
        let _ = writer.flush();
        return;
    }
}

/// A 200 JSON response with `body` and the `extra` header lines.
fn json_response(body: &str, extra: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n{body}",
        body.len()
    )
}

/// One request: the head, then the body by `Content-Length`; `None` once the connection ends
/// before a whole request.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<RawRequest> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut content_length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        if header == "\r\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; content_length];
    reader.read_exact(&mut body).ok()?;
    Some(RawRequest {
        line: line.trim_end().to_string(),
    })
}
