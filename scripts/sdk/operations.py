"""The operations of cloudflare-mtls as HTTP routes, to tell which ones a run drove (from the
requests the stand-in recorded)."""

import re

ID = r"[0-9a-f]{32}"
# Access certificate ids are UUIDs; the others 32 hex characters.
ITEM = r"[0-9a-f-]{32,36}"
HOST = r"(?!certificates$)[A-Za-z0-9.-]+"

# (name, method, path pattern without /client/v4)
OPERATIONS = []
for scope in ("accounts", "zones"):
    base = rf"/{scope}/{ID}/access/certificates"
    OPERATIONS += [
        (f"access.certificates.list ({scope})", "GET", base),
        (f"access.certificates.create ({scope})", "POST", base),
        (f"access.certificates.get ({scope})", "GET", rf"{base}/{ITEM}"),
        (f"access.certificates.update ({scope})", "PUT", rf"{base}/{ITEM}"),
        (f"access.certificates.delete ({scope})", "DELETE", rf"{base}/{ITEM}"),
        (f"access.certificates.settings.get ({scope})", "GET", rf"{base}/settings"),
        (f"access.certificates.settings.update ({scope})", "PUT", rf"{base}/settings"),
    ]
MTLS = rf"/accounts/{ID}/mtls_certificates"
CLIENT = rf"/zones/{ID}/client_certificates"
AOP = rf"/zones/{ID}/origin_tls_client_auth"
OPERATIONS += [
    ("mtls_certificates.list", "GET", MTLS),
    ("mtls_certificates.create", "POST", MTLS),
    ("mtls_certificates.get", "GET", rf"{MTLS}/{ID}"),
    ("mtls_certificates.delete", "DELETE", rf"{MTLS}/{ID}"),
    ("mtls_certificates.associations.list", "GET", rf"{MTLS}/{ID}/associations"),
    ("client_certificates.list", "GET", CLIENT),
    ("client_certificates.create", "POST", CLIENT),
    ("client_certificates.get", "GET", rf"{CLIENT}/{ID}"),
    ("client_certificates.edit", "PATCH", rf"{CLIENT}/{ID}"),
    ("client_certificates.delete", "DELETE", rf"{CLIENT}/{ID}"),
    ("origin_tls_client_auth.create", "POST", AOP),
    ("origin_tls_client_auth.list", "GET", AOP),
    ("origin_tls_client_auth.get", "GET", rf"{AOP}/{ID}"),
    ("origin_tls_client_auth.delete", "DELETE", rf"{AOP}/{ID}"),
    ("origin_tls_client_auth.settings.get", "GET", rf"{AOP}/settings"),
    ("origin_tls_client_auth.settings.update", "PUT", rf"{AOP}/settings"),
    ("origin_tls_client_auth.hostnames.update", "PUT", rf"{AOP}/hostnames"),
    ("origin_tls_client_auth.hostnames.get", "GET", rf"{AOP}/hostnames/{HOST}"),
    ("origin_tls_client_auth.hostnames.certificates.create", "POST", rf"{AOP}/hostnames/certificates"),
    ("origin_tls_client_auth.hostnames.certificates.list", "GET", rf"{AOP}/hostnames/certificates"),
    ("origin_tls_client_auth.hostnames.certificates.get", "GET", rf"{AOP}/hostnames/certificates/{ID}"),
    ("origin_tls_client_auth.hostnames.certificates.delete", "DELETE", rf"{AOP}/hostnames/certificates/{ID}"),
    ("certificate_authorities.hostname_associations.get", "GET",
     rf"/zones/{ID}/certificate_authorities/hostname_associations"),
    ("certificate_authorities.hostname_associations.update", "PUT",
     rf"/zones/{ID}/certificate_authorities/hostname_associations"),
]
assert len(OPERATIONS) == 38, len(OPERATIONS)


def operation(method, path):
    """The name of the operation a request is, or None."""
    for name, want, pattern in OPERATIONS:
        if method == want and re.fullmatch(pattern, path):
            return name
    return None
