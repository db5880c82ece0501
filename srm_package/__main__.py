"""``python -m srm_package`` and the ``srm-package`` script: the command-line tool."""

import sys


def main() -> None:
    """The program: Ctrl-C and SIGTERM stop it with exit 130 and 143, never a traceback."""
    try:
        from srm_package.signals import Stopped, catch, release
    except KeyboardInterrupt:  # Ctrl-C in the first milliseconds, before anything is set up
        sys.exit(130)
    try:
        catch()  # before the command line's modules are imported: that takes a while
        from srm_package.cli import main as command_line

        command_line()
    except KeyboardInterrupt:  # Python's own Ctrl-C: it came before catch() took over
        sys.exit(130)
    except Stopped as stop:
        sys.exit(stop.exit_code)
    finally:
        release()


if __name__ == "__main__":
    main()
