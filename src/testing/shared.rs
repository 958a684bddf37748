//! What the server's tasks, the admin API and the test share: the API's state, the queued faults
//! and the record of requests.

use super::api::State;
use super::faults::{Fault, FaultKind};
use super::record::{RecordedRequest, Requests};
use super::seed::Seed;
use super::seed_file::{SeedFile, SeedFileError, Seeded};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// What the server's tasks and the test share. Each [`StandIn`](super::StandIn) method and each
/// admin API handler calls the one method of this type that does the work.
pub(super) struct Shared {
    pub base_url: String,
    state: Mutex<State>,
    faults: Mutex<Vec<Fault>>,
    requests: Requests,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// A stand-in's shared parts, with a fresh state (a new managed CA).
    pub fn new(base_url: String) -> std::io::Result<Shared> {
        Ok(Shared {
            base_url,
            state: Mutex::new(State::new()?),
            faults: Mutex::new(Vec::new()),
            requests: Requests::default(),
        })
    }

    pub fn seed(&self, seed: Seed) -> Result<String, String> {
        seed.apply(&mut lock(&self.state))
    }

    pub fn seed_file(&self, file: &SeedFile) -> Result<Seeded, SeedFileError> {
        file.apply(&mut lock(&self.state))
    }

    /// Records `request` and takes the first queued fault that matches it, counted down.
    pub fn record(&self, request: &RecordedRequest) -> Option<FaultKind> {
        self.requests.push(request.clone());
        let mut faults = lock(&self.faults);
        let index = faults.iter().position(|f| f.matches(request))?;
        let kind = faults[index].kind.clone();
        faults[index].remaining -= 1;
        if faults[index].remaining == 0 {
            faults.remove(index);
        }
        Some(kind)
    }

    /// The API's answer to `request`.
    pub fn handle(&self, request: &RecordedRequest) -> super::api::Reply {
        lock(&self.state).handle(request)
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.all()
    }

    pub fn clear_requests(&self) {
        self.requests.clear();
    }

    pub fn inject(&self, fault: Fault) {
        lock(&self.faults).push(fault);
    }

    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.faults).clone()
    }

    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    pub fn reset(&self) {
        lock(&self.state).clear();
        self.clear_faults();
        self.clear_requests();
    }

    pub fn managed_ca_pem(&self) -> String {
        lock(&self.state).managed_ca_pem().to_owned()
    }
}
