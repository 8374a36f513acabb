"""A Griffe extension for the API reference: factlang's reST docstrings, read as Markdown.

The docstrings use Sphinx roles (``:class:`~factlang.model.FactBase```) and
reST literal blocks (a paragraph ending in ``::``). mkdocstrings reads
docstrings as Markdown, where both show literally. This extension rewrites
each role as an *optional* autorefs cross-reference (a link when the target
is documented on the site, plain code otherwise, never a warning) and each
``::`` paragraph end as ``:`` so the indented block after it is code.
"""

from __future__ import annotations

import re
from typing import Any, Final

import griffe

_ROLE: Final = re.compile(
    r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const|type):`(?P<short>~?)(?P<path>[\w.]+?)(?:\(\))?`"
)
_LITERAL_MARKER: Final = re.compile(r"(?m)(\S)::$|^\s*::$")
_CODE_BLOCK_DIRECTIVE: Final = re.compile(r"(?m)^\s*\.\. code-block::.*\n")


def _identifier(obj: griffe.Object, path: str) -> str:
    """The full path of a name as written in ``obj``'s docstring."""
    if "." in path:
        return path
    try:
        return obj.resolve(path)
    except griffe.NameResolutionError:
        return path


def _rewrite(obj: griffe.Object, text: str) -> str:
    def role(match: re.Match[str]) -> str:
        path = match["path"]
        title = path.rsplit(".", 1)[-1] if match["short"] else path
        return f'<autoref identifier="{_identifier(obj, path)}" optional><code>{title}</code></autoref>'

    text = _ROLE.sub(role, text)
    text = _CODE_BLOCK_DIRECTIVE.sub("", text)
    return _LITERAL_MARKER.sub(lambda m: f"{m.group(1)}:" if m.group(1) else "", text)


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring of each loaded package (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Rewrite the docstrings of a package and everything defined in it."""
        pending: list[griffe.Object] = [pkg]
        while pending:
            obj = pending.pop()
            if obj.docstring is not None:
                obj.docstring.value = _rewrite(obj, obj.docstring.value)
            pending.extend(m for m in obj.members.values() if isinstance(m, griffe.Object))
