"Every notebook runs, slow cells included (the notebooks hold most of the tests)."
from pathlib import Path
import pytest
from nbdev.test import test_nb as run_nb
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "nbs").glob("*.ipynb"))

@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook(nb):
    ok, secs = run_nb(nb, skip_flags=["notest"])
    assert ok, f"{nb.name} failed (its traceback is above)"
