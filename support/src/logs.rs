//! Log output collected in memory. A test binary has one global subscriber: it is installed on the
//! first call of [`logs`], with one layer per [`Detail`], each filtered on its own and writing into
//! its own [`Capture`], so that a test reads the records at the level it looks at.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// How much of the logs a capture holds.
#[derive(Debug, Clone, Copy)]
pub enum Detail {
    /// This crate's warnings (`cloudflare_mtls=warn`): the degraded fields of received data.
    Warnings,
    /// Everything at DEBUG and above, from every target.
    Debug,
    /// Everything at TRACE from every target (the `log` records of reqwest included), with the
    /// span-close events that show each span's final fields; the mock server's own logs
    /// (`wiremock`, the test's server, not the client) left out.
    Trace,
}

/// What has been logged at `detail` in this process (the tests of a binary share it; each looks
/// for its own lines).
pub fn logs(detail: Detail) -> &'static Capture {
    static CAPTURES: OnceLock<[Capture; 3]> = OnceLock::new();
    let captures = CAPTURES.get_or_init(|| {
        let captures: [Capture; 3] = Default::default();
        let [warnings, debug, trace] = captures.clone();
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(warnings)
                    .with_filter(EnvFilter::new("cloudflare_mtls=warn")),
            )
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(debug)
                    .with_filter(EnvFilter::new("debug")),
            )
            .with(
                tracing_subscriber::fmt::layer()
                    .with_span_events(FmtSpan::CLOSE)
                    .with_ansi(false)
                    .with_writer(trace)
                    .with_filter(EnvFilter::new("trace,wiremock=off")),
            )
            .try_init()
            .expect("the only global subscriber");
        captures
    });
    &captures[detail as usize]
}

/// Everything written to it, shared by its clones.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log lock")).into_owned()
    }

    /// Whether a line written so far contains `needle`.
    pub fn contains(&self, needle: &str) -> bool {
        self.text().contains(needle)
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}
