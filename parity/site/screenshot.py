"""``python -m parity.site.screenshot PAGE PNG [--width W] [--height H] [--at ID]``:
the README's pictures of the site (``make figures``).

Taken by the same browser the tests drive; by default as a projector shows it,
1920 x 1080, scrolled to the element ``--at`` names.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from parity.site.browser import chromium


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity.site.screenshot")
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--at", help="the id of the element to scroll to the top")
    args = parser.parse_args(argv)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.page.resolve().as_uri())
        if args.at:
            page.locator(f"#{args.at}").scroll_into_view_if_needed()
            page.evaluate("id => document.getElementById(id).scrollIntoView()", args.at)
        page.screenshot(path=str(args.png))
    print(f"parity.site.screenshot: wrote {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
