//! `cfmtls stand-in`: the library's stand-in of the API (`cloudflare_mtls::testing::StandIn`) as
//! a server process, until a signal or, when asked, the end of stdin.

use crate::args::StandInArgs;
use crate::errors::CliError;
use cloudflare_mtls::testing::{SeedFile, StandIn, ACCOUNT_ID, TOKEN, ZONE_ID};
use std::io::Read;
use std::net::SocketAddr;
use tokio::sync::oneshot;

pub async fn run(args: StandInArgs) -> Result<(), CliError> {
    // The seed file is read first: a bad one fails before anything listens.
    let seed = args
        .seed
        .as_deref()
        .map(SeedFile::read)
        .transpose()
        .map_err(|e| CliError::Input(e.to_string()))?;
    let addr = SocketAddr::new(args.host, args.port);
    let stand_in = StandIn::bind(addr)
        .await
        .map_err(|e| CliError::Other(format!("cannot listen on {addr}: {e}")))?;
    let (account, zone) = match &seed {
        Some(file) => {
            stand_in
                .seed_file(file)
                .map_err(|e| CliError::Input(e.to_string()))?;
            (file.account_id().to_owned(), file.zone_id().to_owned())
        }
        None => (ACCOUNT_ID.to_owned(), ZONE_ID.to_owned()),
    };
    let base_url = stand_in.base_url();
    if args.env {
        println!("export CLOUDFLARE_BASE_URL={base_url}");
        println!("export CLOUDFLARE_API_TOKEN={TOKEN}");
        println!("export CLOUDFLARE_ACCOUNT_ID={account}");
        println!("export CLOUDFLARE_ZONE_ID={zone}");
        println!("export CFMTLS_ALLOW_HTTP=true");
    } else {
        println!("base URL   {base_url}");
        println!("token      {TOKEN}");
        println!("account    {account}");
        println!("zone       {zone}");
        println!("admin API  {}", stand_in.admin_url());
    }
    eprintln!(
        "cfmtls stand-in: serving Cloudflare's mTLS API on {base_url}, admin API on {}; stop with Ctrl-C{}",
        stand_in.admin_url(),
        if args.stop_on_stdin_close {
            " or by closing stdin"
        } else {
            ""
        }
    );
    let why = stopped(args.stop_on_stdin_close).await?;
    drop(stand_in);
    eprintln!("cfmtls stand-in: stopped ({why})");
    Ok(())
}

/// Waits for SIGINT, SIGTERM or (when `stdin_close`) the end of stdin; which one came.
async fn stopped(stdin_close: bool) -> Result<&'static str, CliError> {
    let stdin = stdin_closed(stdin_close);
    let interrupted = tokio::signal::ctrl_c();
    let terminated = terminated()?;
    tokio::select! {
        result = interrupted => result
            .map(|()| "SIGINT")
            .map_err(|e| CliError::Other(format!("cannot wait for Ctrl-C: {e}"))),
        () = terminated => Ok("SIGTERM"),
        Ok(()) = stdin => Ok("stdin closed"),
    }
}

/// Resolves at the end of stdin; never when not `watch`. A thread of its own reads it (a
/// blocking read; the thread ends with the process).
fn stdin_closed(watch: bool) -> oneshot::Receiver<()> {
    let (tx, rx) = oneshot::channel();
    if watch {
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            let mut stdin = std::io::stdin().lock();
            // Anything written to stdin is ignored; an error counts as closed.
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            let _ = tx.send(());
        });
    } else {
        // Kept alive for the whole run, so the receiver never resolves.
        std::mem::forget(tx);
    }
    rx
}

/// Resolves on SIGTERM (on Unix; never elsewhere).
#[cfg(unix)]
fn terminated() -> Result<impl std::future::Future<Output = ()>, CliError> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())
        .map_err(|e| CliError::Other(format!("cannot wait for SIGTERM: {e}")))?;
    Ok(async move {
        term.recv().await;
    })
}

#[cfg(not(unix))]
fn terminated() -> Result<impl std::future::Future<Output = ()>, CliError> {
    Ok(std::future::pending())
}
