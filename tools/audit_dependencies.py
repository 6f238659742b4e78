"""Fail when an installed package has a known vulnerability that a newer release fixes.

The advisories are PyPI's own (the `vulnerabilities` of its JSON API, fed by the OSV database),
the source pip-audit uses by default. pip-audit asks for each installed release at
/pypi/NAME/VERSION/json; the registry this CI reaches answers only /pypi/NAME/json, whose
advisories are those of the newest release. So each package is looked up per release first and
per project second; the second counts only when the installed release is the newest one (as it
is after a fresh `pip install`, which takes the newest release allowed). A package audited
neither way is listed as not audited.

Exit codes: 0 nothing fixable found; 1 a vulnerability with a fix is installed; 2 nothing could
be audited at all (no advisory source reachable), because a check that saw nothing proves nothing.

    python tools/audit_dependencies.py [--index-url https://pypi.org] [--package NAME==VERSION ...]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata


@dataclass
class Finding:
    """What the advisory source said about one installed package."""

    name: str
    version: str
    audited: bool = False
    fixable: list[str] = field(default_factory=list)  # "ID (fixed in 1.2.3)"
    unfixed: list[str] = field(default_factory=list)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed() -> list[tuple[str, str]]:
    """(name, version) of every distribution in this environment, except the project itself."""
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and _normalise(name) != "thuiszitbot":
            found[_normalise(name)] = (name, dist.version)
    return sorted(found.values())


def _get(url: str, timeout: float) -> dict | None:  # type: ignore[type-arg]
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError, OSError):
        return None


def audit(name: str, version: str, index_url: str, timeout: float) -> Finding:
    """Look one package up, per release first, per project second."""
    finding = Finding(name, version)
    data = _get(f"{index_url}/pypi/{name}/{version}/json", timeout)
    if data is None:
        data = _get(f"{index_url}/pypi/{name}/json", timeout)
        if data is None or data.get("info", {}).get("version") != version:
            return finding
    finding.audited = True
    for advisory in data.get("vulnerabilities") or []:
        if advisory.get("withdrawn"):
            continue
        label = advisory.get("id", "?")
        fixed_in = advisory.get("fixed_in") or []
        if fixed_in:
            finding.fixable.append(f"{label} (fixed in {', '.join(fixed_in)})")
        else:
            finding.unfixed.append(label)
    return finding


def main(argv: list[str] | None = None) -> int:
    """Audit, print a report, and return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-url", default="https://pypi.org")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument(
        "--package", action="append", metavar="NAME==VERSION",
        help="audit these instead of the installed packages",
    )  # fmt: skip
    args = parser.parse_args(argv)
    packages = [tuple(p.split("==", 1)) for p in args.package] if args.package else installed()
    with ThreadPoolExecutor(max_workers=8) as pool:
        findings = list(
            pool.map(
                lambda p: audit(p[0], p[1], args.index_url.rstrip("/"), args.timeout), packages
            )
        )
    audited = [f for f in findings if f.audited]
    for finding in findings:
        for advisory in finding.fixable:
            print(f"VULNERABLE {finding.name} {finding.version}: {advisory}")
        for advisory in finding.unfixed:
            print(f"warning: {finding.name} {finding.version}: {advisory} (no fix released yet)")
    skipped = [f"{f.name} {f.version}" for f in findings if not f.audited]
    if skipped:
        print(f"not audited ({len(skipped)}; not the newest release, or not on the index): "
              + ", ".join(skipped))  # fmt: skip
    print(f"audited {len(audited)} of {len(findings)} packages")
    if not audited:
        print("error: no advisory source answered; nothing was audited", file=sys.stderr)
        return 2
    return 1 if any(f.fixable for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
