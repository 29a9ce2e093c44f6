"""Instructions per signed-in request, counted by valgrind's callgrind: on a shared VM whose CPU
time per request moves by a quarter from one minute to the next, an instruction count is the
same from run to run (the same code, data and hash seed), so a change of a few percent shows.

Each page is requested in-process as ``bench/page_trace.py --wsgi`` requests it (run
bench/web_pages.py once first for its database); the count is the difference between a run of
``-n N+20`` and one of ``-n 20`` requests, so the start-up (imports, the app, signing in, the
warm-up) cancels out. ``--code`` names other checkouts (e.g. a worktree of an older commit) to
count beside this one; the runs go two at a time (one per core). Under callgrind a request
takes ~40 times as long: 200 requests of a page cost about two minutes a tree.

    .venv/bin/python bench/page_instructions.py / policy /session/check --code /tmp/old
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from bench.support.callgrind import instructions, require_valgrind  # noqa: E402 - needs the root on the path

WARM = 20  # requests of the shorter run (page_trace's own 50 warm-up requests come before both)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="pages (the policy page: policy)")
    parser.add_argument("-n", type=int, default=200, help="requests counted per page (default 200)")
    parser.add_argument("--code", type=Path, action="append", default=[], help="another checkout to count too")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "portal_bench"))
    args = parser.parse_args(argv)
    require_valgrind()
    trees = [HERE.parent, *[tree.resolve() for tree in args.code]]
    runs = [(tree, path, n) for tree in trees for path in args.paths for n in (WARM, WARM + args.n)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        counted = dict(zip(runs, pool.map(lambda run: _instructions(*run, args), runs)))
    print(f"Instructions per request (callgrind, in-process, {args.n} requests a page):")
    first = {path: counted[(trees[0], path, WARM + args.n)] - counted[(trees[0], path, WARM)] for path in args.paths}
    for tree in trees:
        for path in args.paths:
            per_request = (counted[(tree, path, WARM + args.n)] - counted[(tree, path, WARM)]) / args.n
            versus = "" if tree == trees[0] else f"  {per_request / (first[path] / args.n):.3f} x this tree's"
            print(f"  {str(tree):30} {path:18} {per_request / 1e6:7.3f} M{versus}")
    return 0


def _instructions(tree: Path, path: str, n: int, args) -> int:
    return instructions([str(HERE / "page_trace.py"), path, "-n", str(n), "--wsgi", "--code", str(tree),
                         "--url", args.url, "--data-dir", args.data_dir])


if __name__ == "__main__":
    sys.exit(main())
