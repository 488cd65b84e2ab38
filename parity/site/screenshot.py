"""``python -m parity.site.screenshot PAGE PNG``: the README's picture of the site.

Taken by the same browser the tests drive, at 1280 x 900 (``make figures``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from parity.site.browser import chromium


def main(argv: list[str]) -> int:
    page_path, png = Path(argv[0]).resolve(), Path(argv[1])
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_path.as_uri())
        page.screenshot(path=str(png))
    print(f"parity.site.screenshot: wrote {png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
