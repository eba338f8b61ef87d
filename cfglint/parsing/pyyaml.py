"""PyYAML, imported without compiling its patterns at import.

`import yaml` compiles ten patterns, 4.4 ms of a Hermes check's ~50 ms CPU. 3.1 ms of it is the
reader's `NON_PRINTABLE`, a negated class over all of Unicode, which `re` expands code point
by code point. `import_pyyaml` imports PyYAML with each pattern its own modules compile
made on first use instead (most Hermes files never use the timestamp, merge or `=` patterns),
and the reader's spelled as its complement: the same code points (tests compare them over all
of Unicode) in a sixth of the compile time. Nothing else changes: the module is PyYAML, its
patterns are the same patterns, compiled later.
"""

from __future__ import annotations

import re
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

__all__ = ["import_pyyaml"]

_compile = re.compile

# `yaml.reader.Reader.NON_PRINTABLE` as PyYAML 6 spells it, and the same set as a positive class.
NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
NON_PRINTABLE_COMPLEMENT = "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"


class CompiledOnFirstUse:
    """Stands for a compiled pattern; compiles it when one of its attributes is first read,
    then keeps that attribute (`match`, `search`, ...) so later calls go straight to `re`."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        value = getattr(_compile(*self.source), name)
        setattr(self, name, value)
        return value


def _compile_later(pattern: Any, flags: int = 0) -> Any:
    """`re.compile` while PyYAML is imported: PyYAML's own patterns wait, anyone else's do not."""
    caller = sys._getframe(1).f_globals.get("__name__", "")
    if not isinstance(pattern, str) or not (caller == "yaml" or caller.startswith("yaml.")):
        return _compile(pattern, flags)
    return CompiledOnFirstUse(NON_PRINTABLE_COMPLEMENT if pattern == NON_PRINTABLE else pattern, flags)


def import_pyyaml() -> ModuleType:
    """The `yaml` module; imported here first, its patterns compile on first use."""
    module = sys.modules.get("yaml")
    if module is not None:
        return module
    re.compile = _compile_later
    try:
        import yaml
    finally:
        re.compile = _compile
    return yaml
