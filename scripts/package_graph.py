"""Print Podium's package graph: imports between top-level packages, cycles, reach-ins.

    python scripts/package_graph.py [--json out.json]

Counts every import statement in src/podium whose target is another top-level package, the
edges between capabilities, the strongly connected components (a cycle shows as a component of
more than one package), and how many imports reach past a package's public surface (into a
submodule rather than the package itself). `lint-imports` enforces the shape; this reports it.
"""

from __future__ import annotations

import argparse
import ast
import collections
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src" / "podium"
INFRA = {"db", "money", "paging", "numbers", "ids", "errors", "validation", "csvsafe", "config"}
INFRA |= {"outbound", "metrics", "logs", "__version__"}
ENTRYPOINTS = {"api", "web", "cli", "bootstrap", "demo", "demo_data", "demo_followups"}
ENTRYPOINTS |= {"demo_report"}
LABELS = {
    "capability_imports": "modules importing another capability (per package)",
    "capability_edges": "capability → capability edges",
    "imports_past_a_surface": "names imported from another package's submodule",
    "capability_imports_past_a_surface": "  of them, between capabilities",
}


def _module_name(path: pathlib.Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _top(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "podium" else None


def _targets(node: ast.ImportFrom | ast.Import, package: list[str]) -> list[tuple[str, str]]:
    """(module imported, name) pairs; name is '' for `import x`."""
    if isinstance(node, ast.Import):
        return [(a.name, "") for a in node.names]
    base = node.module or ""
    if node.level:
        base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
    return [(base, a.name) for a in node.names]


def graph() -> dict[str, object]:
    edges: collections.Counter[tuple[str, str]] = collections.Counter()
    deep: collections.Counter[tuple[str, str]] = collections.Counter()
    seen: set[tuple[str, str]] = set()  # (module, package): a module counts once per package
    for path in sorted(ROOT.rglob("*.py")):
        module, is_package = _module_name(path)
        mine = _top(module) or ""
        package = module.split(".") if is_package else module.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target, name in _targets(node, package):
                other = _top(target) or (name if target == "podium" else None)
                if not other or other == mine or not mine:
                    continue
                if (module, other) not in seen:
                    seen.add((module, other))
                    edges[(mine, other)] += 1
                if target.count(".") >= 2:  # podium.P.sub: past the package's surface
                    deep[(mine, other)] += 1
    capabilities = {p for e in edges for p in e} - INFRA - ENTRYPOINTS
    between = {e: n for e, n in edges.items() if e[0] in capabilities and e[1] in capabilities}
    return {
        "capability_imports": sum(between.values()),
        "capability_edges": len(between),
        "imports_past_a_surface": sum(deep.values()),
        "capability_imports_past_a_surface": sum(n for e, n in deep.items() if e in between),
        "cycles": _cycles(between),
        "edges": {f"{a} -> {b}": n for (a, b), n in sorted(between.items())},
    }


def _cycles(edges: dict[tuple[str, str], int]) -> list[list[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    out: dict[str, set[str]] = collections.defaultdict(set)
    for a, b in edges:
        out[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(out[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(out):
        if v not in index:
            visit(v)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=pathlib.Path, help="also write the figures here")
    args = parser.parse_args()
    figures = graph()
    for key in LABELS:
        print(f"{LABELS[key]:<52} {figures[key]}")
    print(f"{'cycles':<40} {figures['cycles'] or 'none'}")
    for edge, n in figures["edges"].items():  # type: ignore[attr-defined]
        print(f"  {edge:<28} {n:>4}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
