"""Notices: sign + render HTML, and render PDF, against bare baselines measured in the same run.

Each notice differs (number, name, amounts, dates, type, language), so no cache can answer
twice: a QR code is encoded for every notice and typst lays out every letter anew. Figures are
notices per second of one process, by wall clock and by its own CPU time ("per core": on a
shared machine the CPU figure is the one that does not move with the neighbours).

  sign + HTML   document.sign + render.render_html       vs  Ed25519 sign + the bare Jinja template
                (QR inline as SVG: encoded per notice;        with the view and QR made beforehand
                 and QR as a linked image, as for e-mail)
  PDF           render.render_pdf (view, QR, JSON, typst) vs  typst.Compiler.compile of the same
                                                              template with the same inputs,
                                                              prepared beforehand (PDF/A-3u both)
                (and that bare compile with the full Noto alone, as letters were made before the
                 letters' cut of the font: what the cut buys typst itself, same run)
  PAdES         pades.PdfSigner.sign_pdf (informational: only delivered letters are signed)

Blocks of the measured path and its baseline alternate (--rounds), medians reported.

    .venv/bin/python bench/notices_render.py [--notices 2000] [--pdfs 300] [--rounds 3] [--data-dir DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import typst  # noqa: E402

from iaas.keyring import LocalKeyRing  # noqa: E402
from paas.notices import document, fonts, pades, render  # noqa: E402
from paas.notices.qr import qr_svg  # noqa: E402
from paas.notices.types import ALL, LETTERS  # noqa: E402
from paas.notices.view import letter_view  # noqa: E402
from tests.notices_support import sample_fields  # noqa: E402

PUBLIC_URL = "https://portal.example.com"
NAMES = ("张三丰", "李四", "王小明", "Jane Smith", "欧阳修远", "Tom O'Neil")


def notices(count: int, types, start: int) -> list[dict]:
    """Distinct notices: every number, name and amount differs from the last."""
    made = []
    for i in range(count):
        kind = types[i % len(types)]
        language = ("zh", "en")[i % 2]
        fields = sample_fields(kind.code, language)
        for f in kind.fields:
            if f.kind == "money":
                fields[f.name] = f"{(start + i) * 7 % 900000 + 100}.{i % 100:02d}"
        made.append(document.build(
            kind.code, notice_number=f"N{start + i:08d}", language=language, issued_on="2026-03-02",
            recipient_name=NAMES[i % len(NAMES)] + str(i % 97), policy_number=f"P{start + i:09d}" if kind.about_policy else None,
            fields=fields))
    return made


def timed(work, items) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for work(item) over items."""
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items:
        work(item)
    return time.perf_counter() - wall, time.process_time() - cpu


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def run(args) -> None:
    if args.data_dir:
        os.environ["PORTAL_DATA_DIR"] = args.data_dir
    # The letters' cut of Noto CJK, as `make migrate` and the image build it (kept after the first run).
    fonts.build_letter_fonts()
    print(f"letter fonts: {', '.join(fonts.text_fonts())} from {', '.join(fonts.font_folders())}")
    ring = LocalKeyRing.generate()
    jinja = render._jinja()
    # Warm-up: templates parsed, typst fonts read, one of each letter compiled.
    for data in notices(len(ALL) * 2, ALL, 0):
        signed = document.sign(data, ring)
        render.render_html(signed, data["language"], public_url=PUBLIC_URL)
        if render.notice_type(data["type"]).has_letter:
            render.render_pdf(signed, data["language"], public_url=PUBLIC_URL)

    # The bare baseline: typst's own compiler of each template, as typst's documentation shows it.
    compilers = {kind.code: typst.Compiler(render._template(kind.code), root=str(render.TEMPLATES),
                                           font_paths=list(fonts.font_folders()), ignore_system_fonts=True)
                 for kind in LETTERS}
    # And the same bare compile with the full Noto alone (no letters' cut): the letter as it was made
    # before the cut, to show in the same run what the cut buys typst itself.
    full_noto = {kind.code: typst.Compiler(render._template(kind.code), root=str(render.TEMPLATES),
                                           font_paths=list(fonts.noto_folders()), ignore_system_fonts=True)
                 for kind in LETTERS}
    full_fonts = json.dumps([fonts.FAMILY])
    for data in notices(len(LETTERS) * 2, LETTERS, 0):
        signed = document.sign(data, ring)
        inputs = render.typst_inputs(signed, data["language"], PUBLIC_URL)
        compilers[data["type"]].compile(sys_inputs=inputs, pdf_standards=render.PDF_STANDARDS)
        full_noto[data["type"]].compile(sys_inputs={**inputs, "fonts": full_fonts}, pdf_standards=render.PDF_STANDARDS)
    html_rounds, linked_rounds, pdf_rounds, full_noto_rounds = [], [], [], []
    serial = 10_000
    for round_number in range(args.rounds):
        # -- sign + HTML -------------------------------------------------------------------
        ours_data = notices(args.notices, ALL, serial)
        base_data = notices(args.notices, ALL, serial + args.notices)
        serial += 2 * args.notices
        # The baseline's view and QR are made beforehand: it measures signing and Jinja alone.
        base_prepared = []
        for data in base_data:
            signed = document.sign(data, ring)
            view = letter_view(signed, data["language"], PUBLIC_URL)
            kind = render.notice_type(data["type"])
            name = f"{kind.code}.html" if kind.has_letter else "account_notice.html"
            base_prepared.append((document.canonical_bytes(data), jinja.get_template(name), view,
                                  render.Markup(qr_svg(view["verify_url"]))))

        def ours_html(data):
            render.render_html(document.sign(data, ring), data["language"], public_url=PUBLIC_URL)

        def bare_html(prepared):
            payload, template, view, qr = prepared
            ring.sign(payload, purpose=document.PURPOSE)
            template.render(n=view, qr_svg=qr)

        def linked_html(data):
            render.render_html(document.sign(data, ring), data["language"], public_url=PUBLIC_URL,
                               qr_image_url=PUBLIC_URL + "/verify/qr/{code}.svg")

        linked_data = notices(args.notices, ALL, serial)
        serial += args.notices
        ours = timed(ours_html, ours_data)
        bare = timed(bare_html, base_prepared)
        linked = timed(linked_html, linked_data)
        html_rounds.append((ours, bare))
        linked_rounds.append((linked, bare))

        # -- PDF ------------------------------------------------------------------------------
        signed_ours = [document.sign(d, ring) for d in notices(args.pdfs, LETTERS, serial)]
        signed_base = [document.sign(d, ring) for d in notices(args.pdfs, LETTERS, serial + args.pdfs)]
        serial += 2 * args.pdfs
        base_inputs = [(s.data["type"], render.typst_inputs(s, s.data["language"], PUBLIC_URL)) for s in signed_base]

        def ours_pdf(signed):
            render.render_pdf(signed, signed.data["language"], public_url=PUBLIC_URL)

        def bare_pdf(prepared):
            type_code, inputs = prepared
            compilers[type_code].compile(sys_inputs=inputs, pdf_standards=render.PDF_STANDARDS)

        full_inputs = [(type_code, {**inputs, "fonts": full_fonts}) for type_code, inputs in base_inputs]

        def full_noto_pdf(prepared):
            type_code, inputs = prepared
            full_noto[type_code].compile(sys_inputs=inputs, pdf_standards=render.PDF_STANDARDS)

        if round_number % 2:
            bare = timed(bare_pdf, base_inputs)
            ours = timed(ours_pdf, signed_ours)
            full = timed(full_noto_pdf, full_inputs)
        else:
            full = timed(full_noto_pdf, full_inputs)
            ours = timed(ours_pdf, signed_ours)
            bare = timed(bare_pdf, base_inputs)
        pdf_rounds.append((ours, bare))
        full_noto_rounds.append((bare, full))
        print(f"round {round_number + 1}: HTML {rate(args.notices, html_rounds[-1][0][1]):,.0f}/s CPU, "
              f"PDF {rate(args.pdfs, ours[1]):,.0f}/s CPU vs bare typst {rate(args.pdfs, bare[1]):,.0f}/s", flush=True)

    signer = pades.PdfSigner(ring)
    letters = [render.render_pdf(s, s.data["language"]) for s in signed_ours[: args.pades]]
    signer.sign_pdf(letters[0])
    pades_time = timed(signer.sign_pdf, letters)

    report("sign + render HTML, QR inline (SVG)", args.notices, html_rounds, goal_rate=2000, goal_ratio=None)
    report("sign + render HTML, QR linked (<img>, e-mail)", args.notices, linked_rounds, goal_rate=2000, goal_ratio=None)
    report("render PDF", args.pdfs, pdf_rounds, goal_rate=200, goal_ratio=0.70)
    full_cpu = statistics.median(rate(args.pdfs, full[1]) for _, full in full_noto_rounds)
    gain = statistics.median(bare[1] and full[1] / bare[1] for bare, full in full_noto_rounds)
    print(f"  bare typst with the full Noto alone (before the letters' cut): {full_cpu:,.0f}/s CPU; "
          f"the cut makes typst {gain:.2f}x as fast")
    print(f"\nPAdES sign_pdf (informational): {rate(len(letters), pades_time[0]):,.0f}/s wall, "
          f"{rate(len(letters), pades_time[1]):,.0f}/s CPU ({1000 * pades_time[1] / len(letters):.1f} ms CPU each)")
    print(f"\nOne process, {os.cpu_count()} cores on this machine, shared with 7 other engineers' jobs: "
          "wall-clock rates move with their load; CPU-time rates are per core.")
    load = os.getloadavg()
    print(f"load average during the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def report(title: str, count: int, rounds, *, goal_rate: float, goal_ratio: float | None) -> None:
    ours_wall = statistics.median(rate(count, o[0]) for o, _ in rounds)
    ours_cpu = statistics.median(rate(count, o[1]) for o, _ in rounds)
    bare_wall = statistics.median(rate(count, b[0]) for _, b in rounds)
    bare_cpu = statistics.median(rate(count, b[1]) for _, b in rounds)
    ratio = statistics.median(o[1] and b[1] / o[1] for o, b in rounds)  # CPU per notice, bare / ours
    met_rate = "met" if ours_cpu >= goal_rate else "MISSED"
    print(f"\n{title} ({count} distinct notices a round, median of {len(rounds)}):")
    print(f"  ours : {ours_wall:8,.0f}/s wall  {ours_cpu:8,.0f}/s CPU ({1000 / ours_cpu:.2f} ms)  "
          f"goal >= {goal_rate:,}/s per core: {met_rate}")
    print(f"  bare : {bare_wall:8,.0f}/s wall  {bare_cpu:8,.0f}/s CPU ({1000 / bare_cpu:.2f} ms)")
    goal = "" if goal_ratio is None else f"  goal >= {goal_ratio:.0%}: {'met' if ratio >= goal_ratio else 'MISSED'}"
    print(f"  ours / bare = {ratio:.0%}{goal}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--pdfs", type=int, default=300)
    parser.add_argument("--pades", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", help="where the letters' fonts are kept (default: PORTAL_DATA_DIR, ./var)")
    run(parser.parse_args())
