"""A generated project in a temporary folder, for the benchmarks."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_project(prefix: str, *, keep: bool = False) -> Iterator[Path]:
    """A fresh folder for a generated project, removed afterwards unless ``keep``."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        if keep:
            print(f"project kept at {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
