"""Every error this package raises, one tree.

```
ModelStudioError                      base of everything raised here
├── ConfigurationError                bad or missing settings (api key, endpoint, region)
├── DatasetError                      a dataset breaks a documented rule
├── APIError                          talking to the API failed (method, url, request_id)
│   ├── APIConnectionError            no HTTP answer (refused, reset)
│   │   └── APITimeoutError           no answer in time
│   ├── APIStatusError                non-2xx answer (status_code, code, message, request_id)
│   │   ├── BadRequestError           400
│   │   ├── AuthenticationError       401
│   │   ├── PermissionDeniedError     403
│   │   ├── NotFoundError             404, or the files API's 400 InvalidParameter "File not found."
│   │   ├── ConflictError             409
│   │   ├── RateLimitError            429
│   │   └── InternalServerError       5xx
│   ├── ResponseValidationError       a 2xx body that does not fit the wire model
│   └── UploadFailedError             a 2xx upload that lists the file under failed_uploads
├── JobFailedError                    a fine-tune job ended FAILED or CANCELED, or missed its deadline
├── ProvisioningError                 the service did not end in the requested state
├── WaitTimeoutError                  a waiter's deadline passed
└── RunInterruptedError               the run is being stopped (Ctrl-C): a wait ended early
```
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DatasetError",
    "InternalServerError",
    "JobFailedError",
    "ModelStudioError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProvisioningError",
    "RateLimitError",
    "ResponseValidationError",
    "RunInterruptedError",
    "UnsendableRequestError",
    "UploadFailedError",
    "WaitTimeoutError",
    "make_status_error",
    "scrub",
]

_KEY = re.compile(r"sk-[A-Za-z0-9_\-]{4,}")


def scrub(text: str) -> str:
    """Remove anything that looks like an API key."""
    return _KEY.sub("sk-***", text)


class ModelStudioError(Exception):
    """Base of every error raised by this package."""

    def __init__(self, message: str) -> None:
        """Keep a scrubbed message."""
        super().__init__(scrub(message))


class ConfigurationError(ModelStudioError):
    """A setting is missing or invalid; the message names it and both ways to set it."""


class DatasetError(ModelStudioError):
    """A dataset folder or zip breaks a documented rule."""

    def __init__(self, message: str, *, path: str, problems: list[str]) -> None:
        """`problems` lists each offending file/line with its fix."""
        super().__init__(message)
        self.path = path
        self.problems = problems


class APIError(ModelStudioError):
    """Talking to the API failed."""

    def __init__(self, message: str, *, method: str, url: str, request_id: str | None = None) -> None:
        """Record what was called and the request id when there is one."""
        super().__init__(message)
        self.method = method
        self.url = url
        self.request_id = request_id


class APIConnectionError(APIError):
    """No HTTP answer: connection refused or reset."""


class APITimeoutError(APIConnectionError):
    """No answer in time."""


class APIStatusError(APIError):
    """The API answered with a non-2xx status."""

    hint: str = ""

    def __init__(
        self,
        *,
        status_code: int,
        code: str | None,
        message: str | None,
        method: str,
        url: str,
        request_id: str | None,
        body: Any = None,
    ) -> None:
        """Build `METHOD PATH failed: STATUS CODE: MESSAGE (request_id=…)` plus a hint."""
        self.status_code = status_code
        self.code = code
        self.api_message = message
        self.body = body
        path = re.sub(r"^https?://[^/]+", "", url).split("?", 1)[0]
        text = f"{method} {path} failed: {status_code} {code or 'Error'}: {message or 'no message'}"
        if request_id:
            text += f" (request_id={request_id})"
        if self.hint:
            text += f". {self.hint}"
        super().__init__(text, method=method, url=url, request_id=request_id)


class BadRequestError(APIStatusError):
    """400: the request was rejected as invalid."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong, or from another region."""

    hint = (
        "Check the key: set it with `pulumi config set --secret modelstudio:apiKey sk-…` or DASHSCOPE_API_KEY, "
        "and make sure it belongs to the endpoint's region (Beijing and Singapore keys cannot be mixed)"
    )


