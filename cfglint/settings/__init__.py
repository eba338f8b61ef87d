"""cfglint's own configuration: settings files, rule selection, suppressions."""
