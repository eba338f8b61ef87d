"""Where opencode sends requests and keeps their credentials (SEC001, SEC004), and where a
credential written in a config should live instead.

The provider block is Kilo's (Kilo is a fork of opencode): `kilo.endpoints.endpoints` reads it.
The advice differs: opencode substitutes `{env:}` in every config, project files included.
"""

from __future__ import annotations

from cfglint.core.document import Path
from cfglint.harnesses.kilo.endpoints import env_var_name, endpoints
from cfglint.harnesses.opencode.facts import GLOBAL_CONFIG_PATH

__all__ = ["endpoints", "secret_fix"]


def secret_fix(path: Path, value: str, secret: str) -> str:
    """`{env:VAR}` in place (opencode substitutes it in any config), or `opencode auth login`."""
    scheme = value.strip()[: len(value.strip()) - len(secret)]
    var = env_var_name(path)
    return (f"write `\"{scheme}{{env:{var}}}\"` and export {var} where opencode starts (opencode substitutes it "
            f"when it loads the file), or store the key with `opencode auth login`; keep personal keys in the "
            f"global config `{GLOBAL_CONFIG_PATH}`, then revoke the exposed key")
