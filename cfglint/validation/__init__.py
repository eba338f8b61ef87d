"""Schema validation: the compiled validators (`generated/`, never edited by hand) and their runtime."""
