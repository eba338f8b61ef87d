"""Where pi sends requests with a credential (models.json providers; SEC001, SEC004), and where a
credential written there should live instead.

`apiKey` and header values are a literal, `"$NAME"` / `"${NAME}"` (pi reads the variable) or
`"!command"` (pi runs the command and uses its output) (`harness-pi.md` §2.2, models.schema.json
"Literal key, "$NAME" environment interpolation, or "!command" output"): only a literal is a
credential in the file. Before 0.77.0 (`@mariozechner/pi-coding-agent@0.73.1`
dist/core/resolve-config-value.js) pi looked the whole value up as a variable name first
(`process.env[config] || config`), so a bare `ANTHROPIC_API_KEY` is a reference there and
`$NAME` a literal; neither is a credential written in the file on any version.
"""

from __future__ import annotations

import re

from cfglint.core.document import Document, Path, get_path
from cfglint.core.secrets import is_secret_key
from cfglint.harnesses.endpoints import Endpoint, entries, keys_where, sends_credential
from cfglint.harnesses.pi.facts import AUTH_FILE, ENV_INTERPOLATION_FROM

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


def is_pi_reference(value: Any) -> bool:
    """`$NAME` or `!command`: pi resolves it when it sends the request."""
    return isinstance(value, str) and value.strip().startswith(("$", "!"))


def config_values(data: Any) -> Iterator[Path]:
    """Every value pi resolves as a config value (`resolveConfigValue`)."""
    for pid, provider in entries(data, "providers"):
        yield from _resolved_values(pid, provider)


def _resolved_values(pid: str, provider: dict) -> list[Path]:
    """A provider's `apiKey` and header values, and its models' header values."""
    path = ("providers", pid)
    found = [path + ("apiKey",)] if "apiKey" in provider else []
    found += keys_where(provider.get("headers"), path + ("headers",), lambda key: True)
    models = provider.get("models")
    for index, model in enumerate(models if isinstance(models, list) else []):
        if isinstance(model, dict):
            found += keys_where(model.get("headers"), path + ("models", index, "headers"), lambda key: True)
    return found


def endpoints(data: Any) -> Iterator[Endpoint]:
    """Each `providers.<id>`: `apiKey` and secret-named headers (provider and model), base URLs
    `baseUrl` of the provider and of each model."""
    for pid, provider in entries(data, "providers"):
        candidates = [p for p in _resolved_values(pid, provider) if p[-1] == "apiKey" or is_secret_key(p[-1])]
        models = provider.get("models")
        urls = [("providers", pid, "baseUrl")] + [("providers", pid, "models", index, "baseUrl")
                                                   for index, model in enumerate(models if isinstance(models, list)
                                                                                 else []) if isinstance(model, dict)]
        references = [p for p in candidates if is_pi_reference(get_path(data, p))]
        literals = tuple(p for p in candidates if p not in references)
        sends = bool(references) or sends_credential(data, literals)
        hosts = tuple(p for p in urls if not _placeholder_host(get_path(data, p)))
        yield Endpoint(f"provider `{pid}`", literals, hosts, sends)


# A host no resolver can look up: an upper-case name with `_` (`http://AI_SERVER_HOST:4000/v1`, which
# an installer fills in; `_` is not allowed in host names) or template syntax (`${HOST}`, `{{host}}`, `<host>`).
_PLACEHOLDER_HOST = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|[${}<>]")


def _placeholder_host(url: Any) -> bool:
    """The base URL's host is a template placeholder, not a place requests go (SEC004)."""
    if not isinstance(url, str):
        return False
    _, scheme, rest = url.strip().partition("://")
    host = re.split(r"[/?#]", rest if scheme else url.strip(), maxsplit=1)[0].rpartition("@")[2]
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return bool(_PLACEHOLDER_HOST.search(host))


def secret_fix(doc: Document, path: Path, value: str, secret: str) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "_", str(path[1])).strip("_").upper() + "_API_KEY"
    return (f"remove it from models.json: store the key in `{AUTH_FILE}` (`/login`), or write `\"${name}\"` "
            f"(the bare name `\"{name}\"` before pi {ENV_INTERPOLATION_FROM}) and export {name} where pi starts "
            "(pi reads the variable), then revoke the key")
