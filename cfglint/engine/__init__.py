"""The pipeline: discovery, loading, checking, the result cache."""
