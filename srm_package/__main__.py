"""``python -m srm_package`` and the ``srm-package`` script: the command-line tool."""

import sys


def main() -> None:
    try:
        from srm_package.cli import run
    except KeyboardInterrupt:  # Ctrl-C while the tool is still starting: no traceback
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
