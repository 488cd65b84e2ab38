"""``python -m parity.site [--out DIR]``: build the teaching site (``make site``).

Exit status 2, with one line on stderr, when it cannot be built (a twin
missing on one side, R unavailable, a run failing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parity.r_session import RUnavailableError
from parity.site.build import ROOT, build
from parity.site.extract import SiteError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity.site", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="default: site/")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="where r/ and py/backprop/ are read from"
    )
    args = parser.parse_args(argv)
    try:
        pages = build(args.out, args.root)
    except (SiteError, RUnavailableError) as e:
        print(f"parity.site: error: {e}", file=sys.stderr)
        return 2
    print(f"parity.site: wrote {len(pages)} pages to {args.out}: open {pages[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
