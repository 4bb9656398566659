"The documentation renders offline: nbconvert executes a notebook into static HTML with its outputs."
import subprocess, sys
from conftest import ROOT

def test_render_front_page(tmp_path):
    r = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute", "--output-dir", str(tmp_path), str(ROOT / "nbs" / "index.ipynb")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    html = (tmp_path / "index.html").read_text()
    assert "dewi-kadita" in html and "oceanic_schooling_index =" in html  # the executed example's output is in the page
