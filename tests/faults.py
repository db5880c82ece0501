"""Run ``srm-package`` as a real process with one fault injected at a chosen moment.

    python -m tests.faults FAULT ARG -- srm-package arguments...

The faults are real: the process sends itself SIGKILL, SIGTERM or SIGINT, or waits, at
a precise point of the build, so that tests of kills and races are deterministic.

- ``kill-after-renames N``: SIGKILL once N packages have been renamed into place.
- ``kill-mid-swap 0``: SIGKILL halfway through replacing the site folder (old one moved aside).
- ``kill-after-staging N`` / ``term-after-staging N``: SIGKILL / SIGTERM once N packages are staged.
- ``term-while-landing 0`` / ``int-while-landing 0``: SIGTERM / SIGINT as the first package lands.
- ``wait-before-landing FILE``: wait (up to a minute) for FILE to exist before landing.
- ``slow-workers FILE``: each worker process appends its pid to FILE, then sleeps 8 s per target.
- ``signal-on-import MODULE:SIGNAL``: send SIGNAL when MODULE is first imported.
- ``umask MASK``: run the build under umask MASK (octal).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path


def _inject(fault: str, arg: str) -> None:
    if fault == "signal-on-import":  # first: nothing of the program may be imported yet
        module, signal_name = arg.split(":")
        sys.meta_path.insert(0, _SignalOnImport(module, getattr(signal, signal_name)))
        return
    if fault == "umask":
        os.umask(int(arg, 8))
        return
    from srm_package import build, output_folder

    if fault in ("kill-after-renames", "kill-mid-swap", "term-while-landing", "int-while-landing"):
        real_replace = output_folder._replace
        count = [0]

        def replace(tmp: Path, final: Path) -> None:
            if fault == "kill-mid-swap" and tmp.is_dir() and final.exists():
                final.rename(final.with_name(f".{final.name}.old"))
                os.kill(os.getpid(), signal.SIGKILL)
            if fault == "term-while-landing" and count[0] == 0:
                os.kill(os.getpid(), signal.SIGTERM)
            if fault == "int-while-landing" and count[0] == 0:
                os.kill(os.getpid(), signal.SIGINT)
            real_replace(tmp, final)
            count[0] += 1
            if fault == "kill-after-renames" and count[0] == int(arg):
                os.kill(os.getpid(), signal.SIGKILL)

        output_folder._replace = replace
    elif fault in ("kill-after-staging", "term-after-staging"):
        real_stage = output_folder.Staging.stage
        staged = [0]

        def stage(self, artifact, target):
            result = real_stage(self, artifact, target)
            staged[0] += 1
            if staged[0] == int(arg):
                os.kill(os.getpid(), signal.SIGKILL if fault == "kill-after-staging" else signal.SIGTERM)
            return result

        output_folder.Staging.stage = stage
    elif fault == "wait-before-landing":
        real_land = output_folder.OutputFolder.land

        def land(self, staged, covered, source):
            deadline = time.monotonic() + 60
            while not Path(arg).exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            return real_land(self, staged, covered, source)

        output_folder.OutputFolder.land = land
    elif fault == "slow-workers":
        parent, real_builder = os.getpid(), build.builder

        def builder(name: str):
            if os.getpid() != parent:
                with open(arg, "a", encoding="utf-8") as pids:
                    pids.write(f"{os.getpid()}\n")
                time.sleep(8)
            return real_builder(name)

        build.builder = builder
    else:
        raise SystemExit(f"unknown fault {fault!r}")


class _SignalOnImport:
    """A meta-path finder that finds nothing: it sends a signal when ``module`` is imported."""

    def __init__(self, module: str, signum: int) -> None:
        self.module, self.signum = module, signum

    def find_spec(self, name, path=None, target=None):
        if name == self.module:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), self.signum)
        return None


def main() -> None:
    fault, arg, separator, *arguments = sys.argv[1:]
    assert separator == "--", "usage: python -m tests.faults FAULT ARG -- arguments..."
    _inject(fault, arg)
    sys.argv = ["srm-package", *arguments]
    from srm_package.__main__ import main as program

    program()


if __name__ == "__main__":
    main()
