"""The work behind the CLI commands that are more than a call into the library, one module each
(``cli.py`` keeps only the click declarations)."""
