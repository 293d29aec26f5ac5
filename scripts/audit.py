"""`make audit`: pip-audit over the installed environment, failing clearly when it cannot work.

pip-audit asks the package index's JSON API for each installed distribution's known
vulnerabilities. Three outcomes:

- a known vulnerability: exit 1, listing package, version, advisory and the fixed versions;
  upgrade it in pyproject.toml, or add ``--ignore-vuln ID`` below with the reason;
- the vulnerability data could not be had (no network, or an index mirror without the JSON API:
  every package comes back "not found"): exit 2 and say so, because "no known
  vulnerabilities" would then be a lie; PODIUM_AUDIT_UNREACHABLE=warn turns this into a
  warning for machines that cannot reach it (see docs/operations.md);
- otherwise: exit 0 with the number of packages audited.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Advisories reviewed and accepted, as ``--ignore-vuln`` arguments, each with its reason.
IGNORED: list[str] = []


def main() -> int:
    audit = Path(sys.executable).with_name("pip-audit")
    cmd = [str(audit), "--skip-editable", "--progress-spinner", "off", "-f", "json", *IGNORED]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _unreachable(f"pip-audit did not run: {exc}")
    try:
        report = json.loads(done.stdout or "null")
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict):
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return _unreachable("pip-audit gave no report: " + " | ".join(tail))
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = len(deps) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        count = len(vulnerable)
        print(f"pip-audit: {count} package(s) with known vulnerabilities", file=sys.stderr)
        return 1
    if audited == 0 or len(skipped) > len(deps) // 2:
        return _unreachable(
            f"pip-audit could not audit {len(skipped)} of {len(deps)} packages "
            f"(e.g. {skipped[0]['skip_reason'] if skipped else 'none'}): the vulnerability "
            "data is out of reach (no network, or the package index has no JSON API)"
        )
    print(f"pip-audit: no known vulnerabilities in {audited} packages ({len(skipped)} skipped)")
    return 0


def _unreachable(message: str) -> int:
    if os.environ.get("PODIUM_AUDIT_UNREACHABLE", "").strip().lower() == "warn":
        print(f"WARNING: {message}; not audited (PODIUM_AUDIT_UNREACHABLE=warn)", file=sys.stderr)
        return 0
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
