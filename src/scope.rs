//! Account or zone: the two places the Access APIs live.

/// Where an Access operation applies: an account or a zone. Each Access method takes one, and
/// sends the request under `/accounts/{id}/…` or `/zones/{id}/…`.
///
/// ```no_run
/// use cloudflare_mtls::{Client, Error, Scope};
///
/// # async fn run(client: &Client) -> Result<(), Error> {
/// let account = Scope::Account("023e105f4ecef8ad9ca31a8372d0c353");
/// let zone = Scope::Zone("699d98642c564d2e855e9661899b7252");
/// let in_account = client.access().certificates().list(account, Default::default()).await?;
/// let in_zone = client.access().certificates().list(zone, Default::default()).await?;
/// println!("{} + {}", in_account.items.len(), in_zone.items.len());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope<'a> {
    /// An account, by its id: `/accounts/{account_id}/…`.
    Account(&'a str),
    /// A zone, by its id: `/zones/{zone_id}/…`.
    Zone(&'a str),
}

impl<'a> Scope<'a> {
    /// The first path segment: `accounts` or `zones`. Used by the generated code; unused when the
    /// spec has no operation that takes a scope.
    #[allow(dead_code)]
    pub(crate) fn segment(&self) -> &'static str {
        match self {
            Scope::Account(_) => "accounts",
            Scope::Zone(_) => "zones",
        }
    }

    /// The account or zone id.
    pub fn id(&self) -> &'a str {
        match self {
            Scope::Account(id) | Scope::Zone(id) => id,
        }
    }
}
