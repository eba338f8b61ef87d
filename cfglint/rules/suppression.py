"""SUP rules: suppression comments that do nothing (ruff's RUF100, unused-noqa).

The engine judges these after every other finding (`SettingsJudge.unused_suppressions`,
`cfglint.settings.suppressions.unused_suppression_findings`): a suppression is unused only
once every rule of the run had its say on the file. The class holds the docs.
"""

from __future__ import annotations

from cfglint.core.finding import Severity
from cfglint.rules.base import Rule, RuleDoc


class UnusedSuppression(Rule):
    code = "SUP001"
    name = "unused-suppression"
    severity = Severity.WARNING
    summary = "A `cfglint: ignore[...]` comment that suppresses nothing, or names a code cfglint does not have."
    doc = RuleDoc(
        what=(
            "Checks each code of each `cfglint: ignore[CODES]` and `cfglint: ignore-file[CODES]` "
            "comment (`#` in TOML and YAML, `//` or `/* */` in JSONC). A code is unused when its rule "
            "ran on the file and no finding of it was suppressed there (the finding sits at the "
            "comment); a code is unknown when no cfglint rule starts with it (the finding sits at the "
            "code). As in ruff's RUF100, a code the run does not check (`--select`, `--ignore`, the "
            "`select`/`ignore`/`per-file-ignores` settings) is never called unused, and a file that "
            "does not parse has only its unknown codes reported. A code that covers SUP001 itself is "
            "never reported."
        ),
        why=(
            "A suppression outlives the problem it was written for: once the value is fixed, the "
            "comment stays and silently hides the next real finding of that code on the line. An "
            "unknown code (`SCH02`, `CMP0001`, a ruff code) suppresses nothing, so the finding it was "
            "meant for still fires, or the typo hides that nothing was ever suppressed."
        ),
        example=(
            "# kimi config.toml: the model was renamed, the warning is gone, the comment stayed\n"
            '[models."kimi-k2"]  # cfglint: ignore[REG005]\n'
            'provider = "moonshot"\n'
            "max_context_size = 262144"
        ),
        fix=(
            "Remove the unused or unknown code from the comment (the whole comment when none is left). "
            "To keep one on purpose, add SUP001 to it: `# cfglint: ignore[REG005, SUP001]`."
        ),
    )

