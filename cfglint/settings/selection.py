"""Which rule codes a run reports: `--select`, `--extend-select`, `--ignore` (codes or prefixes)."""

from __future__ import annotations

from cfglint.core.record import named_tuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Sequence


class SelectionError(ValueError):
    pass


def _check(selectors: Iterable[str], known: Sequence[str]) -> list[str]:
    out = []
    for raw in selectors:
        for part in raw.split(","):
            code = part.strip().upper()
            if not code:
                continue
            if code != "ALL" and not any(k.startswith(code) for k in known):
                raise SelectionError(f"unknown rule code or prefix {part.strip()!r}")
            out.append(code)
    return out


@named_tuple
class Selection:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()

    @classmethod
    def build(cls, known: Sequence[str], select: Sequence[str] = (), extend_select: Sequence[str] = (),
              ignore: Sequence[str] = ()) -> "Selection":
        chosen = _check(select, known) or ["ALL"]
        chosen += _check(extend_select, known)
        return cls(tuple(chosen), tuple(_check(ignore, known)))

    def enabled(self, code: str) -> bool:
        """The most specific matching selector wins (ruff's rule); ties go to ignore."""
        selected = _specificity(code, self.select)
        return selected >= 0 and selected > _specificity(code, self.ignore)


def _specificity(code: str, selectors: Sequence[str]) -> int:
    """Length of the longest selector matching `code` (`ALL` counts 0); -1 when none does."""
    return max((0 if s == "ALL" else len(s) for s in selectors if s == "ALL" or code.startswith(s)),
               default=-1)
