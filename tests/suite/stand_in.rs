//! The stand-in (`cloudflare_mtls::testing`) through the public client: state across all 38
//! operations, Cloudflare's envelope, paging and errors, seeding, recorded requests and faults.

use cloudflare_mtls::testing::{
    csr, Fault, Seed, StandIn, TestCertificate, ACCOUNT_ID, API_KEY, TOKEN, ZONE_ID,
};
use cloudflare_mtls::types::*;
use cloudflare_mtls::{Client, Credentials, Error, Scope};
use futures::TryStreamExt;
use std::time::{Duration, SystemTime};

const OTHER_ZONE: &str = "699d98642c564d2e855e9661899b7252";

fn ca(subject: &str) -> String {
    TestCertificate::new(subject)
        .ca(true)
        .build()
        .certificate_pem
}

/// A fresh stand-in and a token client of it.
async fn stand_in_and_client() -> (StandIn, Client) {
    let s = StandIn::start().await;
    let client = s.client();
    (s, client)
}

/// The zone's origin-pull certificates, through `client`.
async fn zone_origin_pulls(
    client: &Client,
    zone: &str,
) -> Result<Vec<ZoneAuthenticatedOriginPull>, Error> {
    client
        .origin_tls_client_auth()
        .zone_certificates()
        .list(zone)
        .await
}

/// The JSON body of the answer to `request`, which the stand-in must refuse as a bad request (400).
async fn refused_raw(request: reqwest::RequestBuilder) -> serde_json::Value {
    let answer = request.send().await.unwrap();
    assert_eq!(answer.status(), 400);
    answer.json().await.unwrap()
}

/// `err` is of the kind `is` tells, with the one error code `code`.
fn assert_refused(err: &Error, is: fn(&Error) -> bool, code: i64) {
    assert!(is(err), "{err:?}");
    assert_eq!(codes(err), [code]);
}

fn codes(e: &Error) -> Vec<i64> {
    e.codes()
}

/// The error codes of `call`, which the stand-in must refuse.
async fn refused_codes<T: std::fmt::Debug>(
    call: impl std::future::IntoFuture<Output = Result<T, Error>>,
) -> Vec<i64> {
    codes(&call.await.unwrap_err())
}

/// The associations of the account's mTLS certificate `id`, and the error of deleting it (it is
/// in use).
async fn associations_and_refused_delete(
    client: &Client,
    id: &str,
) -> (Vec<MtlsCertificateAssociation>, Error) {
    let mtls = client.mtls_certificates();
    let associations = mtls
        .associations()
        .list(ACCOUNT_ID, id)
        .await
        .expect("the associations");
    let refused = mtls
        .delete(ACCOUNT_ID, id)
        .await
        .expect_err("a certificate in use is not deleted");
    (associations, refused)
}

#[tokio::test]
async fn account_mtls_certificates_keep_state_and_read_the_certificate() {
    let (_stand_in, client) = stand_in_and_client().await;
    let mtls = client.mtls_certificates();
    let expires = SystemTime::now() + Duration::from_secs(40 * 86_400);
    let made = TestCertificate::new("CN=Example Root CA,O=Example Corp,C=US")
        .ca(true)
        .validity(SystemTime::now(), expires)
        .build();
    let body = MtlsCertificateCreate::new(true, made.certificate_pem.clone()).name("root");
    let created = mtls.create(ACCOUNT_ID, &body).await.unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(id.len(), 32);
    assert_eq!(
        created.issuer.as_deref(),
        Some("CN=Example Root CA,O=Example Corp,C=US")
    );
    assert_eq!(created.signature.as_deref(), Some("ECDSAWithSHA256"));
    let expiry = created.expires_on.unwrap();
    let wanted = chrono::DateTime::<chrono::Utc>::from(expires);
    assert!(
        (expiry - wanted).num_seconds().abs() <= 1,
        "{expiry} vs {wanted}"
    );
    assert!(created
        .serial_number
        .as_deref()
        .is_some_and(|s| s.len() == 32));

    let listed = mtls.list(ACCOUNT_ID, Default::default()).await.unwrap();
    assert_eq!(listed.len(), 1);
    let filtered = mtls
        .list(
            ACCOUNT_ID,
            MtlsCertificateListParams::new().type_(vec![MtlsCertificateType::GatewayManaged]),
        )
        .await
        .unwrap();
    assert!(filtered.is_empty());
    let got = mtls.get(ACCOUNT_ID, &id).await.unwrap();
    assert_eq!(got.name.as_deref(), Some("root"));
    let associations = mtls.associations().list(ACCOUNT_ID, &id).await.unwrap();
    assert!(associations.is_empty());
    // Another account does not see it.
    let elsewhere = mtls
        .get("00000000000000000000000000000001", &id)
        .await
        .unwrap_err();
    assert!(elsewhere.is_not_found(), "{elsewhere}");

    mtls.delete(ACCOUNT_ID, &id).await.unwrap();
    let gone = mtls.get(ACCOUNT_ID, &id).await.unwrap_err();
    assert_refused(&gone, Error::is_not_found, 1003);
}

