"""HTTP details of the consent form: where it may come from, where it may go back to."""

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def request_is_same_origin(request: HttpRequest) -> bool:
    """Whether a post comes from one of our own pages (a forged consent is no consent).

    The consent form carries no CSRF token (so reading pages need no cookie);
    browsers instead say where a request comes from: ``Sec-Fetch-Site``, then
    ``Origin``, then ``Referer``. A request that says nothing is refused.
    """
    expected = f"{request.scheme}://{request.get_host()}"
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == expected
    if fetch_site == "same-origin":
        return True
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.netloc) and f"{referer.scheme}://{referer.netloc}" == expected


def safe_next(request: HttpRequest, target: str | None, *, default: str) -> str:
    """``target`` when it is a path on this site, ``default`` otherwise."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
