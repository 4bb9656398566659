"Notebooks and library in sync: nbdev-clean and nbdev-export change nothing (checked on a copy)."
import shutil, subprocess, sys
from pathlib import Path
import pytest
from conftest import ROOT

def tracked_files():
    r = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0: pytest.skip("not a git checkout")
    return [f for f in r.stdout.splitlines() if (ROOT / f).is_file()]

def test_clean_and_export_change_nothing(tmp_path):
    files = tracked_files()
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, tmp_path / f)
    bindir = Path(sys.executable).parent
    for cmd in ("nbdev-clean", "nbdev-export"):
        r = subprocess.run([str(bindir / cmd)], cwd=tmp_path, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    changed = [f for f in files if (tmp_path / f).read_bytes() != (ROOT / f).read_bytes()]
    new = [str(p.relative_to(tmp_path)) for p in (tmp_path / "dewi_kadita").glob("*.py") if str(p.relative_to(tmp_path)) not in files]
    assert not changed and not new, f"run nbdev-clean and nbdev-export, then commit: changed {changed}, untracked {new}"
