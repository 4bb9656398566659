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
    "Every variable (the frames, P and M, and the diagnostics where the run has them) equal to the bit."
    assert set(a.data_vars) == set(b.data_vars) >= {"position", "velocity", "polarization", "milling"}
    for v in a.data_vars: assert a[v].values.tobytes() == b[v].values.tobytes(), v

def test_threads_couzin(cli_exe, tmp_path):
    one = _run(cli_exe, tmp_path, 1, "torus", "--steps", "300", "--save-every", "50", "--seed", "11")
    two = _run(cli_exe, tmp_path, 2, "torus", "--steps", "300", "--save-every", "50", "--seed", "11")
    _same_bits(one, two)
    assert not np.array_equal(one.position[0].values, one.position[-1].values)

def test_threads_reference_rules(cli_exe, tmp_path):
    "250 fish with their diagnostics: on two threads the kernel's threads diagnose each batch while making the next."
    one = _run(cli_exe, tmp_path, 1, "paper-highly-parallel", "--steps", "100", "--save-every", "25")
    two = _run(cli_exe, tmp_path, 2, "paper-highly-parallel", "--steps", "100", "--save-every", "25")
    _same_bits(one, two)

def test_threads_shared_steps(cli_exe, tmp_path):
    "Without diagnostics a 250-fish school shares each step between two threads (kernel.shares_steps): still the bits of one."
    args = ("paper-highly-parallel", "--steps", "120", "--save-every", "30", "--no-metrics")
    _same_bits(_run(cli_exe, tmp_path, 1, *args), _run(cli_exe, tmp_path, 2, *args))

def test_threads_lagged_cell_list(cli_exe, tmp_path):
    "600 fish with their diagnostics (a cell list; on two threads the kernel's threads diagnose each batch while making the next): the bits of one."
    cfg = tmp_path / "six_hundred.toml"
    cfg.write_text('n_fish = 600\nsteps = 80\nsave_every = 1\nboundary = "periodic"\nbox_size = 40.0\ninit = "cube"\n')
    args = (cfg, "--seed", "5")
    one, two = _run(cli_exe, tmp_path, 1, *args), _run(cli_exe, tmp_path, 2, *args)
    assert "oceanic_schooling_index" in one and one.sizes["time"] == 81
    _same_bits(one, two)

def test_no_seed_is_drawn_and_recorded(cli_exe, tmp_path):
    cfg = tmp_path / "noseed.toml"
    cfg.write_text("n_fish = 30\nsteps = 20\nsave_every = 10\n")
    a = run_cli(cli_exe, "run", cfg, "--quiet", "--out", tmp_path / "a.nc")
    assert a.returncode == 0, a.stderr
    with xr.open_dataset(tmp_path / "a.nc") as ds: seed, first = ds.attrs["seed"], ds.load()
    assert run_cli(cli_exe, "run", cfg, "--quiet", "--seed", seed, "--out", tmp_path / "b.nc").returncode == 0
    with xr.open_dataset(tmp_path / "b.nc") as ds: _same_bits(first, ds.load())

_CACHED_JOB = """
import sys, numpy as np
from dewi_kadita.params import SchoolParams
from dewi_kadita.kernel import advance, advance_frames
from dewi_kadita.simulate import initial_state
p = SchoolParams(n_fish=60, boundary="periodic", box_size=40.0, init="cube")
pos, head = initial_state(p, 1)
P = advance(pos, head, p, 4, 1)[0] if sys.argv[1] == "advance" else advance_frames(pos, head, p, [0, 2, 4], 1)[0][-1]
print(P.sum().hex())
"""

def test_cache_written_by_different_processes(tmp_path):
    "`advance` compiled in one process, `advance_frames` in the next, both loaded from Numba's cache in a third: no crash, same bits."
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba-cache"))  # a cache of its own, empty at the start
    out = []
    for which in ("advance", "frames", "frames", "advance"):
        r = subprocess.run([sys.executable, "-c", _CACHED_JOB, which], env=env, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, f"{which}: exit {r.returncode}\n{r.stderr[-2000:]}"
        out.append(r.stdout.strip())
    assert len(set(out)) == 1, out

_MIXED = '''n_fish = {n}
steps = {steps}
save_every = {every}
dr_orientation = 2.0
dr_attraction = 8.0
[[groups]]
name = "fast"
fraction = 0.3
speed = 4.0
turning_rate = 60.0
[[groups]]
name = "wide"
count = {wide}
dr_attraction = 12.0
field_of_view = 360.0
noise = 0.1
[[groups]]
name = "informed"
fraction = 0.1
direction = [0.0, 1.0, 0.0]
weight = 0.5
'''

def test_threads_and_resume_fish_that_differ(cli_exe, tmp_path):
    "Schools of different fish (SPEC §7): one thread = two, and a run resumed = the run never stopped, on the all-pairs path (150 fish) and the cell list (600)."
    for n, wide in ((150, 20), (600, 80)):
        (tmp_path / str(n)).mkdir(); tmp = tmp_path / str(n)
        cfg = tmp / "mixed.toml"
        cfg.write_text(_MIXED.format(n=n, steps=60, every=20, wide=wide))
        one, two = _run(cli_exe, tmp, 1, cfg, "--seed", "4"), _run(cli_exe, tmp, 2, cfg, "--seed", "4")
        _same_bits(one, two)
        assert {"group", "fish_speed", "fish_weight"} <= set(one.data_vars) and one.fish_speed.values[0] == 4.0
        short = tmp / "short.nc"
        cfg.write_text(_MIXED.format(n=n, steps=40, every=20, wide=wide))
        assert run_cli(cli_exe, "run", cfg, "--quiet", "--seed", "4", "--out", short).returncode == 0
        r = run_cli(cli_exe, "resume", short, "--steps", "20", "--quiet")
        assert r.returncode == 0, r.stderr
        with xr.open_dataset(short) as ds: _same_bits(one, ds.load())
