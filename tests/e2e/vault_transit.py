"""A local stand-in for HashiCorp Vault's transit engine, the key service behind `--secrets-provider hashivault://`.

Most real-CLI tests keep their stacks' secrets with Pulumi's cloud secrets manager (a data key wrapped by a key
service, as teams using KMS or Vault do) instead of the passphrase manager: the passphrase manager derives its key
with 10^6 rounds of PBKDF2 in every command (about 0.16 s of the CLI's CPU), while unwrapping the data key here
is one local HTTP call. The secret values in state are still AES-GCM ciphertext under that data key.
The passphrase manager keeps its own tests (the recorded release stacks, the package, YAML, TypeScript and Go
projects). The "wrapping" here is plain base64: it stands for the key service, it protects nothing.
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["SECRETS_PROVIDER", "vault_env"]

SECRETS_PROVIDER = "hashivault://modelstudio-e2e"
"""The `--secrets-provider` of stacks made by `PulumiProject.init_stack`."""
_PREFIX = "vault:v1:"
_server: ThreadingHTTPServer | None = None
_lock = threading.Lock()


class _Transit(BaseHTTPRequestHandler):
    """`PUT|POST /v1/transit/encrypt/<key>` and `/v1/transit/decrypt/<key>`, answered as Vault does."""

    def do_PUT(self) -> None:
        """Encrypt or decrypt, by path."""
        length = int(self.headers.get("Content-Length") or 0)
        body: dict[str, Any] = json.loads(self.rfile.read(length) or b"{}")
        parts = self.path.strip("/").split("/")
        operation = parts[2] if len(parts) == 4 and parts[:2] == ["v1", "transit"] else None
        if operation == "encrypt":
            self._answer(HTTPStatus.OK, {"ciphertext": _PREFIX + str(body.get("plaintext", ""))})
        elif operation == "decrypt":
            ciphertext = str(body.get("ciphertext", ""))
            if ciphertext.startswith(_PREFIX):
                self._answer(HTTPStatus.OK, {"plaintext": ciphertext.removeprefix(_PREFIX)})
            else:
                self._answer(HTTPStatus.BAD_REQUEST, None, ["invalid ciphertext: no prefix"])
        else:
            self._answer(HTTPStatus.NOT_FOUND, None, [f"no handler for route {self.path!r}"])

    do_POST = do_PUT  # noqa: N815 (the handler name http.server looks up)

    def _answer(self, status: HTTPStatus, data: dict[str, Any] | None, errors: list[str] | None = None) -> None:
        payload = json.dumps({"data": data} if errors is None else {"errors": errors}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def vault_env() -> dict[str, str]:
    """The environment the CLI's Vault client reads, pointing at this process's transit server (started once)."""
    global _server  # noqa: PLW0603 (one server per test process)
    with _lock:
        if _server is None:
            _server = ThreadingHTTPServer(("127.0.0.1", 0), _Transit)
            _server.daemon_threads = True
            threading.Thread(target=_server.serve_forever, name="vault-transit", daemon=True).start()
        host, port = _server.server_address[:2]
    return {"VAULT_SERVER_URL": f"http://{host!s}:{port}", "VAULT_SERVER_TOKEN": "e2e-token"}