#[tokio::test]
async fn a_certificate_in_use_cannot_be_deleted() {
    let s = StandIn::start().await;
    let id = s.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &ca("CN=In Use"))
            .ca(true)
            .association("gateway", "active"),
    );
    let client = s.client();
    let (associations, refused) = associations_and_refused_delete(&client, &id).await;
    assert_eq!(associations.len(), 1);
    assert_eq!(associations[0].service.as_deref(), Some("gateway"));
    assert_refused(&refused, Error::is_bad_request, 1004);
}

#[tokio::test]
async fn access_certificates_and_settings_live_on_both_scopes() {
    let (s, client) = stand_in_and_client().await;
    let access = client.access();
    let pem = ca("CN=Devices CA");
    for scope in [Scope::Account(ACCOUNT_ID), Scope::Zone(ZONE_ID)] {
        let created = access
            .certificates()
            .create(
                scope,
                &AccessCertificateCreate::new(pem.clone(), "devices")
                    .associated_hostnames(vec!["admin.example.com".into()]),
            )
            .await
            .unwrap();
        let id = created.id.clone().unwrap();
        assert!(created
            .fingerprint
            .as_deref()
            .is_some_and(|f| f.starts_with("MD5 Fingerprint=")));
        let page = access
            .certificates()
            .list(scope, Default::default())
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        // The delete is refused while hostnames are associated.
        assert_eq!(
            refused_codes(access.certificates().delete(scope, &id)).await,
            [1004]
        );
        let updated = access
            .certificates()
            .update(
                scope,
                &id,
                &AccessCertificateUpdate::new(Vec::new()).name("devices-2026"),
            )
            .await
            .unwrap();
        assert_eq!(updated.name.as_deref(), Some("devices-2026"));
        assert!(updated.associated_hostnames.unwrap_or_default().is_empty());
        let got = access.certificates().get(scope, &id).await.unwrap();
        assert_eq!(got.name.as_deref(), Some("devices-2026"));

        let settings = access
            .certificates()
            .settings()
            .update(
                scope,
                &AccessCertificateSettingsUpdate::new(vec![AccessCertificateSettings::new(
                    false,
                    true,
                    "admin.example.com",
                )]),
            )
            .await
            .unwrap();
        assert_eq!(settings.len(), 1);
        let read = access.certificates().settings().get(scope).await.unwrap();
        assert!(read[0].client_certificate_forwarding);

        let deleted = access.certificates().delete(scope, &id).await.unwrap();
        assert_eq!(deleted.id.as_deref(), Some(id.as_str()));
    }
    // Names are unique per scope, on create and on rename.
    let scope = Scope::Account(ACCOUNT_ID);
    let one = access
        .certificates()
        .create(scope, &AccessCertificateCreate::new(pem.clone(), "one"))
        .await
        .unwrap();
    let two = access
        .certificates()
        .create(scope, &AccessCertificateCreate::new(pem.clone(), "two"))
        .await
        .unwrap();
    assert_eq!(
        refused_codes(
            access
                .certificates()
                .create(scope, &AccessCertificateCreate::new(pem.clone(), "one"))
        )
        .await,
        [1004]
    );
    let rename = AccessCertificateUpdate::new(Vec::new()).name("one");
    assert_eq!(
        refused_codes(
            access
                .certificates()
                .update(scope, two.id.as_deref().unwrap(), &rename)
        )
        .await,
        [1004]
    );
    access
        .certificates()
        .update(scope, one.id.as_deref().unwrap(), &rename)
        .await
        .unwrap();
    // Wrong scope: the account's certificate is not found under a zone.
    let id = s.seed(Seed::access_certificate(
        Scope::Account(ACCOUNT_ID),
        "account-only",
        &pem,
    ));
    let e = access
        .certificates()
        .get(Scope::Zone(ZONE_ID), &id)
        .await
        .unwrap_err();
    assert!(e.is_not_found());
}

