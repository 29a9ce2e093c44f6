"""Instructions per servicing request pair (an address change and a dividend withdrawal with its
code: two applied requests), counted by valgrind's callgrind: the Python of the engine alone
(PostgreSQL's backends are other processes), the same from run to run on a shared VM whose CPU
time per request moves by a quarter from minute to minute.

Runs ``bench/servicing_trace.py`` of each tree (run bench/servicing.py once first for its
database) with ``-n 10`` and ``-n N+10`` and takes the difference, so start-up and warm-up
cancel out. ``--code`` names other checkouts (e.g. a worktree of an older commit, which has
the same script) to count beside this one. One run at a time: they work on the same policies.
Under callgrind a pair takes ~1 s: the default 50 pairs cost about two minutes a tree.

    .venv/bin/python bench/servicing_instructions.py --code /tmp/old --database portal_bench_servicing
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from bench.support.callgrind import instructions, require_valgrind  # noqa: E402 - needs the root on the path

WARM = 10  # pairs of the shorter run (servicing_trace's own 20 warm-up pairs come before both)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50, help="pairs counted (default 50)")
    parser.add_argument("--code", type=Path, action="append", default=[], help="another checkout to count too")
    parser.add_argument("--database", default="portal_bench_servicing")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "portal_bench_servicing"))
    args = parser.parse_args(argv)
    require_valgrind()
    trees = [HERE.parent, *[tree.resolve() for tree in args.code]]
    print(f"Instructions per address change + dividend withdrawal (callgrind, one client, {args.n} pairs):")
    first = None
    for tree in trees:
        counts = [instructions([str(tree / "bench" / "servicing_trace.py"), "-n", str(n), "--database", args.database,
                                "--data-dir", args.data_dir], cwd=str(tree)) for n in (WARM, WARM + args.n)]
        per_pair = (counts[1] - counts[0]) / args.n
        first = first or per_pair
        versus = "" if tree == trees[0] else f"  {per_pair / first:.3f} x this tree's"
        print(f"  {str(tree):30} {per_pair / 1e6:7.2f} M a pair, {per_pair / 2e6:6.2f} M an applied request{versus}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
