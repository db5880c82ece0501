"""``python -m srm_package`` runs the command-line tool."""

from srm_package.cli import run

if __name__ == "__main__":
    run()
