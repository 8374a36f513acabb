"""Sources beyond plain text: HTML pages, PDF documents and URLs (SPEC §2.1).

- :mod:`~factlang.sources.formats` tells a source's format by its content
  and turns its bytes into one :class:`~factlang.sources.formats.Extracted`
  text (with page starts for PDFs and the page's metadata for HTML);
- :mod:`~factlang.sources.html` and :mod:`~factlang.sources.pdf` are the
  extractors, each behind an optional extra (``factlang[html]``,
  ``factlang[pdf]``);
- :mod:`~factlang.sources.store` keeps fetched bytes and extracted texts
  content-addressed under ``.factlang/sources/``;
- :mod:`~factlang.sources.lock` reads and writes ``factlang.lock``;
- :mod:`~factlang.sources.fetch` fetches a URL once (``factlang lock``);
- :mod:`~factlang.sources.anchors` re-anchors citations when a source
  changed since it was locked;
- :mod:`~factlang.sources.resolve` gives the verifier each source's text.

``check`` never touches the network: only ``factlang lock`` fetches.
"""
