"""Another checkout's letters against this one's, in one process, blocks alternating: the other
checkout's templates compiled bare with the full Noto (one compiler per template, as its bench's
bare baseline), this checkout's render.render_pdf, and this checkout's bare compile. On a shared
machine, figures from two processes differ more than the change being measured.

    .venv/bin/python bench/notices_pdf_ab.py /path/to/main/paas/notices/templates [letters a round] [rounds]
"""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import notices_render as nr  # noqa: E402
import typst  # noqa: E402

from iaas.keyring import LocalKeyRing  # noqa: E402
from paas.notices import document, fonts, render  # noqa: E402
from paas.notices.types import LETTERS  # noqa: E402

fonts.build_letter_fonts()
ring = LocalKeyRing.generate()
MT = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 150
R = int(sys.argv[3]) if len(sys.argv) > 3 else 9
main_c = {k.code: typst.Compiler(f"{MT}/{k.code}.typ", root=MT, font_paths=list(fonts.noto_folders()),
                                 ignore_system_fonts=True) for k in LETTERS}
bare_c = {k.code: typst.Compiler(render._template(k.code), root=str(render.TEMPLATES), font_paths=list(fonts.font_folders()),
                                 ignore_system_fonts=True) for k in LETTERS}


def batch(start):
    signed = [document.sign(d, ring) for d in nr.notices(N, LETTERS, start)]
    return signed, [(s.data["type"], render.typst_inputs(s, s.data["language"], nr.PUBLIC_URL)) for s in signed]


def main_pdf(prepared):
    type_code, inputs = prepared
    main_c[type_code].compile(sys_inputs={k: v for k, v in inputs.items() if k != "fonts"}, pdf_standards=["a-3u"])


def bare_pdf(prepared):
    bare_c[prepared[0]].compile(sys_inputs=prepared[1], pdf_standards=["a-3u"])


def ours_pdf(signed):
    render.render_pdf(signed, signed.data["language"], public_url=nr.PUBLIC_URL)


warm_signed, warm_prepared = batch(0)
for signed, prepared in zip(warm_signed[:44], warm_prepared[:44]):
    main_pdf(prepared)
    bare_pdf(prepared)
    ours_pdf(signed)
res = {"other checkout: bare typst, full Noto": [], "ours render_pdf": [], "bare typst (this checkout)": []}
order = list(res)
for r in range(R):
    signed, prepared = batch(10000 + r * N)
    work = {order[0]: (main_pdf, prepared), order[1]: (ours_pdf, signed), order[2]: (bare_pdf, prepared)}
    for name in order[r % 3:] + order[:r % 3]:
        compile_one, items = work[name]
        cpu = time.process_time()
        for item in items:
            compile_one(item)
        res[name].append(N / (time.process_time() - cpu))
    print(r + 1, {name: round(rates[-1]) for name, rates in res.items()}, flush=True)
median = statistics.median
for name, rates in res.items():
    print(f"{name:40s} median {median(rates):6.0f}/s CPU   against the other checkout, same rounds: "
          f"{median([a / b for a, b in zip(rates, res[order[0]])]):.2f}x")
print(f"ours / bare (this checkout): {median([a / b for a, b in zip(res[order[1]], res[order[2]])]):.0%}; "
      f"load average {os.getloadavg()[0]:.1f}")
