//! Reading a whole paginated listing, with a spinner and a running count on stderr when stderr is
//! a terminal (never in a pipe, a file or a test).

use cloudflare_mtls::{Error, PageStream};
use futures::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Every item of `stream`; `what` names them in the spinner ("client certificates").
pub async fn collect<T: serde::de::DeserializeOwned + Send>(
    stream: PageStream<'_, T>,
    what: &str,
) -> Result<Vec<T>, Error> {
    let bar = on_stderr(what);
    let outcome = drain(stream, &bar).await;
    bar.finish_and_clear();
    outcome
}

/// Every item of `stream`, each counted on `bar` (one bar can count several listings read at
/// once).
pub async fn drain<T: serde::de::DeserializeOwned + Send>(
    stream: PageStream<'_, T>,
    bar: &ProgressBar,
) -> Result<Vec<T>, Error> {
    let mut stream = stream;
    let mut items = Vec::new();
    while let Some(item) = stream.try_next().await? {
        items.push(item);
        bar.inc(1);
    }
    Ok(items)
}

/// A spinner counting `what` on stderr when stderr is a terminal; else a hidden bar. The caller
/// clears it (`finish_and_clear`).
pub fn on_stderr(what: &str) -> ProgressBar {
    spinner(std::io::stderr().is_terminal(), what)
}

/// A spinner with a count, or a hidden bar that draws nothing.
fn spinner(on_terminal: bool, what: &str) -> ProgressBar {
    if !on_terminal {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} fetching {msg}: {pos}") {
        bar.set_style(style);
    }
    bar.set_message(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

#[cfg(test)]
mod tests {
    #[test]
    fn off_a_terminal_nothing_is_drawn() {
        assert!(super::spinner(false, "things").is_hidden());
    }
}
