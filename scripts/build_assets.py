"""Build marm's static files from the installed npm packages.

GOV.UK Frontend is compiled with marm's settings (Arial, no GDS Transport)
into build/static/, never committed. Run after `npm ci`; `make setup` does both.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
GOVUK = MODULES / "govuk-frontend" / "dist" / "govuk"
OUT = ROOT / "build" / "static"


def main() -> int:
    if not GOVUK.is_dir():
        print("GOV.UK Frontend is not installed: run `npm ci` first (make setup does).", file=sys.stderr)
        return 1
    (OUT / "marm").mkdir(parents=True, exist_ok=True)
    govuk_out = OUT / "govuk"
    if govuk_out.exists():
        shutil.rmtree(govuk_out)
    govuk_out.mkdir(parents=True)
    shutil.copytree(GOVUK / "assets" / "images", govuk_out / "assets" / "images")
    shutil.copy2(GOVUK / "assets" / "manifest.json", govuk_out / "assets" / "manifest.json")
    for name in ("govuk-frontend.min.js", "govuk-frontend.min.js.map"):
        shutil.copy2(GOVUK / name, govuk_out / name)
    sass = MODULES / ".bin" / "sass"
    subprocess.run(  # noqa: S603 (a fixed command: the installed sass on marm's own files)
        [
            str(sass),
            "--pkg-importer=node",
            "--style=compressed",
            "--no-source-map",
            "--quiet-deps",
            str(ROOT / "assets" / "marm.scss"),
            str(OUT / "marm" / "marm.css"),
        ],
        check=True,
        cwd=ROOT,
    )
    for name in ("marm.js", "favicon.svg"):
        shutil.copy2(ROOT / "assets" / name, OUT / "marm" / name)
    print(f"Built static files in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
