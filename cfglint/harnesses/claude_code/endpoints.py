"""Where Claude Code sends requests with a credential, and where a credential written in a settings
file should live instead (SEC001, SEC004)."""

from __future__ import annotations


from cfglint.core.document import Document, Path
from cfglint.core.secrets import is_credential_variable
from cfglint.harnesses.endpoints import Endpoint, keys_where

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


def endpoints(data: Any) -> Iterator[Endpoint]:
    """Claude Code's `env` block; the API key or auth token goes to `ANTHROPIC_BASE_URL`
    whenever that is set."""
    env = data.get("env") if isinstance(data, dict) else None
    yield Endpoint("Claude Code", keys_where(env, ("env",), is_credential_variable),
                   (("env", "ANTHROPIC_BASE_URL"),), True)


def secret_fix(doc: Document, path: Path, value: str, secret: str) -> str:
    """The same advice for every credential: settings files take no variable references, so the
    credential goes to the shell or to `apiKeyHelper`."""
    return ("remove it from `env` (settings files are shared and often committed): export it in the shell "
            "that starts Claude Code, or set `apiKeyHelper` to a command that prints it from a secret store")
