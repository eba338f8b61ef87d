"""cfglint: lint the configuration files of AI coding agents."""

__version__ = "0.1.0"
