"""``python -m parity.site [--out DIR]``: build the teaching site (``make site``).

Exit status 2, with one line on stderr, when it cannot be built (a twin
missing on one side, R unavailable, a run failing, an --out it may not
replace: a file, or a folder it did not make that is not empty). The site is
built beside --out and swapped in whole, so a failure leaves --out as it was.
"""

from __future__ import annotations

import sys
from pathlib import Path

from backprop.cli import OneLineParser, guarded, output_dir
from backprop.r_engine import RUnavailableError
from parity.site.build import ROOT, build
from parity.site.extract import SiteError


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m parity.site", description=__doc__)
    parser.add_argument("--out", type=output_dir, default=ROOT / "site", help="default: site/")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="where r/ and py/backprop/ are read from"
    )
    args = parser.parse_args(argv)
    try:
        pages = build(args.out, args.root)
    except (SiteError, RUnavailableError) as e:
        print(f"parity.site: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a folder it cannot write, a full disk: nothing was replaced
        print(f"parity.site: error: cannot write {args.out}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(f"parity.site: wrote {len(pages)} pages to {args.out}: open {pages[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(guarded("parity.site", main))
