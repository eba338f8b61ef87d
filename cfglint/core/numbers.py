"""The one guard every number from a config file or the environment goes through.

Config syntaxes carry numbers no harness computes with: TOML `nan`/`inf`, YAML
`.nan`/`.inf`, `1e400` (infinity to Python's json, tomllib and PyYAML, and to
JavaScript's `JSON.parse`), integers too large for a double (exact in Python,
Infinity in JavaScript) and integers past Python's 4,300-digit `int`/`str` limit.
What the harnesses do with them:

- Kimi Code, Kilo and Claude Code (JavaScript) see a double: a huge integer is
  Infinity, and their schemas (`Finite`, zod `.int()`, `parseInt` then
  `isFinite`/`> 0` checks) refuse Infinity and NaN, so the setting has no effect.
- kimi-cli and Hermes (Python) keep the exact integer, but pydantic's int fields
  refuse inf/nan, and the first `int * float` of a budget computation raises
  OverflowError: no run gets a budget from such a number either.

So a resolver reads every number through `finite()` (None: not a number the harness
computes with; validation reports it) and messages print them through `text()`
(never `str()` of an integer of thousands of digits). Ordinary numbers pass
through unchanged: exactness comes first.
"""

from __future__ import annotations

import math
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable


# Python refuses str() and int() beyond this many digits (sys.get_int_max_str_digits()).
_STR_DIGITS = 4_300
# Integers up to this many digits print in full; longer ones by their size.
_SHOWN_DIGITS = 40


def is_number(value: Any) -> bool:
    """An int or float from a parsed document (a bool is not a number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def as_double(value: Any) -> float | None:
    """`value` as JavaScript's Number holds it: a huge integer is +-Infinity; None if not a number."""
    if not is_number(value):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def finite(value: Any) -> int | float | None:
    """`value` unchanged when it is a number a harness computes with, else None.

    None for non-numbers, NaN, +-Infinity and integers beyond a double's range (see the
    module docstring for why every harness ends up without a setting there)."""
    double = as_double(value)
    if double is None or not math.isfinite(double):
        return None
    return value


def rounded(rounding: Callable[[float], int], value: float) -> int | float:
    """`rounding(value)` (`math.ceil`, `math.floor`), but +-Infinity stays itself, as in
    JavaScript's `Math.ceil`: a product that overflows a double (`window × 1e308`) is a
    threshold no token count reaches, not an error. An int is already whole (and may be too
    large for a double: `window × ratio` of two huge integers)."""
    if isinstance(value, int):
        return value
    return rounding(value) if math.isfinite(value) else value


def decimal(digits: str) -> int | float:
    """An integer literal (`[+-]?[0-9]+`) as a number: exact while a double can hold its
    magnitude, else +-Infinity, as JavaScript's `Number()` reads it (past Python's
    int-from-str limit too): arithmetic with it never raises OverflowError."""
    if len(digits.lstrip("+-")) <= _STR_DIGITS:
        value = int(digits)
        if finite(value) is not None:
            return value
    return -math.inf if digits.startswith("-") else math.inf


def integer(digits: str) -> int | None:
    """An integer literal (`[+-]?[0-9]+`) a harness computes with, else None (see `finite`)."""
    return finite(decimal(digits))


def digit_count(value: int) -> int:
    """Decimal digits of `value` without str() (which Python refuses past 4,300 digits)."""
    magnitude = abs(value)
    if magnitude < 10:
        return 1
    count = int(magnitude.bit_length() * math.log10(2))
    while 10**count <= magnitude:
        count += 1
    while 10 ** (count - 1) > magnitude:
        count -= 1
    return count


def text(value: Any, *, grouped: bool = False) -> str:
    """A number (or any value) for a message: `131072` (`131,072` when `grouped`), `inf`,
    `nan`, and `a 5,000-digit number` for an integer too long to print."""
    if isinstance(value, int) and not isinstance(value, bool):
        digits = digit_count(value)
        if digits > _SHOWN_DIGITS:
            return f"{'a negative' if value < 0 else 'a'} {digits:,}-digit number"
        return f"{value:,}" if grouped else str(value)
    if isinstance(value, float) and grouped and math.isfinite(value):
        return f"{value:,}"
    return str(value)


def tokens(value: Any) -> str:
    """`131,072` for token counts (an integral float too); other values as written."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text(int(value), grouped=True) if isinstance(value, int) else text(value)


# ECMAScript StringToNumber: the whitespace it trims, and the literals it reads.
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
                 "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# (compiled by their first use, `re` caches them: most runs read no JavaScript number)
_JS_DECIMAL = r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
_JS_RADIX = r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)"


def javascript_number(text: str) -> float | None:
    """`Number(text)` in JavaScript, None where it gives NaN: surrounding whitespace trimmed,
    empty is 0, decimal literals with fraction and exponent, `Infinity`, `0x`/`0o`/`0b`
    integers; a value beyond a double's range is +-Infinity. Kilo reads its numeric flags so
    (`Number(process.env[name])`), so `6.4e4` and `0x10000` are integers to it."""
    trimmed = text.strip(_JS_WHITESPACE)
    if not trimmed:
        return 0.0
    if re.fullmatch(_JS_RADIX, trimmed):  # int() takes any length in a power-of-two base
        return as_double(int(trimmed[2:], {"x": 16, "o": 8, "b": 2}[trimmed[1].lower()]))
    if not re.fullmatch(_JS_DECIMAL, trimmed):
        return None
    return float(trimmed.replace("Infinity", "inf"))  # correctly rounded, as JavaScript's


def javascript_integer(value: float | None) -> bool:
    """`Number.isInteger(value)` (None, the NaN of `javascript_number`, is not)."""
    return value is not None and math.isfinite(value) and value == math.floor(value)
