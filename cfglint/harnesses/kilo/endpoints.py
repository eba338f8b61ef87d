"""Where Kilo sends requests and keeps their credentials (SEC001, SEC004), and where a
credential written in a config should live instead."""

from __future__ import annotations

import re

from cfglint.core.document import Document, Path
from cfglint.core.secrets import is_secret_key
from cfglint.harnesses.endpoints import Endpoint, entries, keys_where, sends_credential
from cfglint.harnesses.kilo import KILO

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


def endpoints(data: Any) -> Iterator[Endpoint]:
    """Kilo `provider.<id>`: `options.apiKey`, auth headers, `env` (variables that hold
    the key); base URLs `options.baseURL`, `api` and each model's `provider.api`."""
    for pid, provider in entries(data, "provider"):
        path = ("provider", pid)
        options = provider.get("options")
        credentials = [path + ("options", "apiKey")]
        if isinstance(options, dict):
            credentials += keys_where(options.get("headers"), path + ("options", "headers"), is_secret_key)
        urls = [path + ("options", "baseURL"), path + ("api",)]
        for mid, model in entries(provider, "models"):
            credentials += keys_where(model.get("headers"), path + ("models", mid, "headers"), is_secret_key)
            urls.append(path + ("models", mid, "provider", "api"))
        env = provider.get("env")
        sends = sends_credential(data, credentials) or (isinstance(env, list) and bool(env))
        yield Endpoint(f"provider `{pid}`", tuple(credentials), tuple(urls), sends)


def env_var_name(path: Path) -> str:
    """A variable name for a Kilo `{env:}` suggestion, from the provider id."""
    return re.sub(r"[^A-Za-z0-9]+", "_", str(path[1])).strip("_").upper() + "_API_KEY"


def secret_fix(doc: Document, path: Path, value: str, secret: str) -> str:
    """`{env:}` in the global config, where Kilo substitutes it; a project config may hold
    none, so there the key goes to `kilo auth login` or the global config."""
    scheme = value.strip()[: len(value.strip()) - len(secret)]
    var = env_var_name(path)
    if KILO.is_global_config(doc):
        return (f"write `\"{scheme}{{env:{var}}}\"` and export {var} where Kilo starts; Kilo substitutes it when "
                "it loads the file")
    return ("move it out of this project file: Kilo refuses a project config that contains `{env:...}`, so "
            f"store the key with `kilo auth login`, or set `\"{scheme}{{env:{var}}}\"` for provider "
            f"`{path[1]}` in the global config `~/.config/kilo/kilo.jsonc` and export {var}")
