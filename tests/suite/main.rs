//! End-to-end tests of the library, one module per topic, on the shared support layer
//! (`support/`, `cloudflare_mtls_test_support`). `tests/memory.rs` and `tests/tls.rs` are binaries
//! of their own: they need a process where nothing else runs (a peak RSS measure, the process-wide
//! crypto provider).

mod call_options;
mod calls;
mod errors;
mod fixtures_compile;
mod layout;
mod operations;
mod paging;
mod received;
mod retries;
mod safety;
mod secrets;
mod seed_file;
mod stand_in;
mod stand_in_admin;
mod stand_in_properties;
mod timeouts;
