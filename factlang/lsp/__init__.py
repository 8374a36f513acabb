"""``factlang lsp``: a Language Server Protocol server for fact files.

A thin adapter over the API the CLI uses: :mod:`factlang.lsp.project`
holds a project's buffers and analyses them with the parser, builder and
verifier; :mod:`factlang.lsp.features` and :mod:`factlang.lsp.diagnose`
are the editor features as small functions; :mod:`factlang.lsp.server`
wires them to pygls. It needs the ``lsp`` extra (pygls and lsprotocol).
"""

from __future__ import annotations

import sys

__all__ = ["main"]

MISSING: str = (
    "factlang lsp needs the language-server extra, which is not installed.\n"
    "Install it with: pip install 'factlang[lsp]'"
)


def main() -> int:
    """Serve LSP over stdio; exit 2 with a message naming the extra when pygls is missing."""
    try:
        import lsprotocol  # noqa: F401 - only to check it is installed
        import pygls  # noqa: F401
    except ImportError:
        print(f"error: {MISSING}", file=sys.stderr)
        return 2
    from factlang.lsp.server import serve

    serve()
    return 0
