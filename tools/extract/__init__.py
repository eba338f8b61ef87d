"""Scripts that read harness facts from the harnesses' own shipped packages.

Each module `tools/extract/<harness>.py` downloads one published artifact (npm or
PyPI) into a cache, reads the facts cfglint needs from it (key sets, schemas) and
writes them, with the package, version and the artifact's sha256, to a JSON file
inside the harness unit. `make extract` runs them all; `tests/test_extracted_facts.py`
regenerates each file from a cached artifact and fails when it differs.
"""
