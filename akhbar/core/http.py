"""Outgoing HTTP to URLs that partners, admins or import files choose: guarded against SSRF.

A partner feed URL, a WordPress attachment URL in an import file, a webhook or a wire URL is
chosen by someone other than the operator. Fetched naively, ``http://169.254.169.254/`` (cloud
credentials), ``http://127.0.0.1:6379/`` (Redis) or an intranet admin page answer *our* server.
Every such fetch goes through this module, which:

- resolves the host name once, refuses the request if **any** address it resolves to is
  loopback, private, carrier-grade NAT, link-local, multicast, reserved or unspecified
  (:func:`akhbar.core.net.is_public_address`), and then connects to the **vetted address**
  itself, keeping the original ``Host`` header and TLS server name (SNI, certificate check), so
  a DNS answer that changes between check and connect (DNS rebinding) cannot slip through;
- re-checks every redirect hop (the check lives in the transport, which sees each hop) and caps
  their number;
- caps the bytes read and the time spent reading the body;
- ignores ``HTTP(S)_PROXY`` environment variables (a proxy would make the address check moot).

``akhbar_settings.allow_private_fetch`` (env ``AKHBAR_ALLOW_PRIVATE_FETCH``, default off)
allows loopback and private addresses, for tests against servers on 127.0.0.1 and for intranet
feeds. The cloud metadata addresses stay refused even then.

Why not a library: httpx has no address filter, and the maintained SSRF filters (e.g. for
``requests``) resolve the name separately from the connection, which leaves the rebinding gap
open. The part written here is one transport that pins the vetted address; everything else is
httpx.

Use :func:`fetch` for a whole small body, :func:`guarded_client` (with :func:`read_limited`)
for code that streams.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from akhbar.core.conf import akhbar_settings
from akhbar.core.net import IPAddress, is_public_address, parse_ip

__all__ = [
    "DEFAULT_MAX_BYTES",
    "BlockedURL",
    "DeadlineExceeded",
    "FetchResult",
    "GuardedTransport",
    "ResponseTooLarge",
    "fetch",
    "guarded_client",
    "read_limited",
    "vet_host",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "Akhbar/1.0 (news platform fetcher)"

# Instance metadata services hand out cloud credentials: never, whatever the setting says.
ALWAYS_REFUSED = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


class BlockedURL(httpx.RequestError):
    """The URL's scheme is not HTTP(S), or its host resolves to an address we refuse."""


class ResponseTooLarge(httpx.RequestError):
    """The body is larger than the caller's ``max_bytes``."""


class DeadlineExceeded(httpx.TimeoutException):
    """Reading the body took longer than the caller's total ``timeout``."""


def _private_allowed(allow_private: bool | None) -> bool:
    if allow_private is not None:
        return allow_private
    return bool(akhbar_settings.allow_private_fetch)


def address_allowed(ip: IPAddress, *, allow_private: bool | None = None) -> bool:
    """Whether an outgoing connection may go to ``ip``."""
    if ip in ALWAYS_REFUSED:
        return False
    if is_public_address(ip):
        return True
    if _private_allowed(allow_private):
        return not (ip.is_multicast or ip.is_unspecified)
    return False


