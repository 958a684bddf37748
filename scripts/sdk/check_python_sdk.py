#!/usr/bin/env python3
"""Cloudflare's official Python SDK (PyPI `cloudflare`, pinned in requirements.txt) against
`cfmtls stand-in`: every operation of cloudflare-mtls, with faults injected through the admin API.
Each call must behave as Cloudflare documents it (result shapes, statuses, errors, paging, retries);
a difference is a stand-in bug or a deviation listed in the README.

Usage: check_python_sdk.py PATH/TO/cfmtls
"""

import datetime
import itertools
import sys
import time
import traceback

import cloudflare
from cloudflare import Cloudflare

from operations import operation
from stand_in import StandIn

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def expect_error(kind, status, call, code=None):
    """`call()` raises the SDK's `kind` with HTTP `status` (and Cloudflare error `code`)."""
    try:
        call()
    except kind as e:
        assert e.status_code == status, f"{kind.__name__}: status {e.status_code}, wanted {status}"
        if code is not None:
            codes = [err["code"] for err in e.body["errors"]]
            assert code in codes, f"error codes {codes}, wanted {code}"
        return e
    raise AssertionError(f"expected {kind.__name__} ({status})")


def days_from_now(stamp):
    when = datetime.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    return (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 86400


def scopes(s):
    return [{"account_id": s.account}, {"zone_id": s.zone}]


@check
def access_certificates(s, cf):
    for scope in scopes(s):
        certs = cf.zero_trust.access.certificates
        pems = [s.certificate(f"CN=Access CA {i}", ca=True)[0] for i in range(3)]
        created = certs.create(name="devices-0", certificate=pems[0],
                               associated_hostnames=["admin.example.com"], **scope)
        assert created.name == "devices-0" and created.id
        assert created.associated_hostnames == ["admin.example.com"]
        assert len(created.fingerprint) > 0 and created.expires_on
        for i in (1, 2):
            certs.create(name=f"devices-{i}", certificate=pems[i], **scope)
        expect_error(cloudflare.BadRequestError, 400,
                     lambda: certs.create(name="devices-1", certificate=pems[1], **scope))
        got = certs.get(created.id, **scope)
        assert got.id == created.id and got.fingerprint == created.fingerprint

        # Auto-paging: two per page, the SDK asks until a page is empty.
        before = len(s.requests("?method=GET&path=/*/*/access/certificates"))
        names = sorted(c.name for c in itertools.islice(certs.list(per_page=2, **scope), 50))
        assert names == ["devices-0", "devices-1", "devices-2"], names
        pages = len(s.requests("?method=GET&path=/*/*/access/certificates")) - before
        assert pages == 3, f"{pages} list requests for 3 items at 2 a page (2, 1, then empty)"

        # In use by a hostname: not deleted; updated to none, deleted.
        expect_error(cloudflare.BadRequestError, 400, lambda: certs.delete(created.id, **scope))
        updated = certs.update(created.id, associated_hostnames=[], name="devices-renamed", **scope)
        assert updated.associated_hostnames == [] and updated.name == "devices-renamed"
        deleted = certs.delete(created.id, **scope)
        assert deleted.id == created.id
        expect_error(cloudflare.NotFoundError, 404, lambda: certs.get(created.id, **scope), code=1003)


@check
def access_hostname_settings(s, cf):
    for scope in scopes(s):
        settings = cf.zero_trust.access.certificates.settings
        wanted = [
            {"hostname": "admin.example.com", "china_network": False, "client_certificate_forwarding": True},
            {"hostname": "api.example.com", "china_network": False, "client_certificate_forwarding": False},
        ]
        put = list(settings.update(settings=wanted, **scope))
        assert [x.hostname for x in put] == ["admin.example.com", "api.example.com"]
        got = list(settings.get(**scope))
        assert [(x.hostname, x.client_certificate_forwarding) for x in got] == [
            ("admin.example.com", True), ("api.example.com", False)]
        expect_error(cloudflare.BadRequestError, 400,
                     lambda: settings.update(settings=[{"hostname": "x.example.com"}], **scope))


@check
def mtls_certificates(s, cf):
    mtls = cf.mtls_certificates
    pem, key = s.certificate("CN=Example Root CA,O=Example", ca=True)
    created = mtls.create(account_id=s.account, ca=True, certificates=pem, name="corp-root",
                          private_key=key)
    assert created.id and created.name == "corp-root" and created.ca is True
    assert created.issuer == "CN=Example Root CA,O=Example", created.issuer
    assert created.serial_number and created.signature and created.expires_on
    got = mtls.get(created.id, account_id=s.account)
    assert got.id == created.id and got.certificates.startswith("-----BEGIN CERTIFICATE-----")
    assert [c.id for c in mtls.list(account_id=s.account)] == [created.id]
    assert list(mtls.associations.get(created.id, account_id=s.account)) == []

    seeded = s.ok("POST", "/seed", {"accounts": [{"mtls_certificates": [{
        "certificate": {"generate": "CN=In Use CA"}, "ca": True,
        "associations": [{"service": "gateway", "status": "active"}]}]}]})
    in_use = seeded["seeded"][0]["id"]
    assoc = list(mtls.associations.get(in_use, account_id=s.account))
    assert [(a.service, a.status) for a in assoc] == [("gateway", "active")]
    expect_error(cloudflare.BadRequestError, 400, lambda: mtls.delete(in_use, account_id=s.account))

    deleted = mtls.delete(created.id, account_id=s.account)
    assert deleted.id == created.id
    expect_error(cloudflare.NotFoundError, 404, lambda: mtls.get(created.id, account_id=s.account))
    expect_error(cloudflare.BadRequestError, 400,
                 lambda: mtls.create(account_id=s.account, ca=True, certificates="not PEM"), code=1002)


@check
def hostname_associations(s, cf):
    """Bring your own CA: a CA uploaded to the account bound to a zone's hostnames, listed,
    unbound; the managed CA without `mtls_certificate_id`; an unknown CA refused. And the `type`
    filter of the mTLS list as the SDK sends a list."""
    pem, _ = s.certificate("CN=API Shield CA", ca=True)
    ca = cf.mtls_certificates.create(account_id=s.account, ca=True, certificates=pem).id
    assoc = cf.certificate_authorities.hostname_associations
    bound = assoc.update(zone_id=s.zone, hostnames=["api.example.com", "mtls.example.com"],
                         mtls_certificate_id=ca)
    assert sorted(bound.hostnames) == ["api.example.com", "mtls.example.com"], bound
    got = assoc.get(zone_id=s.zone, mtls_certificate_id=ca)
    assert sorted(got.hostnames) == ["api.example.com", "mtls.example.com"], got
    used = list(cf.mtls_certificates.associations.get(ca, account_id=s.account))
    assert [a.service for a in used] == ["api_shield"], used
    managed = assoc.update(zone_id=s.zone, hostnames=["managed.example.com"])
    assert managed.hostnames == ["managed.example.com"], managed
    assert assoc.get(zone_id=s.zone).hostnames == ["managed.example.com"]
    unbound = assoc.update(zone_id=s.zone, hostnames=[], mtls_certificate_id=ca)
    assert not unbound.hostnames, unbound
    expect_error(cloudflare.NotFoundError, 404,
                 lambda: assoc.get(zone_id=s.zone, mtls_certificate_id="0" * 32))
    s.ok("POST", "/seed", {"accounts": [{"mtls_certificates": [{
        "certificate": {"generate": "CN=Gateway CA"}, "ca": True, "type": "gateway_managed"}]}]})
    every = list(cf.mtls_certificates.list(account_id=s.account))
    either = list(cf.mtls_certificates.list(account_id=s.account, type=["custom", "gateway_managed"]))
    assert [c.id for c in either] == [c.id for c in every], (either, every)
    gateway = list(cf.mtls_certificates.list(account_id=s.account, type=["gateway_managed"]))
    assert [c.type for c in gateway] == ["gateway_managed"], gateway
    custom = list(cf.mtls_certificates.list(account_id=s.account, type=["custom"]))
    assert len(custom) == len(every) - 1 and all(c.type == "custom" for c in custom), custom
    cf.mtls_certificates.delete(ca, account_id=s.account)


@check
def client_certificates(s, cf):
    cc = cf.client_certificates
    created = cc.create(zone_id=s.zone, csr=s.csr("CN=billing,O=Example,C=US"), validity_days=30)
    assert created.status == "active" and created.common_name == "billing"
    assert created.certificate.startswith("-----BEGIN CERTIFICATE-----")
    assert created.validity_days == 30 and 29 < days_from_now(created.expires_on) <= 30
    assert created.certificate_authority.id and created.fingerprint_sha256
    got = cc.get(created.id, zone_id=s.zone)
    assert got.id == created.id and got.csr == created.csr

    revoking = cc.delete(created.id, zone_id=s.zone)
    assert revoking.status == "pending_revocation", revoking.status
    assert cc.get(created.id, zone_id=s.zone).status == "revoked"
    assert [c.id for c in cc.list(zone_id=s.zone, status="revoked")] == [created.id]
    reactivating = cc.edit(created.id, zone_id=s.zone, reactivate=True)
    assert reactivating.status == "pending_reactivation", reactivating.status
    assert cc.get(created.id, zone_id=s.zone).status == "active"
    expect_error(cloudflare.BadRequestError, 400,
                 lambda: cc.edit(created.id, zone_id=s.zone, reactivate=True))
    expect_error(cloudflare.BadRequestError, 400,
                 lambda: cc.create(zone_id=s.zone, csr=s.csr("CN=x"), validity_days=0))


@check
def paging(s, cf):
    """The SDK pages until a page is empty: a page past the last one must be empty, or it loops."""
    s.ok("POST", "/reset")
    seed = {"zones": [{"client_certificates": [
        {"csr": {"generate": f"CN=paged-{i}"}} for i in range(12)]}]}
    s.ok("POST", "/seed", seed)
    before = len(s.requests("?method=GET&path=/zones/*/client_certificates"))
    # Bounded: a stand-in that repeated the last page would keep the SDK paging for ever.
    listed = cf.client_certificates.list(zone_id=s.zone, per_page=5)
    names = [c.common_name for c in itertools.islice(listed, 100)]
    assert sorted(names) == sorted(f"paged-{i}" for i in range(12)), names
    pages = len(s.requests("?method=GET&path=/zones/*/client_certificates")) - before
    assert pages == 4, f"{pages} requests for 12 items at 5 a page (5, 5, 2, then empty)"

    past = cf.client_certificates.list(zone_id=s.zone, page=9, per_page=5)
    assert past.result == [], past.result
    info = past.result_info
    assert (info.page, info.per_page, info.count, info.total_count) == (9, 5, 0, 12), info
    assert info.to_dict().get("total_pages") == 3, info
    first = cf.client_certificates.list(zone_id=s.zone, page=1, per_page=5)
    assert len(first.result) == 5 and first.result_info.count == 5
    assert first.has_next_page() and not past.has_next_page()

    # An empty account's Access certificates: one request, an empty page, total_pages 0.
    empty = "0123456789abcdef0123456789abcdef"
    page = cf.zero_trust.access.certificates.list(account_id=empty)
    assert page.result == [] and page.result_info.to_dict()["total_pages"] == 0
    assert list(cf.zero_trust.access.certificates.list(account_id=empty)) == []


@check
def zone_origin_pulls(s, cf):
    # zone_certificates: SDK 5.x's name for the zone-level certificates (the methods on
    # origin_tls_client_auth itself are deprecated aliases of the same routes).
    aop = cf.origin_tls_client_auth.zone_certificates
    pem, key = s.certificate("CN=origin-pull.example.com")
    created = aop.create(zone_id=s.zone, certificate=pem, private_key=key)
    assert created.status == "pending_deployment", created.status
    assert created.id and created.issuer == "CN=origin-pull.example.com"
    assert aop.get(created.id, zone_id=s.zone).status == "active"
    assert [c.id for c in aop.list(zone_id=s.zone)] == [created.id]
    deleting = aop.delete(created.id, zone_id=s.zone)
    assert deleting.status == "pending_deletion", deleting.status
    expect_error(cloudflare.NotFoundError, 404, lambda: aop.get(created.id, zone_id=s.zone))
    expect_error(cloudflare.BadRequestError, 400,
                 lambda: aop.create(zone_id=s.zone, certificate=pem, private_key="not a key"))

    settings = cf.origin_tls_client_auth.settings
    assert settings.get(zone_id=s.zone).enabled is False
    assert settings.update(zone_id=s.zone, enabled=True).enabled is True
    assert settings.get(zone_id=s.zone).enabled is True


@check
def hostname_origin_pulls(s, cf):
    aop = cf.origin_tls_client_auth
    certs = aop.hostname_certificates
    pem, key = s.certificate("CN=app.example.com")
    created = certs.create(zone_id=s.zone, certificate=pem, private_key=key)
    assert created.id and created.status == "pending_deployment", created.status
    assert certs.get(created.id, zone_id=s.zone).status == "active"
    assert [c.id for c in certs.list(zone_id=s.zone)] == [created.id]

    put = list(aop.hostnames.update(zone_id=s.zone, config=[
        {"hostname": "app.example.com", "cert_id": created.id, "enabled": True}]))
    assert [(h.hostname, h.enabled) for h in put] == [("app.example.com", True)]
    got = aop.hostnames.get("app.example.com", zone_id=s.zone)
    assert got.hostname == "app.example.com" and got.cert_id == created.id and got.enabled is True
    expect_error(cloudflare.BadRequestError, 400, lambda: certs.delete(created.id, zone_id=s.zone))

    # `enabled: null` voids the association; then the certificate can go.
    voided = list(aop.hostnames.update(zone_id=s.zone, config=[
        {"hostname": "app.example.com", "enabled": None}]))
    assert voided[0].enabled is None, voided
    expect_error(cloudflare.NotFoundError, 404,
                 lambda: aop.hostnames.get("app.example.com", zone_id=s.zone))
    assert certs.delete(created.id, zone_id=s.zone).status == "pending_deletion"
    expect_error(cloudflare.NotFoundError, 404, lambda: certs.get(created.id, zone_id=s.zone))


@check
def rate_limit_is_retried_after_retry_after(s, cf):
    s.fault(kind="rate_limited", retry_after=1, method="GET", path="/zones/*/origin_tls_client_auth/settings")
    started = time.monotonic()
    assert aop_enabled(s, cf) in (True, False)
    waited = time.monotonic() - started
    tries = s.requests("?path=/zones/*/origin_tls_client_auth/settings")
    assert len(tries) == 2, f"{len(tries)} requests: the 429, then the retry"
    assert waited >= 0.9, f"retried after {waited:.2f} s, not after Retry-After: 1"
    # Always rate limited: the SDK gives up after its retries with RateLimitError.
    s.fault(kind="rate_limited", retry_after=0.2, path="/zones/*/origin_tls_client_auth/settings", always=True)
    few = cf.with_options(max_retries=1)
    expect_error(cloudflare.RateLimitError, 429, lambda: aop_enabled(s, few), code=971)
    s.ok("DELETE", "/faults")


def aop_enabled(s, cf):
    return cf.origin_tls_client_auth.settings.get(zone_id=s.zone).enabled


@check
def server_errors_are_retried(s, cf):
    # A 503 on an upload: the SDK retries it and the upload happens once.
    s.fault(kind="server_error", status=503, method="POST", path="/accounts/*/mtls_certificates")
    pem, _ = s.certificate("CN=Retried CA", ca=True)
    created = cf.mtls_certificates.create(account_id=s.account, ca=True, certificates=pem)
    posts = s.requests("?method=POST&path=/accounts/*/mtls_certificates")
    assert len(posts) == 2, len(posts)
    ids = [c.id for c in cf.mtls_certificates.list(account_id=s.account)]
    assert ids.count(created.id) == 1
    # The edge's HTML 502, once: retried too.
    s.fault(kind="bad_gateway_html", path="/zones/*/client_certificates")
    assert list(cf.client_certificates.list(zone_id=s.zone, status="pending_revocation")) == []
    # Always 500: InternalServerError after 1 + max_retries attempts.
    s.fault(kind="server_error", status=500, path="/zones/*/origin_tls_client_auth", always=True)
    before = len(s.requests("?path=/zones/*/origin_tls_client_auth"))
    expect_error(cloudflare.InternalServerError, 500,
                 lambda: list(cf.with_options(max_retries=2).origin_tls_client_auth.zone_certificates.list(zone_id=s.zone)),
                 code=10001)
    assert len(s.requests("?path=/zones/*/origin_tls_client_auth")) - before == 3
    s.ok("DELETE", "/faults")
    # A 403 is not retried.
    s.fault(kind="api_error", status=403, code=10000, message="Authentication error")
    before = len(s.requests())
    expect_error(cloudflare.PermissionDeniedError, 403,
                 lambda: cf.mtls_certificates.get(created.id, account_id=s.account), code=10000)
    assert len(s.requests()) - before == 1


@check
def credentials_and_routing(s, cf):
    wrong = Cloudflare(api_token="not-the-token", base_url=s.base_url, max_retries=0)
    expect_error(cloudflare.PermissionDeniedError, 403,
                 lambda: list(wrong.mtls_certificates.list(account_id=s.account)), code=10000)
    info = s.ok("GET")
    keyed = Cloudflare(api_key=info["api_key"], api_email="me@example.com", base_url=s.base_url)
    assert list(keyed.origin_tls_client_auth.zone_certificates.list(zone_id=s.zone)) is not None
    expect_error(cloudflare.BadRequestError, 400,
                 lambda: cf.origin_tls_client_auth.settings.get(zone_id="not-a-zone"), code=7003)


@check
def recorded_requests_hide_credentials(s, cf):
    pem, key = s.certificate("CN=secret.example.com")
    cf.origin_tls_client_auth.hostname_certificates.create(zone_id=s.zone, certificate=pem, private_key=key)
    recorded = s.requests()
    text = repr(recorded)
    assert s.token not in text and "PRIVATE KEY" not in text
    assert all(r["headers"].get("authorization") == "[redacted]" for r in recorded)
    assert recorded[-1]["json"]["private_key"] == "[redacted]"
    assert any(r["headers"].get("user-agent", "").startswith("Cloudflare/Python") for r in recorded)


@check
def reset_forgets_everything(s, cf):
    s.ok("POST", "/reset")
    assert s.requests() == []
    assert list(cf.mtls_certificates.list(account_id=s.account)) == []
    assert list(cf.client_certificates.list(zone_id=s.zone)) == []
    assert s.ok("GET", "/faults")["faults"] == []


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    s = StandIn(sys.argv[1])
    cf = Cloudflare(api_token=s.token, base_url=s.base_url)
    failed = []
    driven = set()
    try:
        for fn in CHECKS:
            try:
                fn(s, cf)
                print(f"ok      {fn.__name__}")
            except Exception:
                failed.append(fn.__name__)
                print(f"FAILED  {fn.__name__}\n{traceback.format_exc()}")
            for r in s.requests():
                name = operation(r["method"], r["path"])
                if name:
                    driven.add(name)
            s.ok("DELETE", "/requests")
    finally:
        s.stop()
    from operations import OPERATIONS
    missing = [name for name, _, _ in OPERATIONS if name not in driven]
    print(f"\ncloudflare {cloudflare.__version__}: {len(CHECKS) - len(failed)}/{len(CHECKS)} checks passed, "
          f"{len(driven)}/{len(OPERATIONS)} operations driven")
    if missing:
        print("not driven: " + ", ".join(missing))
    if failed or missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
