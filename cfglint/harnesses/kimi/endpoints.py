"""Where Kimi Code and kimi-cli send requests and the credentials they attach (SEC001, SEC004),
and where a credential written into the file belongs instead (the two harnesses read
different places, so each has its own advice)."""

from __future__ import annotations


from cfglint.core.document import Path
from cfglint.core.secrets import is_credential_variable, is_secret_key
from cfglint.harnesses.endpoints import Endpoint, entries, has_value, keys_where, sends_credential

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


KIMI_CODE_SECRET_FIX = (
    "move it out of the file: Kimi Code substitutes no variables and `[providers.x.env]` is just as "
    "plaintext; sign in with OAuth (`/login`, `oauth.storage = \"keyring\"`) or use the shell-only "
    "env model (`KIMI_MODEL_NAME` + `KIMI_MODEL_API_KEY`), and keep config.toml private (not in git)")
KIMI_CLI_SECRET_FIX = (
    "move it out of the file: kimi-cli reads `KIMI_API_KEY` (`kimi` providers) and `OPENAI_API_KEY` "
    "(`openai_*` providers) from the shell, so export it there and set `api_key = \"\"`, or use "
    "`oauth` with `storage = \"keyring\"`; `[providers.x.env]` is just as plaintext")


def endpoints(data: Any) -> Iterator[Endpoint]:
    """Kimi `[providers.x]` and `[services.x]` (`api_key`, `custom_headers`, the `env`
    fallbacks), and `[models.x]` with their own `api_key` / `base_url`."""
    provider_sends: dict[str, bool] = {}
    for kind, table in (("provider", "providers"), ("service", "services")):
        for name, entry in entries(data, table):
            path = (table, name)
            env = entry.get("env")
            credentials = (
                path + ("api_key",),
                *keys_where(entry.get("custom_headers"), path + ("custom_headers",), is_secret_key),
                *keys_where(env, path + ("env",), is_credential_variable),
            )
            urls: tuple[Path, ...] = (path + ("base_url",),)
            if not has_value(data, urls):  # the `env` fallbacks count only when `base_url` is unset
                urls += keys_where(env, path + ("env",), lambda k: isinstance(k, str) and k.upper().endswith("_BASE_URL"))
            sends = sends_credential(data, credentials) or isinstance(entry.get("oauth"), dict)
            if table == "providers":
                provider_sends[name] = sends
            yield Endpoint(f"{kind} `{name}`", credentials, urls, sends)
    for alias, model in entries(data, "models"):
        path = ("models", alias)
        credentials = (path + ("api_key",),)
        sends = (sends_credential(data, credentials) or isinstance(model.get("oauth"), dict)
                 or provider_sends.get(str(model.get("provider")), False))
        yield Endpoint(f"model `{alias}`", credentials, (path + ("base_url",),), sends)
