"""cfglint's own configuration: settings files, rule selection, suppressions."""

# What every suppression comment holds (`# cfglint: ignore[...]`): a file without it has none, and
# its check need not import `settings.suppressions`.
SUPPRESSION_MARKER = "cfglint:"
UNUSED_SUPPRESSION = "SUP001"  # the rule reporting a suppression comment that suppressed nothing
