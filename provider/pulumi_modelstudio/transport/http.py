"""The request loop: headers, retries that never re-send a create blindly, error mapping."""

from __future__ import annotations

import json as jsonlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx

from pulumi_modelstudio._version import __version__
from pulumi_modelstudio.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ResponseValidationError,
    UnsendableRequestError,
    make_status_error,
    scrub,
)
from pulumi_modelstudio.transport.client_settings import ClientSettings
from pulumi_modelstudio.transport.closeable import Closeable
from pulumi_modelstudio.transport.retry import is_retryable_status, retry_delay

__all__ = ["Transport"]

log = logging.getLogger("pulumi_modelstudio.transport")
_SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})


def _request_id(response: httpx.Response, body: Any) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("request_id"), str):
        return str(body["request_id"])
    header = response.headers.get("x-request-id")
    return str(header) if header else None


def _refuse_non_finite(body: Any, method: str, url: str) -> None:
    """Raise before sending a JSON body that holds NaN or Infinity (invalid JSON the service cannot read)."""
    try:
        jsonlib.dumps(body, allow_nan=False)
    except ValueError:
        msg = (
            f"{method} {url} not sent: its JSON body holds NaN or Infinity, which JSON cannot carry — "
            "declare finite numbers (`pulumi preview` names the field)"
        )
        raise UnsendableRequestError(msg, method=method, url=url) from None


class Transport(Closeable):
    """Sends requests for one `ClientSettings`; builds its own httpx client unless given one."""

    def __init__(
        self,
        settings: ClientSettings,
        *,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Use `http_client` (tests) or a new client with the settings' timeouts."""
        self.settings = settings
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(
            timeout=httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s)
        )
        self._sleep = sleep

    def close(self) -> None:
        """Close the underlying client if this transport made it."""
        if self._owns_client:
            self._client.close()

    def url(self, path: str) -> str:
        """Absolute URL of an API path (absolute URLs pass through)."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.settings.endpoint}/{path.lstrip('/')}"

    def _headers(self, attempt: int, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self.settings.api_key.get_secret_value()}",
            "Accept": "application/json; charset=utf-8",
            "User-Agent": f"modelstudio-lora/{__version__}",
            "X-Client-Attempt": str(attempt),
        }
        if self.settings.workspace:
            headers["X-DashScope-WorkSpace"] = self.settings.workspace
        headers.update(extra or {})
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        mutating: bool | None = None,
        rewind: Callable[[], object] | None = None,
        body: Callable[[], Iterable[bytes]] | None = None,
    ) -> dict[str, Any]:
        """Send and return the JSON body; retry only what is safe to repeat.

        Idempotent requests (GET, PUT, DELETE) retry on connection errors, timeouts and 408/429/5xx. A
        mutating POST retries only when it provably did not land: a connect error or a 429. After a 5xx,
        a reset or a read timeout it raises at once, so the caller can look the object up first.
        `body` makes a fresh streamed request body for each attempt (its headers give its type and length).
        """
        method = method.upper()
        is_mutating = method not in _SAFE_METHODS if mutating is None else mutating
        url = self.url(path)
        if json is not None:
            _refuse_non_finite(json, method, url)
        attempts = self.settings.max_retries + 1
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            if rewind is not None and attempt > 1:
                rewind()
            try:
                response = self._client.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    files=files,
                    data=data,
                    content=body() if body is not None else None,
                    headers=self._headers(attempt, headers),
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if last:
                    msg = f"{method} {url} failed: cannot connect ({exc})"
                    raise APIConnectionError(msg, method=method, url=url) from exc
                self._backoff(attempt, method, url, f"connect error: {exc}")
                continue
            except httpx.TimeoutException as exc:
                if is_mutating or last:
                    msg = f"{method} {url} failed: no answer within {self.settings.timeout_s:.0f} s"
                    raise APITimeoutError(msg, method=method, url=url) from exc
                self._backoff(attempt, method, url, "timeout")
                continue
            except httpx.TransportError as exc:
                if is_mutating or last:
                    msg = f"{method} {url} failed: connection lost ({type(exc).__name__}: {exc})"
                    raise APIConnectionError(msg, method=method, url=url) from exc
                self._backoff(attempt, method, url, f"transport error: {exc}")
                continue
            if response.is_success:
                return self._json(response, method, url)
            error = self._status_error(response, method, url)
            retry = response.status_code == 429 or (not is_mutating and is_retryable_status(response.status_code))
            if not retry or last:
                raise error
            self._backoff(attempt, method, url, f"{response.status_code} {error.code}")
        msg = f"{method} {url} failed after {attempts} attempts"  # pragma: no cover - loop always returns/raises
        raise APIConnectionError(msg, method=method, url=url)

    def download(self, url: str) -> bytes:
        """GET raw bytes from a signed URL (no API key is sent to it); idempotent, so retried."""
        for attempt in range(1, self.settings.max_retries + 2):
            try:
                response = self._client.get(url)
            except httpx.TransportError as exc:
                if attempt > self.settings.max_retries:
                    msg = f"GET {url} failed: {exc}"
                    raise APIConnectionError(msg, method="GET", url=url) from exc
                self._backoff(attempt, "GET", url, str(exc))
                continue
            if response.is_success:
                return response.content
            if attempt > self.settings.max_retries or not is_retryable_status(response.status_code):
                raise self._status_error(response, "GET", url)
            self._backoff(attempt, "GET", url, str(response.status_code))
        msg = f"GET {url} failed"  # pragma: no cover
        raise APIConnectionError(msg, method="GET", url=url)

    def _backoff(self, attempt: int, method: str, url: str, reason: str) -> None:
        delay = retry_delay(
            attempt - 1, initial=self.settings.initial_retry_delay_s, maximum=self.settings.max_retry_delay_s
        )
        log.debug("retrying %s %s in %.2fs after attempt %d: %s", method, url, delay, attempt, scrub(reason))
        self._sleep(delay)

    @staticmethod
    def _json(response: httpx.Response, method: str, url: str) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as exc:
            msg = f"{method} {url}: answer is not JSON ({response.text[:200]!r})"
            raise ResponseValidationError(msg, method=method, url=url) from exc
        if not isinstance(body, dict):
            msg = f"{method} {url}: expected a JSON object, got {type(body).__name__}"
            raise ResponseValidationError(msg, method=method, url=url, request_id=None)
        return body

    @staticmethod
    def _status_error(response: httpx.Response, method: str, url: str) -> APIStatusError:
        try:
            body: Any = response.json()
        except ValueError:
            body = {"message": response.text[:500]}
        return make_status_error(
            response.status_code, body, method=method, url=url, request_id=_request_id(response, body)
        )