#[tokio::test]
async fn access_lists_page_for_real() {
    let s = StandIn::start().await;
    let pem = ca("CN=Paged CA");
    for i in 0..7 {
        s.seed(Seed::access_certificate(
            Scope::Account(ACCOUNT_ID),
            &format!("cert-{i}"),
            &pem,
        ));
    }
    let client = s.client();
    let certificates = client.access().certificates();
    let page = certificates
        .list(
            Scope::Account(ACCOUNT_ID),
            AccessCertificateListParams::new().page(3).per_page(3),
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let info = page.result_info.unwrap();
    assert_eq!(info.total_count, Some(7));
    assert_eq!(info.total_pages, Some(3));
    s.clear_requests();
    let all: Vec<_> = certificates
        .list_all(
            Scope::Account(ACCOUNT_ID),
            AccessCertificateListParams::new().per_page(3),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(s.requests().len(), 3, "three pages");
}

#[tokio::test]
async fn client_certificates_go_through_the_status_lifecycle() {
    let (s, client) = stand_in_and_client().await;
    let certs = client.client_certificates();
    let created = certs
        .create(
            ZONE_ID,
            &ClientCertificateCreate::new(
                csr("CN=billing-service,OU=API Clients,O=Example Corp,L=San Francisco,ST=California,C=US"),
                30,
            ),
        )
        .await
        .unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(created.status, Some(ClientCertificateStatus::Active));
    assert_eq!(created.common_name.as_deref(), Some("billing-service"));
    assert_eq!(created.organizational_unit.as_deref(), Some("API Clients"));
    assert_eq!(created.country.as_deref(), Some("US"));
    assert_eq!(created.validity_days, Some(30));
    // Issued by the stand-in's managed CA, for the CSR's key.
    let issued = created.certificate.clone().unwrap();
    assert!(issued.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(s
        .managed_ca_pem()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(
        created.fingerprint_sha256.as_deref().map(str::len),
        Some(64)
    );
    assert_eq!(created.ski.as_deref().map(str::len), Some(40));

    let revoking = certs.delete(ZONE_ID, &id).await.unwrap();
    assert_eq!(
        revoking.status,
        Some(ClientCertificateStatus::PendingRevocation)
    );
    let revoked = certs.get(ZONE_ID, &id).await.unwrap();
    assert_eq!(revoked.status, Some(ClientCertificateStatus::Revoked));
    assert_eq!(refused_codes(certs.delete(ZONE_ID, &id)).await, [1004]);

    let reactivating = certs
        .edit(ZONE_ID, &id, &ClientCertificateEdit::new().reactivate(true))
        .await
        .unwrap();
    assert_eq!(
        reactivating.status,
        Some(ClientCertificateStatus::PendingReactivation)
    );
    let active = certs.get(ZONE_ID, &id).await.unwrap();
    assert_eq!(active.status, Some(ClientCertificateStatus::Active));
    assert_eq!(
        refused_codes(certs.edit(ZONE_ID, &id, &ClientCertificateEdit::new().reactivate(true)))
            .await,
        [1004]
    );
}

#[tokio::test]
async fn client_certificate_lists_filter_and_page_by_page_or_offset() {
    let s = StandIn::start().await;
    for i in 0..12 {
        let seed = Seed::client_certificate(ZONE_ID, &csr(&format!("CN=client-{i}")));
        s.seed(if i % 4 == 0 {
            seed.status(ClientCertificateStatus::Revoked)
        } else {
            seed
        });
    }
    let client = s.client();
    let certs = client.client_certificates();
    let active: Vec<_> = certs
        .list_all(
            ZONE_ID,
            ClientCertificateListParams::new()
                .status(ClientCertificateStatusFilter::Active)
                .per_page(5),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(active.len(), 9);
    let window = certs
        .list(
            ZONE_ID,
            ClientCertificateListParams::new().limit(5).offset(10),
        )
        .await
        .unwrap();
    assert_eq!(window.items.len(), 2);
    let too_big = certs
        .list(ZONE_ID, ClientCertificateListParams::new().per_page(51))
        .await
        .unwrap_err();
    assert_refused(&too_big, Error::is_bad_request, 1001);
}

#[tokio::test]
async fn zone_origin_pulls_deploy_and_delete() {
    let (_stand_in, client) = stand_in_and_client().await;
    let aop = client.origin_tls_client_auth();
    let leaf = TestCertificate::new("CN=origin-pull.example.com").build();
    let created = aop
        .zone_certificates()
        .create(
            ZONE_ID,
            &OriginPullCertificateCreate::new(
                leaf.certificate_pem.clone(),
                leaf.private_key_pem.clone(),
            ),
        )
        .await
        .unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(
        created.status,
        Some(ZoneAuthenticatedOriginPullStatus::PendingDeployment)
    );
    let got = aop.zone_certificates().get(ZONE_ID, &id).await.unwrap();
    assert_eq!(got.status, Some(ZoneAuthenticatedOriginPullStatus::Active));
    assert_eq!(
        aop.zone_certificates().list(ZONE_ID).await.unwrap().len(),
        1
    );

    assert_eq!(
        aop.settings().get(ZONE_ID).await.unwrap().enabled,
        Some(false)
    );
    let on = aop
        .settings()
        .update(ZONE_ID, &ZoneSettingUpdate::new(true))
        .await
        .unwrap();
    assert_eq!(on.enabled, Some(true));

    let deleting = aop.zone_certificates().delete(ZONE_ID, &id).await.unwrap();
    assert_eq!(
        deleting.status,
        Some(ZoneAuthenticatedOriginPullStatus::PendingDeletion)
    );
    assert!(aop
        .zone_certificates()
        .list(ZONE_ID)
        .await
        .unwrap()
        .is_empty());

    // A key that is not a key is refused, naming the field.
    let bad = aop
        .zone_certificates()
        .create(
            ZONE_ID,
            &OriginPullCertificateCreate::new(leaf.certificate_pem, "not a key"),
        )
        .await
        .unwrap_err();
    assert_eq!(codes(&bad), [1002]);
    assert!(bad.to_string().contains("private_key"), "{bad}");
}

#[tokio::test]
async fn per_hostname_origin_pulls_associate_and_void_with_null() {
    let (s, client) = stand_in_and_client().await;
    let hostnames = client.origin_tls_client_auth().hostnames();
    let hcerts = client.origin_tls_client_auth().hostname_certificates();
    let leaf = TestCertificate::new("CN=app.example.com").build();
    let cert = hcerts
        .create(
            ZONE_ID,
            &HostnameCertificateCreate::new(leaf.certificate_pem, leaf.private_key_pem),
        )
        .await
        .unwrap();
    let cert_id = cert.id.clone().unwrap();
    assert_eq!(hcerts.list(ZONE_ID).await.unwrap().len(), 1);
    assert!(hcerts.get(ZONE_ID, &cert_id).await.is_ok());

    let associate = HostnameOriginPullUpdate::new(vec![HostnameOriginPullConfig::new()
        .hostname("app.example.com")
        .cert_id(cert_id.clone())
        .enabled(true)]);
    let set = hostnames.update(ZONE_ID, &associate).await.unwrap();
    assert_eq!(set.len(), 1);
    let status = hostnames.get(ZONE_ID, "app.example.com").await.unwrap();
    assert_eq!(status.enabled, Some(true));
    assert_eq!(status.cert_id.as_deref(), Some(cert_id.as_str()));

    // In use: the certificate cannot be deleted.
    assert_eq!(
        refused_codes(hcerts.delete(ZONE_ID, &cert_id)).await,
        [1004]
    );

    let void = HostnameOriginPullUpdate::new(vec![HostnameOriginPullConfig::new()
        .hostname("app.example.com")
        .cert_id(cert_id.clone())
        .enabled(cloudflare_mtls::Nullable::Null)]);
    hostnames.update(ZONE_ID, &void).await.unwrap();
    let sent = s.requests().last().unwrap().json().unwrap();
    assert_eq!(sent["config"][0]["enabled"], serde_json::Value::Null);
    let gone = hostnames.get(ZONE_ID, "app.example.com").await.unwrap_err();
    assert!(gone.is_not_found());
    hcerts.delete(ZONE_ID, &cert_id).await.unwrap();
}

#[tokio::test]
async fn answers_like_cloudflare_for_credentials_routes_and_bodies() {
    let s = StandIn::start().await;
    let none = Client::builder()
        .base_url(s.base_url())
        .allow_http(true)
        .credentials(Credentials::Token("wrong".into()))
        .build()
        .unwrap();
    let e = none
        .mtls_certificates()
        .list(ACCOUNT_ID, Default::default())
        .await
        .unwrap_err();
    assert_refused(&e, Error::is_forbidden, 10000);

    let raw = cloudflare_mtls_test_support::plain_reqwest();
    let url = |path: &str| format!("{}{path}", s.base_url());
    let mtls_at = url(&format!("/accounts/{ACCOUNT_ID}/mtls_certificates"));
    let body = refused_raw(raw.get(&mtls_at)).await;
    assert_eq!(body["errors"][0]["code"], 9106);
    assert_eq!(body["success"], false);

    // Key and email work too.
    let keyed = s
        .client_builder()
        .credentials(Credentials::KeyAndEmail {
            key: API_KEY.into(),
            email: "dev@example.com".into(),
        })
        .build()
        .unwrap();
    keyed
        .mtls_certificates()
        .list(ACCOUNT_ID, Default::default())
        .await
        .unwrap();

    // A token without `Bearer`.
    let body = refused_raw(raw.get(&mtls_at).header("authorization", TOKEN)).await;
    assert_eq!(body["errors"][0]["code"], 6003);

    let client = s.client();
    for zone in ["not-a-zone", &ZONE_ID.to_uppercase()] {
        let bad_zone = zone_origin_pulls(&client, zone).await.unwrap_err();
        assert_eq!(codes(&bad_zone), [7003], "{zone}");
    }
    let no_route = raw.get(url(&format!("/zones/{ZONE_ID}/mtls_certificates")));
    let body = refused_raw(no_route.bearer_auth(TOKEN)).await;
    assert_eq!(body["errors"][0]["code"], 7000);

    let client_certs_at = url(&format!("/zones/{ZONE_ID}/client_certificates"));
    let create =
        |body: serde_json::Value| raw.post(&client_certs_at).bearer_auth(TOKEN).json(&body);
    let body = refused_raw(create(serde_json::json!({ "validity_days": 30 }))).await;
    assert_eq!(body["errors"][0]["message"], "csr: is required");
    // Out of range, also beyond u32 and with a CSR that does not parse: the days are checked first.
    for days in [
        serde_json::json!(0),
        serde_json::json!(3651),
        serde_json::json!(u64::MAX),
    ] {
        let body = refused_raw(create(
            serde_json::json!({ "csr": "not a CSR", "validity_days": days }),
        ))
        .await;
        assert_eq!(
            body["errors"][0]["message"], "validity_days: must be an integer from 1 to 3650",
            "{days}"
        );
    }

    assert_eq!(
        refused_codes(client.mtls_certificates().create(
            ACCOUNT_ID,
            &MtlsCertificateCreate::new(
                true,
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            ),
        ))
        .await,
        [1002]
    );
}

#[tokio::test]
async fn faults_rate_limit_then_recover() {
    let s = StandIn::start().await;
    s.inject(Fault::rate_limited(Duration::from_secs(1)).on("GET", "/zones/*/client_certificates"));
    let client = s.client();
    let page = client
        .client_certificates()
        .list(ZONE_ID, Default::default())
        .await
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(s.requests().len(), 2, "the 429, then the retry");
}

#[tokio::test]
async fn faults_server_errors_html_delays_and_dropped_connections() {
    let s = StandIn::start().await;
    let once = s.client_builder().max_retries(0).build().unwrap();

    s.inject(Fault::server_error(503));
    let e = zone_origin_pulls(&once, ZONE_ID).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert!(e.is_server_error());

    s.inject(Fault::bad_gateway_html());
    let e = zone_origin_pulls(&once, ZONE_ID).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(502));
    assert!(e
        .api()
        .and_then(|a| a.body_snippet.as_deref())
        .is_some_and(|b| b.contains("Bad Gateway")));

    s.inject(Fault::delay(Duration::from_secs(3)));
    let impatient = s
        .client_builder()
        .max_retries(0)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = zone_origin_pulls(&impatient, ZONE_ID).await.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");

    s.inject(Fault::drop_connection());
    let e = zone_origin_pulls(&once, ZONE_ID).await.unwrap_err();
    assert!(matches!(e, Error::Http(_) | Error::Connect(_)), "{e:?}");

    // With retries, a dropped GET is retried and succeeds.
    s.inject(Fault::drop_connection());
    zone_origin_pulls(&s.client(), ZONE_ID).await.unwrap();

    // Faults that match nothing stay queued; path and method narrow them.
    s.inject(
        Fault::server_error(500)
            .on_path(&format!("/zones/{OTHER_ZONE}/**"))
            .always(),
    );
    zone_origin_pulls(&s.client(), ZONE_ID).await.unwrap();
    for _ in 0..2 {
        let e = zone_origin_pulls(&once, OTHER_ZONE).await.unwrap_err();
        assert!(e.is_server_error());
    }
}

#[tokio::test]
async fn requests_are_recorded_as_sent() {
    let (s, client) = stand_in_and_client().await;
    client
        .client_certificates()
        .list(ZONE_ID, ClientCertificateListParams::new().per_page(5))
        .await
        .unwrap();
    let requests = s.requests();
    let last = requests.last().unwrap();
    assert_eq!(last.method, "GET");
    assert_eq!(last.path, format!("/zones/{ZONE_ID}/client_certificates"));
    assert_eq!(last.query.as_deref(), Some("per_page=5"));
    assert_eq!(
        last.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

/// The `type` filter: repeated keys (as the client and Cloudflare's SDKs send it) and
/// comma-separated values (as Cloudflare's reference describes it) answer the union; an unknown
/// type is refused with Cloudflare's validation error.
#[tokio::test]
async fn mtls_certificate_type_filter_takes_several_types() {
    let s = StandIn::start().await;
    let pem = ca("CN=Types");
    let custom = s.seed(Seed::mtls_certificate(ACCOUNT_ID, &pem));
    let gateway = s.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &pem)
            .certificate_type(MtlsCertificateType::GatewayManaged),
    );
    let access = s.seed(
        Seed::mtls_certificate(ACCOUNT_ID, &pem)
            .certificate_type(MtlsCertificateType::AccessManaged),
    );
    let client = s.client();
    let mtls = client.mtls_certificates();
    let ids = |certs: Vec<MtlsCertificate>| {
        let mut v: Vec<String> = certs.into_iter().filter_map(|c| c.id).collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let both = mtls
        .list(
            ACCOUNT_ID,
            MtlsCertificateListParams::new().type_(vec![
                MtlsCertificateType::Custom,
                MtlsCertificateType::GatewayManaged,
            ]),
        )
        .await
        .unwrap();
    assert_eq!(ids(both), sorted(vec![custom.clone(), gateway.clone()]));
    let sent = s.requests().last().and_then(|r| r.query.clone());
    assert_eq!(sent.as_deref(), Some("type=custom&type=gateway_managed"));
    // The comma-separated form, and both forms at once.
    for query in ["gateway_managed,access_managed", "gateway_managed"] {
        let mut call = client
            .mtls_certificates()
            .list(ACCOUNT_ID, Default::default());
        call = call.query("type", query);
        if query == "gateway_managed" {
            call = call.query("type", "access_managed");
        }
        let got = call.await.unwrap();
        assert_eq!(
            ids(got),
            sorted(vec![gateway.clone(), access.clone()]),
            "{query}"
        );
    }
    let all = mtls.list(ACCOUNT_ID, Default::default()).await.unwrap();
    assert_eq!(all.len(), 3);
    let refused = mtls
        .list(
            ACCOUNT_ID,
            MtlsCertificateListParams::new().type_(vec![
                MtlsCertificateType::Custom,
                MtlsCertificateType::Unknown("partner_managed".into()),
            ]),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(codes(&refused), [1001]);
    assert_eq!(
        refused_codes(
            mtls.list(ACCOUNT_ID, Default::default())
                .query("type", "custom,bogus")
        )
        .await,
        [1001]
    );
}

/// Bring your own CA for API Shield: a CA uploaded through `mtls_certificates` is bound to a
/// zone's hostnames, listed, moved and unbound; the managed CA's hostnames are the ones without
/// `mtls_certificate_id`; unknown ids and leaf certificates are refused.
#[tokio::test]
async fn hostname_associations_bind_list_and_unbind_a_ca() {
    let (_stand_in, client) = stand_in_and_client().await;
    let mtls = client.mtls_certificates();
    let byo = MtlsCertificateCreate::new(true, ca("CN=BYO CA")).name("byo");
    let ca_id = mtls.create(ACCOUNT_ID, &byo).await.unwrap().id.unwrap();
    let ha = client.certificate_authorities().hostname_associations();
    let of_ca = || HostnameAssociationGetParams::new().mtls_certificate_id(ca_id.clone());
    assert_eq!(
        ha.get(ZONE_ID, of_ca()).await.unwrap().hostnames,
        Some(Vec::new())
    );

    let bind = HostnameAssociationUpdate::new()
        .hostnames(vec!["api.example.com".into(), "admin.example.com".into()])
        .mtls_certificate_id(ca_id.clone());
    let bound = ha.update(ZONE_ID, &bind).await.unwrap();
    let two = vec![
        "admin.example.com".to_string(),
        "api.example.com".to_string(),
    ];
    assert_eq!(bound.hostnames.as_ref(), Some(&two));
    assert_eq!(
        ha.get(ZONE_ID, of_ca()).await.unwrap().hostnames,
        Some(two.clone())
    );
    // Another zone, and the managed CA, have none.
    assert_eq!(
        ha.get(OTHER_ZONE, of_ca()).await.unwrap().hostnames,
        Some(Vec::new())
    );
    assert_eq!(
        ha.get(ZONE_ID, Default::default()).await.unwrap().hostnames,
        Some(Vec::new())
    );
    // In use: associations show API Shield, and the CA cannot be deleted.
    let (used, refused) = associations_and_refused_delete(&client, &ca_id).await;
    assert_eq!(used.len(), 1);
    assert_eq!(used[0].service.as_deref(), Some("api_shield"));
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));

    // The managed CA takes one hostname: the CA keeps the other.
    let to_managed = HostnameAssociationUpdate::new().hostnames(vec!["api.example.com".into()]);
    let managed = ha.update(ZONE_ID, &to_managed).await.unwrap();
    assert_eq!(managed.hostnames, Some(vec!["api.example.com".to_string()]));
    assert_eq!(
        ha.get(ZONE_ID, of_ca()).await.unwrap().hostnames,
        Some(vec!["admin.example.com".to_string()])
    );
    assert_eq!(
        ha.get(ZONE_ID, Default::default()).await.unwrap().hostnames,
        Some(vec!["api.example.com".to_string()])
    );

    // Unbinding: an empty list.
    let unbind = HostnameAssociationUpdate::new()
        .hostnames(Vec::new())
        .mtls_certificate_id(ca_id.clone());
    assert_eq!(
        ha.update(ZONE_ID, &unbind).await.unwrap().hostnames,
        Some(Vec::new())
    );
    assert_eq!(
        ha.get(ZONE_ID, of_ca()).await.unwrap().hostnames,
        Some(Vec::new())
    );
    mtls.delete(ACCOUNT_ID, &ca_id).await.unwrap();

    // Unknown certificate ids: Cloudflare's not-found error, on both operations.
    let unknown = "b2134436255545cfbe5b26c48136575e";
    let err = ha
        .get(
            ZONE_ID,
            HostnameAssociationGetParams::new().mtls_certificate_id(unknown),
        )
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(codes(&err), [1003]);
    let err = ha
        .update(
            ZONE_ID,
            &HostnameAssociationUpdate::new()
                .hostnames(vec!["a.example.com".into()])
                .mtls_certificate_id(ca_id.clone()),
        )
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    // A leaf certificate is no CA; a hostname must be one.
    let leaf = mtls
        .create(
            ACCOUNT_ID,
            &MtlsCertificateCreate::new(
                false,
                TestCertificate::new("CN=leaf").build().certificate_pem,
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        refused_codes(ha.update(
            ZONE_ID,
            &HostnameAssociationUpdate::new().mtls_certificate_id(leaf.id.unwrap()),
        ))
        .await,
        [1001]
    );
    assert_eq!(
        refused_codes(ha.update(
            ZONE_ID,
            &HostnameAssociationUpdate::new().hostnames(vec!["not a host".into()]),
        ))
        .await,
        [1001]
    );
}
