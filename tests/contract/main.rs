//! The contract tests, against Cloudflare's published OpenAPI document through Stoplight Prism.
//! Built only with `--features contract-tests`, run by `bash scripts/contract.sh`: stage 1 runs
//! `client` (`-- client::`, Prism serving mocks), stage 2 `stand_in` (`-- stand_in::`, Prism
//! proxying to the stand-in). Each needs the environment its stage sets: without it a test fails,
//! it never skips.

mod client;
mod shared;
mod stand_in;
