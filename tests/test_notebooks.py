"Every notebook runs, slow cells included (the notebooks hold most of the tests)."
from pathlib import Path
import pytest
from nbdev.test import test_nb as run_nb
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "nbs").glob("*.ipynb"))

@pytest.fixture(scope="session")
def fresh_cell_cache(tmp_path_factory):
    """A cache folder of this test session for the Numba functions that notebook cells define. Numba caches them
    under IPython's cache folder, keyed by the cell's own source only: after an edit to a function that another
    cell's function inlines, the old cached machine code would be loaded (and could crash the kernel)."""
    return tmp_path_factory.mktemp("xdg-cache")

@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook(nb, fresh_cell_cache, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(fresh_cell_cache))
    ok, secs = run_nb(nb, skip_flags=["notest"])
    assert ok, f"{nb.name} failed (its traceback is above)"
