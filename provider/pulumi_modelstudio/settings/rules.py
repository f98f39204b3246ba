"""Rules for the connection settings (region, endpoint, key, workspace), cheap enough to check at every preview.

Each function returns the reason with its fix, or None; the caller names the setting (`modelstudio:endpoint`,
`DASHSCOPE_HTTP_BASE_URL`, ...). Nothing here is imported from the HTTP stack.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = [
    "API_PATH",
    "REGION_ENDPOINTS",
    "api_base_url",
    "endpoint_problem",
    "header_value_problem",
    "is_loopback",
    "is_loopback_url",
    "region_problem",
]

API_PATH = "/api/v1"
"""Path of the native API below a host; an endpoint given without a path gets it."""
_OFFICIAL_HOST_SUFFIX = ".aliyuncs.com"

REGION_ENDPOINTS: dict[str, str] = {
    "cn-beijing": "https://dashscope.aliyuncs.com/api/v1",
    "ap-southeast-1": "https://dashscope-intl.aliyuncs.com/api/v1",
}
"""Native API base URL per region (fine-tuning is not offered in the other regions)."""


def region_problem(region: str) -> str | None:
    """Why `region` cannot be used, or None."""
    if region in REGION_ENDPOINTS:
        return None
    return f"{region!r} does not offer fine-tuning — use one of {', '.join(REGION_ENDPOINTS)}"


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine (`localhost`, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """Whether `url` is plain http to this machine (where the local emulator listens)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "http" and is_loopback(parts.hostname or "")


def api_base_url(url: str) -> str:
    """`url` without a trailing slash, with `/api/v1` added when it names a host only (an emulator's `--url-file`)."""
    url = url.strip().rstrip("/")
    try:
        bare = urlsplit(url).path == ""
    except ValueError:
        return url
    return f"{url}{API_PATH}" if bare else url


def _has_control(value: str) -> bool:
    return any(ord(char) < 0x20 or ord(char) == 0x7F for char in value)


def endpoint_problem(url: str, example: str = REGION_ENDPOINTS["cn-beijing"]) -> str | None:
    """Why `url` cannot be the API base URL, or None; plain http is allowed only to this machine."""
    return _url_problem(url, example) or _path_problem(url)


def _path_problem(url: str) -> str | None:
    """Why `url` of the service or of a local emulator names a path other than the native API's, or None."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if (is_loopback(host) or host.endswith(_OFFICIAL_HOST_SUFFIX)) and parts.path.rstrip("/") not in ("", API_PATH):
        shown = url.encode("unicode_escape").decode("ascii")
        return f"'{shown}' is not the native API path — did you mean {parts.scheme}://{parts.netloc}{API_PATH}?"
    return None


def _url_problem(url: str, example: str) -> str | None:
    """Why `url` is not a usable http(s) URL, or None."""
    shown = url.encode("unicode_escape").decode("ascii")
    if _has_control(url) or any(char.isspace() for char in url):
        return f"'{shown}' holds spaces or control characters — use e.g. {example}"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return f"'{shown}' is not a valid URL — use e.g. {example}"
    if parts.scheme not in ("http", "https") or not host:
        return f"'{shown}' is not an http(s) URL — use e.g. {example}"
    if parts.username or parts.password:
        return f"'{shown}' holds credentials — remove them; the key is sent as a Bearer header"
    if parts.scheme == "http" and not is_loopback(host):
        return (
            f"'{shown}' is plain http to {host}, which would send the API key unencrypted — use https "
            f"(e.g. {example}); plain http is allowed only to this machine (the local emulator)"
        )
    return None


def header_value_problem(value: str) -> str | None:
    """Why `value` cannot be sent in an HTTP header (API key, workspace id), or None; never repeats the value."""
    if _has_control(value):
        return "holds a control character (a line break or tab, often from copy and paste) — set it again without it"
    if not value.isascii() or not value.isprintable() or " " in value:
        return "holds spaces or non-ASCII characters — set it again exactly as the console shows it"
    return None
