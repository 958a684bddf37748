//! The test credentials and ids. The token and the ids are the stand-in's
//! ([`cloudflare_mtls::testing`]), so that a client made for a mock server works against the
//! stand-in too; the account and zone ids differ, so that a mixed-up scope shows.

pub use cloudflare_mtls::testing::{ACCOUNT_ID, TOKEN, ZONE_ID};

/// The global API key of the key + email clients (the shape of Cloudflare's: 45 hex digits).
pub const API_KEY: &str = "c2547eb745079dac9320b638f5e225cf483cc5cfdda41";
/// The email of the key + email clients.
pub const EMAIL: &str = "user@example.com";
/// The user service key of the service-key clients (the shape of Cloudflare's).
pub const SERVICE_KEY: &str = "v1.0-e24fd090c02efcfecb4de8f4-4aa6ee72b71a3f7a4f3e1de36ce1fc";
