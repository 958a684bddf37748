//! Generated inputs for the stand-in: paging over any number of items and page size, and any
//! sequence of revocations, reactivations and reads of an API Shield client certificate against
//! a model of Cloudflare's status lifecycle.

use cloudflare_mtls::testing::{csr, Seed, StandIn, TestCertificate, ACCOUNT_ID, ZONE_ID};
use cloudflare_mtls::types::*;
use cloudflare_mtls::Scope;
use futures::TryStreamExt;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn pem() -> &'static str {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| {
        TestCertificate::new("CN=Paged")
            .ca(true)
            .build()
            .certificate_pem
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `list_all` yields every item once, in as many requests as there are pages; a single page
    /// reports the totals as Cloudflare does: a page past the last one is empty, with the page
    /// asked for, `count: 0` and the real totals; an empty list has `total_pages: 0`.
    #[test]
    fn paging_covers_every_item_once(count in 0usize..30, per_page in 1i64..8, page in 1i64..6) {
        runtime().block_on(async {
            let s = StandIn::start().await;
            let scope = Scope::Zone(ZONE_ID);
            for i in 0..count {
                s.seed(Seed::access_certificate(scope, &format!("c{i}"), pem()));
            }
            let client = s.client();
            let certificates = client.access().certificates();
            let all: Vec<_> = certificates
                .list_all(scope, AccessCertificateListParams::new().per_page(per_page))
                .try_collect()
                .await
                .unwrap();
            let ids: BTreeSet<_> = all.iter().filter_map(|c| c.id.clone()).collect();
            prop_assert_eq!(all.len(), count);
            prop_assert_eq!(ids.len(), count);
            let per = usize::try_from(per_page).unwrap();
            prop_assert_eq!(s.requests().len(), count.div_ceil(per).max(1));

            let one = certificates
                .list(scope, AccessCertificateListParams::new().page(page).per_page(per_page))
                .await
                .unwrap();
            let skipped = (usize::try_from(page).unwrap() - 1) * per;
            prop_assert_eq!(one.items.len(), count.saturating_sub(skipped).min(per));
            let info = one.result_info.unwrap();
            prop_assert_eq!(info.total_count, Some(count as u64));
            prop_assert_eq!(info.total_pages, Some(count.div_ceil(per) as u64));
            prop_assert_eq!(info.page, Some(page as u64));
            prop_assert_eq!(info.per_page, Some(per_page as u64));
            prop_assert_eq!(info.count, Some(one.items.len() as u64));
            Ok(())
        })?;
    }
}

#[derive(Clone, Copy, Debug)]
enum Step {
    Revoke,
    Reactivate,
    Get,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![Just(Step::Revoke), Just(Step::Reactivate), Just(Step::Get)]
}

/// Cloudflare's lifecycle: the status a step answers (or the refusal), and the status after it.
fn model(status: &str, step: Step) -> (Result<&'static str, ()>, &'static str) {
    // A pending state settles with the next request.
    let settled = match status {
        "pending_revocation" => "revoked",
        "pending_reactivation" => "active",
        "active" => "active",
        _ => "revoked",
    };
    match (step, settled) {
        (Step::Get, now) => (Ok(now), now),
        (Step::Revoke, "active") => (Ok("pending_revocation"), "pending_revocation"),
        (Step::Revoke, now) => (Err(()), now),
        (Step::Reactivate, "revoked") => (Ok("pending_reactivation"), "pending_reactivation"),
        (Step::Reactivate, now) => (Err(()), now),
    }
}

fn name(status: &Option<ClientCertificateStatus>) -> &'static str {
    match status {
        Some(ClientCertificateStatus::Active) => "active",
        Some(ClientCertificateStatus::PendingReactivation) => "pending_reactivation",
        Some(ClientCertificateStatus::PendingRevocation) => "pending_revocation",
        Some(ClientCertificateStatus::Revoked) => "revoked",
        _ => "other",
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn client_certificate_statuses_follow_the_lifecycle(steps in prop::collection::vec(step(), 1..12)) {
        runtime().block_on(async {
            let s = StandIn::start().await;
            let id = s.seed(Seed::client_certificate(ZONE_ID, &csr("CN=lifecycle")));
            let client = s.client();
            let certs = client.client_certificates();
            let mut status = "active";
            for step in steps {
                let answer = match step {
                    Step::Get => certs.get(ZONE_ID, &id).await,
                    Step::Revoke => certs.delete(ZONE_ID, &id).await,
                    Step::Reactivate => {
                        certs
                            .edit(ZONE_ID, &id, &ClientCertificateEdit::new().reactivate(true))
                            .await
                    }
                };
                let (expected, next) = model(status, step);
                match (answer, expected) {
                    (Ok(cert), Ok(want)) => prop_assert_eq!(name(&cert.status), want, "{:?}", step),
                    (Err(e), Err(())) => prop_assert_eq!(e.codes(), vec![1004]),
                    (got, want) => prop_assert!(false, "{step:?} from {status}: got {got:?}, model {want:?}"),
                }
                status = next;
            }
            // The account is untouched by zone operations.
            let none = client.mtls_certificates().list(ACCOUNT_ID, Default::default()).await.unwrap();
            prop_assert!(none.is_empty());
            Ok(())
        })?;
    }
}
