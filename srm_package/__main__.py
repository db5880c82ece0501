"""``python -m srm_package`` runs the command-line tool."""

from srm_package.cli import main

if __name__ == "__main__":
    main()
