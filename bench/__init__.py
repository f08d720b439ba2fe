"""Tripartite's benchmark harness: ``make bench`` (``python -m bench``).

Every figure is measured side by side with a baseline in the same run and reported as a
ratio to it; the latest run is written to ``docs/BENCHMARKS.md``.  Modules:

* ``harness``: command line, throwaway data dirs and databases, one child process per
  benchmark and database, machine facts;
* ``common``: the context a benchmark receives and the timing helpers;
* ``report``: results, the printed table and ``docs/BENCHMARKS.md``;
* ``ledger`` and ``ledger_tree``: the transparency log's benchmarks (issue 3);
* ``pages``, ``compliance``, ``exports`` (open data) and ``search`` (issue 6): the
  application's.
"""