class PermissionDeniedError(APIStatusError):
    """403: the account may not do this."""


class NotFoundError(APIStatusError):
    """404: no such job, checkpoint or deployment; for files the documented 400 InvalidParameter "File not found."."""


class ConflictError(APIStatusError):
    """409: it exists already (e.g. a deployment of the same model without a suffix)."""


class RateLimitError(APIStatusError):
    """429: throttled, or a quota such as 20 running/succeeded fine-tune jobs per account."""

    hint = (
        "Quota or rate limit reached: at most one job trains at a time and 20 jobs may be running or "
        "succeeded per account; delete finished jobs you no longer need or ask for a higher quota"
    )


class InternalServerError(APIStatusError):
    """5xx: the service failed."""


class ResponseValidationError(APIError):
    """A 2xx body that does not fit the expected shape."""


class UnsendableRequestError(APIError):
    """A request body JSON cannot carry (NaN or Infinity): refused before anything is sent."""


class UploadFailedError(APIError):
    """The upload answered 200 but listed the file under `failed_uploads`."""

    def __init__(self, message: str, *, method: str, url: str, request_id: str | None, code: str | None) -> None:
        """Carry the per-file failure code."""
        super().__init__(message, method=method, url=url, request_id=request_id)
        self.code = code


class JobFailedError(ModelStudioError):
    """A fine-tune job ended FAILED or CANCELED, or missed its deadline."""

    def __init__(self, text: str, *, job_id: str, status: str, code: str | None, message: str | None = None) -> None:
        """Carry the job's own failure code and message."""
        super().__init__(text)
        self.job_id = job_id
        self.status = status
        self.code = code
        self.job_message = message


class ProvisioningError(ModelStudioError):
    """The service did not end in the requested state (wrong model served, export failed…)."""


class WaitTimeoutError(ModelStudioError):
    """A waiter's deadline passed."""

    def __init__(self, *, what: str, ident: str, last_status: str, waited_s: float) -> None:
        """Say what was awaited, which one, its last status and how long."""
        super().__init__(f"{what} {ident} still {last_status} after {waited_s:.0f} s")
        self.what = what
        self.ident = ident
        self.last_status = last_status
        self.waited_s = waited_s


class RunInterruptedError(ModelStudioError):
    """The run is being stopped (Ctrl-C in `pulumi up`): a wait ended before its object settled."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


_FILE_URL = re.compile(r"/files/[^/?]+/?(\?.*)?$")


def _is_missing_file(status_code: int, code: Any, message: Any, url: str) -> bool:
    """The files API answers an unknown or deleted file with 400 InvalidParameter "File not found." (documented)."""
    missing = code == "InvalidParameter" and str(message or "").strip().rstrip(".").lower() == "file not found"
    return status_code == 400 and missing and bool(_FILE_URL.search(url))


def make_status_error(status_code: int, body: Any, *, method: str, url: str, request_id: str | None) -> APIStatusError:
    """Map a non-2xx answer to its error class."""
    code = message = None
    if isinstance(body, dict):
        code = body.get("code")
        message = body.get("message") or body.get("msg")
        if isinstance(body.get("error"), dict):
            code = code or body["error"].get("code") or body["error"].get("type")
            message = message or body["error"].get("message")
        request_id = request_id or body.get("request_id")
    cls = _BY_STATUS.get(status_code, InternalServerError if status_code >= 500 else APIStatusError)
    if _is_missing_file(status_code, code, message, url):
        cls = NotFoundError
    return cls(
        status_code=status_code,
        code=str(code) if code is not None else None,
        message=str(message) if message is not None else None,
        method=method,
        url=url,
        request_id=request_id,
        body=body,
    )
