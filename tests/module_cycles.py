#!/usr/bin/env python3
"""No two files of a crate import each other in a circle.

For every crate under crates/, each source file is a module (`src/lib.rs` and `src/main.rs`
are the crate root, `lib`; `src/a/mod.rs` is module `a`; `src/a/b.rs` is `a::b`). A file
depends on another when it names it through `crate::` (in a `use` or a path), through
`super::`, or by a child module's own name (`b::f` in `a/mod.rs`). Declaring a module
(`mod a;`) and re-exporting from it (`pub use a::f;`) are not dependencies: they make the
crate's surface, they do not use it. The script prints every cycle it finds (as
`crate: a -> b -> a`) and exits 1 when there is one.

    python3 tests/module_cycles.py            # check
    python3 tests/module_cycles.py --graph    # also print each crate's edges
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_of(src: Path, f: Path) -> str:
    rel = f.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts.pop()
    if parts in (["lib"], ["main"]):
        return "lib"
    return "::".join(parts)


def strip_comments(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def root_items(text: str) -> set:
    """Names the crate root defines itself (not those it re-exports)."""
    text = strip_comments(text)
    pat = r"(?m)^pub(?:\([^)]*\))?\s+(?:const\s+fn|async\s+fn|fn|struct|enum|type|trait|const|static)\s+(\w+)"
    return set(re.findall(pat, text))


def references(text: str, here: str, modules: set, defined_in_root: set) -> set:
    """Modules of the crate this file names."""
    found = set()
    text = strip_comments(text)
    # Declarations and re-exports make the surface; they are not uses.
    text = re.sub(r"(?m)^\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*;", "", text)
    text = re.sub(r"(?ms)^\s*pub(\([^)]*\))?\s+use\s+[^;]*;", "", text)
    # Children named by their own name (`b::f` inside `a`), and the root's modules.
    prefix = "" if here == "lib" else here + "::"
    for child in {m for m in modules if m != "lib"}:
        if not child.startswith(prefix):
            continue
        name = child[len(prefix):]
        if "::" in name:
            continue
        if re.search(r"(?<![\w:])" + re.escape(name) + r"::", text):
            found.add(child)
    # `use crate::{a, b::c}` and `crate::a::x` paths.
    for m in re.finditer(r"\bcrate::(\{[^;]*\}|[A-Za-z_][\w:]*)", text):
        found |= expand("", m.group(1), modules)
    # `crate::Item` (or `crate::{…, Item}`) with `Item` defined in the root itself.
    items = defined_in_root - modules
    for m in re.finditer(r"\bcrate::(\{[^;]*\}|\w+)", text):
        names = re.findall(r"\w+", m.group(1))
        if any(n in items for n in names[:1] if not m.group(1).startswith("{")) or (
            m.group(1).startswith("{")
            and any(n in items for n in re.findall(r"(?:^|[{,]\s*)(\w+)\s*(?=[,}]|$)", m.group(1)))
        ):
            found.add("lib")
    # `super::x` relative to this module.
    parent = here.rsplit("::", 1)[0] if "::" in here else ""
    for m in re.finditer(r"\bsuper::(\{[^;]*\}|[A-Za-z_][\w:]*)", text):
        found |= expand(parent, m.group(1), modules)
    found.discard(here)
    found.discard("")
    return found


def expand(base: str, path: str, modules: set) -> set:
    """The longest module prefix of each path in `path` (which may be a `{…}` group)."""
    out = set()
    if path.startswith("{"):
        for item in split_group(path[1:-1]):
            out |= expand(base, item.strip(), modules)
        return out
    head, _, rest = path.partition("::{")
    segs = [s for s in head.split("::") if s and s != "self"]
    prefix = base
    best = None
    for s in segs:
        prefix = f"{prefix}::{s}" if prefix else s
        if prefix in modules:
            best = prefix
    if rest:
        inner = expand(prefix, "{" + rest[:-1] + "}", modules) if rest.endswith("}") else set()
        out |= inner
    if best:
        out.add(best)
    return out


def split_group(s: str) -> list:
    items, depth, cur = [], 0, ""
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        items.append(cur)
    return items


def cycles(graph: dict) -> list:
    """Every elementary cycle's smallest representative, by depth-first search."""
    found = set()
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    cyc = path[:]
                    i = cyc.index(min(cyc))
                    found.add(tuple(cyc[i:] + cyc[:i]))
                elif nxt not in path and nxt > start:
                    stack.append((nxt, path + [nxt]))
    return sorted(found)


def main() -> int:
    show = "--graph" in sys.argv
    bad = 0
    for crate in sorted((ROOT / "crates").iterdir()):
        src = crate / "src"
        if not src.is_dir():
            continue
        files = sorted(src.rglob("*.rs"))
        mods = {module_of(src, f): f for f in files}
        names = set(mods)
        graph = {}
        root = mods.get("lib")
        defined = root_items(root.read_text(encoding="utf-8")) if root else set()
        for name, f in mods.items():
            graph[name] = references(f.read_text(encoding="utf-8"), name, names, defined)
        if show:
            for a in sorted(graph):
                for b in sorted(graph[a]):
                    print(f"{crate.name}: {a} -> {b}")
        for cyc in cycles(graph):
            bad += 1
            print(f"{crate.name}: " + " -> ".join(cyc + (cyc[0],)))
    if bad:
        print(f"{bad} cycle(s) between files of a crate")
        return 1
    print("no cycles between the files of any crate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
