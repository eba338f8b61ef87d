"""Where Hermes sends requests and keeps credentials (SEC001, SEC004), and where a credential
written in config.yaml belongs instead."""

from __future__ import annotations


from cfglint.core.document import Document, Path
from cfglint.harnesses.endpoints import Endpoint, entries, sends_credential

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


def endpoints(data: Any) -> Iterator[Endpoint]:
    """Hermes `model`, `auxiliary.<task>` and `custom_providers[]`, each with `api_key`
    and `base_url`."""
    blocks: list[tuple[str, Path, Any]] = [("`model`", ("model",), data.get("model"))]
    blocks += [(f"`auxiliary.{task}`", ("auxiliary", task), block) for task, block in entries(data, "auxiliary")]
    custom = data.get("custom_providers")
    if isinstance(custom, list):
        for index, entry in enumerate(custom):
            name = entry.get("name") if isinstance(entry, dict) else None
            label = f"custom provider `{name}`" if isinstance(name, str) else f"`custom_providers[{index}]`"
            blocks.append((label, ("custom_providers", index), entry))
    for label, path, block in blocks:
        if isinstance(block, dict):
            credentials = (path + ("api_key",),)
            yield Endpoint(label, credentials, (path + ("base_url",),), sends_credential(data, credentials))


def secret_fix(doc: Document, path: Path, value: str, secret: str) -> str:
    """Hermes keeps credentials in its own secrets file, whatever the key."""
    return ("move it to Hermes's secrets file `~/.hermes/.env` (`$HERMES_HOME/.env`) and delete it from "
            "config.yaml")
