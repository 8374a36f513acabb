"""Fetching a URL source once, for ``factlang lock`` (never during ``check``).

Only ``http`` and ``https``. A fetch has a total time limit and a size limit,
follows at most :data:`MAX_REDIRECTS` redirects (each recorded, each again
http or https), and fails with one :class:`FetchError` whose message says
what went wrong (a status, a timeout, a refused connection, too large a body).
"""

from __future__ import annotations

import datetime as _dt
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException, HTTPMessage
from typing import IO, Final

import attrs

from factlang import __version__
from factlang.sources.urls import is_url

__all__ = ["MAX_BYTES", "MAX_REDIRECTS", "TIMEOUT", "FetchError", "Fetched", "fetch", "is_url"]

#: Bodies larger than this are refused.
MAX_BYTES: Final = 64 * 1024 * 1024
#: Seconds a whole fetch may take.
TIMEOUT: Final = 30.0
MAX_REDIRECTS: Final = 5
_SCHEMES: Final = ("http", "https")
_CHUNK: Final = 64 * 1024


class FetchError(Exception):
    """A URL could not be fetched (the message says why)."""


@attrs.frozen
class Fetched:
    """What a fetch brought back."""

    url: str
    final_url: str
    redirects: tuple[str, ...]
    data: bytes
    media_type: str | None
    retrieved: str  # UTC, ISO 8601, to the second


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only, at most MAX_REDIRECTS, and records each."""

    def __init__(self) -> None:
        self.chain: list[str] = []

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        target = urllib.parse.urljoin(req.full_url, newurl)
        if urllib.parse.urlsplit(target).scheme.lower() not in _SCHEMES:
            raise FetchError(f"redirected ({code}) to '{target}', which is not an http or https URL")
        if len(self.chain) >= MAX_REDIRECTS:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects")
        self.chain.append(target)
        return super().redirect_request(req, fp, code, msg, headers, target)


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES:
        raise FetchError(f"'{url}' is not an http or https URL")
    if not parts.hostname:
        raise FetchError(f"'{url}' has no host")


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """Fetch ``url`` (raises :class:`FetchError`)."""
    _check_url(url)
    redirects = _Redirects()
    opener = urllib.request.build_opener(redirects)
    request = urllib.request.Request(
        url, headers={"User-Agent": f"factlang/{__version__} (source lock)", "Accept": "*/*"}
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"the body is {length} bytes; the limit is {max_bytes}")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"the body is larger than the limit of {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {timeout:g} s")
                chunks.append(chunk)
            final = response.geturl()
            media_type = response.headers.get_content_type() if response.headers.get("Content-Type") else None
    except FetchError:
        raise
    except urllib.error.HTTPError as err:
        raise FetchError(f"the server answered {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"timed out after {timeout:g} s") from None
        raise FetchError(f"cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (OSError, ValueError, HTTPException) as err:
        # http.client's errors (a broken chunked body, a bad status line) and socket errors.
        raise FetchError(f"the connection failed: {type(err).__name__}: {err}") from None
    retrieved = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Fetched(url, final, tuple(redirects.chain), b"".join(chunks), media_type, retrieved)