def vet_host(
    host: str, port: int, *, allow_private: bool | None = None, request: httpx.Request | None = None
) -> list[IPAddress]:
    """Resolve ``host`` and return the addresses that may be connected to, in resolver order;
    raise :class:`BlockedURL` if **any** of them is refused (a name with one public and one
    private address is refused: we cannot know which one a later resolution would pick)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpx.ConnectError(f"cannot resolve {host!r}: {exc}", request=request) from exc
    addresses: list[IPAddress] = []
    for info in infos:
        ip = parse_ip(str(info[4][0]))
        if ip is not None and ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise httpx.ConnectError(f"cannot resolve {host!r}", request=request)
    for ip in addresses:
        if not address_allowed(ip, allow_private=allow_private):
            raise BlockedURL(
                f"refused to connect to {host!r}: it resolves to {ip}, which is not a public "
                "address (set AKHBAR_ALLOW_PRIVATE_FETCH=1 to allow private networks)",
                request=request,
            )
    return addresses


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that connects only to vetted addresses (see the module docstring).

    One inner :class:`httpx.HTTPTransport` per host name, so pooled TLS connections are never
    shared between names that happen to live on the same address.
    """

    def __init__(self, *, allow_private: bool | None = None, verify: Any = True) -> None:
        self._allow_private = allow_private
        self._verify = verify
        self._inner: dict[tuple[str, str], httpx.HTTPTransport] = {}
        self._lock = threading.Lock()

    def _transport_for(self, scheme: str, host: str) -> httpx.HTTPTransport:
        with self._lock:
            key = (scheme, host)
            if key not in self._inner:
                self._inner[key] = httpx.HTTPTransport(verify=self._verify, trust_env=False)
            return self._inner[key]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise BlockedURL(f"refused URL scheme {url.scheme!r}", request=request)
        host = url.host
        if not host:
            raise BlockedURL("URL has no host", request=request)
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = vet_host(host, port, allow_private=self._allow_private, request=request)
        extensions = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = host
        transport = self._transport_for(url.scheme, host)
        # Each vetted address in turn (a name may have an IPv6 and an IPv4 address and a
        # server listen on one only); nothing of the request is sent before a connect succeeds.
        for n, ip in enumerate(addresses):
            pinned = httpx.Request(
                request.method,
                url.copy_with(host=str(ip)),
                headers=request.headers,  # keeps Host: the original name
                stream=request.stream,
                extensions=extensions,
            )
            try:
                return transport.handle_request(pinned)
            except httpx.ConnectError:
                if n == len(addresses) - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self._lock:
            inner, self._inner = list(self._inner.values()), {}
        for transport in inner:
            transport.close()


def guarded_client(
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    headers: dict[str, str] | None = None,
    follow_redirects: bool = True,
    allow_private: bool | None = None,
    verify: Any = True,
) -> httpx.Client:
    """An :class:`httpx.Client` whose every request and redirect hop is address-checked.

    ``timeout`` applies to each connect/read/write; callers that stream should read with
    :func:`read_limited` to cap bytes and total time too. Use it as a context manager.
    """
    return httpx.Client(
        transport=GuardedTransport(allow_private=allow_private, verify=verify),
        timeout=httpx.Timeout(timeout),
        follow_redirects=follow_redirects,
        max_redirects=max_redirects,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        trust_env=False,
    )


def read_limited(
    response: httpx.Response, *, max_bytes: int = DEFAULT_MAX_BYTES, deadline: float | None = None
) -> bytes:
    """Read a streamed response's body, refusing more than ``max_bytes`` (a declared
    ``Content-Length`` over the cap is refused before reading) or reading past ``deadline``
    (a :func:`time.monotonic` value)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(
            f"response declares {declared} bytes, over the {max_bytes}-byte limit",
            request=response.request,
        )
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise ResponseTooLarge(
                f"response larger than the {max_bytes}-byte limit", request=response.request
            )
        if deadline is not None and time.monotonic() > deadline:
            raise DeadlineExceeded("response took too long to arrive", request=response.request)
    return bytes(body)


@dataclass(frozen=True)
class FetchResult:
    """What :func:`fetch` read: the final URL after redirects, status, headers and body."""

    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    elapsed: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def text(self) -> str:
        charset = httpx.Response(200, headers=self.headers).charset_encoding or "utf-8"
        return self.content.decode(charset, errors="replace")


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    content: bytes | str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    allow_private: bool | None = None,
) -> FetchResult:
    """Fetch ``url`` through the SSRF guard and return the whole (capped) body.

    Raises :class:`BlockedURL` for a refused address or scheme, :class:`ResponseTooLarge`,
    :class:`httpx.TooManyRedirects`, :class:`httpx.TimeoutException` (each operation is
    bounded by ``timeout``, and so is reading the whole body), or another
    :class:`httpx.HTTPError`: callers catch ``httpx.HTTPError`` for all of them. An HTTP error
    status is *not* an exception: look at ``status_code``.
    """
    started = time.monotonic()
    with (
        guarded_client(
            timeout=timeout, max_redirects=max_redirects, headers=headers,
            allow_private=allow_private,
        ) as client,
        client.stream(method, url, content=content) as response,
    ):  # fmt: skip
        body = read_limited(response, max_bytes=max_bytes, deadline=started + timeout)
        return FetchResult(
            url=str(response.url),
            status_code=response.status_code,
            headers=response.headers,
            content=body,
            elapsed=time.monotonic() - started,
        )
