//! What the tests of `cloudflare-mtls` (`tests/`), of `cfmtls` (`cli/tests/`) and the benchmarks
//! (`bench/`) share, so that each is written once:
//!
//! - [`ids`]: the one test token, account id and zone id (the stand-in's), and the other
//!   credentials;
//! - [`clients`]: clients of this crate pointed at a test server, with each kind of credentials;
//! - [`envelope`](mod@envelope): Cloudflare's response envelopes (object, list, paged list, failure);
//! - [`raw`]: a raw HTTP/1.1 server for what a mock server hides or cannot send;
//! - [`mock`] (feature `mock`): wiremock responses and request matchers;
//! - [`logs`](mod@logs) (feature `logs`): log output captured in memory;
//! - [`dates`]: UTC date-times;
//! - [`modules`] (feature `modules`): the import graph of a folder's modules, and its circles.
//!
//! Not published: a workspace crate, a dev-dependency of the library and the CLI.

pub mod clients;
pub mod dates;
pub mod envelope;
pub mod ids;
#[cfg(feature = "logs")]
pub mod logs;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "modules")]
pub mod modules;
pub mod raw;

pub use clients::*;
pub use dates::*;
pub use envelope::*;
pub use ids::*;
#[cfg(feature = "logs")]
pub use logs::*;
#[cfg(feature = "mock")]
pub use mock::*;
pub use raw::*;
