"""The corpus's fact files are data for tests/test_corpus.py, not fact-file tests.

Many of their facts are meant to fail (a refuted or not-found expectation is
the point of the fact), so factlang's pytest plugin must not collect them.
"""

collect_ignore_glob = ["facts/*.fact"]
