"""The image: slim, built in two stages (no compiler in what runs), not root, with the CJK
fonts the notices' PDFs embed, serving what the load balancer checks."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _instructions() -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [tuple(line.split(None, 1)) for line in joined.splitlines() if line.strip() and not line.startswith("#")]


def test_two_slim_stages_and_the_last_one_runs_unprivileged():
    steps = _instructions()
    bases = [arg for op, arg in steps if op == "FROM"]
    assert len(bases) == 2 and all("-slim" in base for base in bases)
    final = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM"):]
    users = [arg for op, arg in final if op == "USER"]
    assert users and not users[-1].startswith(("0", "root"))
    assert any(op == "COPY" and "--from=build" in arg for op, arg in final)
    assert not any("gcc" in arg or "build-essential" in arg for op, arg in final if op == "RUN")


def test_fonts_for_the_notices_health_check_and_the_production_defaults():
    assert "fonts-noto-cjk" in DOCKERFILE and "--no-install-recommends" in DOCKERFILE
    # The letters' cut of the font is built into the image, where the service finds it.
    assert "ENV PORTAL_NOTICE_FONT_CACHE=/opt/portal/fonts" in DOCKERFILE
    assert re.search(r"^RUN /opt/portal/bin/portal notices fonts$", DOCKERFILE, re.M)
    assert "/healthz" in DOCKERFILE
    assert "PORTAL_ENV=production" in DOCKERFILE and "PORTAL_BIND=0.0.0.0:8000" in DOCKERFILE
    assert ".[aws]" in DOCKERFILE


def test_nothing_local_goes_into_the_image():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".git", ".venv", "var", "tests"):
        assert entry in ignored


def test_the_package_the_image_installs_carries_every_file_the_portal_reads(tmp_path):
    """The image installs the package (not the source tree): every template, static file,
    compiled catalogue, product file, table and migration must be in the wheel."""
    import subprocess
    import sys
    import zipfile

    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "iaas", "paas", "saas", "portal"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    # Only the translators' working files stay out: the compiled catalogue (.mo) is what runs.
    needed = [path for path in tracked if not path.endswith((".pot", "babel.cfg"))]
    assert needed and [path for path in needed if path not in inside] == []
