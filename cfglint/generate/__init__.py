"""Build-time generators: editor schemas and compiled validators from the harness models (`make schemas`)."""
