"""``python -m bench [--quick] [--only NAME] [--postgres]`` (what ``make bench`` runs)."""

from bench.harness import main

raise SystemExit(main())
