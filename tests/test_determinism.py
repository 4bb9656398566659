"Same seed, same bits: on one thread or two, in separate processes, for both rule sets."
import os, subprocess, sys
import numpy as np
import xarray as xr
from conftest import run_cli

def _run(cli_exe, tmp_path, threads, *args):
    out = tmp_path / f"t{threads}.nc"
    env = dict(os.environ, NUMBA_NUM_THREADS=str(threads))
    r = run_cli(cli_exe, "run", *args, "--quiet", "--out", out, env=env)
    assert r.returncode == 0, r.stderr
    with xr.open_dataset(out) as ds: return ds.load()

def _same_bits(a, b):
    for v in ("position", "velocity", "polarization", "milling"):
        assert a[v].values.tobytes() == b[v].values.tobytes(), v

def test_threads_couzin(cli_exe, tmp_path):
    one = _run(cli_exe, tmp_path, 1, "torus", "--steps", "300", "--save-every", "50", "--seed", "11")
    two = _run(cli_exe, tmp_path, 2, "torus", "--steps", "300", "--save-every", "50", "--seed", "11")
    _same_bits(one, two)
    assert not np.array_equal(one.position[0].values, one.position[-1].values)

def test_threads_reference_rules(cli_exe, tmp_path):
    one = _run(cli_exe, tmp_path, 1, "paper-highly-parallel", "--steps", "100", "--save-every", "25")
    two = _run(cli_exe, tmp_path, 2, "paper-highly-parallel", "--steps", "100", "--save-every", "25")
    _same_bits(one, two)

def test_no_seed_is_drawn_and_recorded(cli_exe, tmp_path):
    cfg = tmp_path / "noseed.toml"
    cfg.write_text("n_fish = 30\nsteps = 20\nsave_every = 10\n")
    a = run_cli(cli_exe, "run", cfg, "--quiet", "--out", tmp_path / "a.nc")
    assert a.returncode == 0, a.stderr
    with xr.open_dataset(tmp_path / "a.nc") as ds: seed, first = ds.attrs["seed"], ds.load()
    assert run_cli(cli_exe, "run", cfg, "--quiet", "--seed", seed, "--out", tmp_path / "b.nc").returncode == 0
    with xr.open_dataset(tmp_path / "b.nc") as ds: _same_bits(first, ds.load())
