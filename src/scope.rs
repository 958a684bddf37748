//! Account or zone: the two places the Access APIs live.

/// Where an account-or-zone operation applies. Exactly one of the two, checked at compile time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope<'a> {
    /// `/accounts/{account_id}/…`
    Account(&'a str),
    /// `/zones/{zone_id}/…`
    Zone(&'a str),
}

impl<'a> Scope<'a> {
    /// The first path segment: `accounts` or `zones`.
    pub fn segment(&self) -> &'static str {
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
