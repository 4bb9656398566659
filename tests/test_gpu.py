"""The GPU path (`dewi_kadita.gpu`). Its logic (cells by counting sort, the 27 neighbouring cells, the device copies
of the kernel's functions) is checked here against the CPU kernel in Numba's CUDA simulator, which needs no GPU.
Where a GPU is present, the same checks run on it, with the tolerance its arithmetic needs."""
import json, os, subprocess, sys
import numpy as np
import pytest
from conftest import ROOT
from dewi_kadita import gpu, kernel
from dewi_kadita.params import SchoolParams
from dewi_kadita.simulate import initial_state

def _cases():
    "Small schools that reach every path of the GPU step: grid of cells, one periodic cell, open space, a stray fish."
    open_ = dict(r_repulsion=1.0, dr_orientation=2.0, dr_attraction=2.0, init="sphere", init_size=5.0)
    return {
        "periodic cells, blind cone": (SchoolParams(n_fish=40, boundary="periodic", box_size=12.0, r_repulsion=1.0,
                                                     dr_orientation=1.0, dr_attraction=2.0, init="cube"), False),
        "periodic one cell, 0.0.4 rules": (SchoolParams(n_fish=30, boundary="periodic", box_size=10.0,
                                                         rules="dewi-kadita-0.0.4", field_of_view=300), False),
        "open sphere": (SchoolParams(n_fish=40, **open_), False),
        "open, a stray fish": (SchoolParams(n_fish=40, **open_), True),
    }

def _start(p, stray):
    pos, vel = initial_state(p, 3)
    if stray: pos[0] = [1e4, -2e4, 3e4]  # the grid would need ~10^12 cells of side r_a: the cells must grow
    return pos, vel

_SIM_JOB = """
import json, sys, warnings
import numpy as np
sys.path.insert(0, "tests")
from test_gpu import _cases, _start
from dewi_kadita import gpu, kernel
warnings.simplefilter("ignore", RuntimeWarning)  # the simulator runs the random numbers' uint64 products in NumPy, which warns on wrap-around
out = {"available": gpu.available()}
for name, (p, stray) in _cases().items():
    pos, vel = _start(p, stray)
    g, c = gpu.advance(pos, vel, p, 3, seed=3, step0=5), kernel.advance(pos, vel, p, 3, seed=3, step0=5)
    out[name] = [g[0].tobytes() == c[0].tobytes() and g[1].tobytes() == c[1].tobytes(), float(abs(g[0] - pos).max())]
p, stray = _cases()["periodic cells, blind cone"]
g, c = gpu.advance_frames(*_start(p, stray), p, [0, 1, 3], seed=4), kernel.advance_frames(*_start(p, stray), p, [0, 1, 3], seed=4)
out["frames"] = [g[0].tobytes() == c[0].tobytes() and g[1].tobytes() == c[1].tobytes(), list(g[0].shape)]
print(json.dumps(out))
"""

def test_simulated_gpu_gives_the_cpu_bits():
    "In the simulator every operation is Python's and NumPy's, so the GPU path must give the CPU kernel's bits exactly."
    r = subprocess.run([sys.executable, "-c", _SIM_JOB], cwd=ROOT, capture_output=True, text=True, timeout=600,
                       env={**os.environ, "NUMBA_ENABLE_CUDASIM": "1"})
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out.pop("available") is True
    assert out.pop("frames") == [True, [2, 40, 3]]
    for name, (same, moved) in out.items():
        assert same, f"{name}: the simulated GPU step differs from the CPU kernel"
        assert moved > 0.1, f"{name}: the school did not move"

gpu_only = pytest.mark.skipif(not gpu.available(), reason="no CUDA GPU here")

@pytest.mark.skipif(gpu.available(), reason="a GPU is present")
def test_without_a_gpu_it_says_so():
    p, stray = _cases()["open sphere"]
    with pytest.raises(RuntimeError, match="no CUDA GPU.*install numba-cuda"): gpu.advance(*_start(p, stray), p, 1, seed=1)

@gpu_only
@pytest.mark.parametrize("name", list(_cases()))
def test_gpu_step_agrees_with_cpu(name):
    "On a GPU, CUDA's cos, log and atan2 and its fused multiply-adds round differently: agreement to 1e-12 after 3 steps."
    p, stray = _cases()[name]
    pos, vel = _start(p, stray)
    g, c = gpu.advance(pos, vel, p, 3, seed=3, step0=5), kernel.advance(pos, vel, p, 3, seed=3, step0=5)
    assert abs(g[0] - c[0]).max() < 1e-12 and abs(g[1] - c[1]).max() < 1e-12

@gpu_only
def test_gpu_large_school_agrees_and_repeats():
    "2000 fish on a grid of cells: close to the CPU after one step, and the same bits every time on the GPU."
    p = SchoolParams(n_fish=2000, boundary="periodic", box_size=60.0, r_repulsion=1.0, dr_orientation=4.0, dr_attraction=5.0)
    pos, vel = initial_state(p, 7)
    g, c = gpu.advance(pos, vel, p, 1, seed=7), kernel.advance(pos, vel, p, 1, seed=7)
    assert abs(g[0] - c[0]).max() < 1e-12 and abs(g[1] - c[1]).max() < 1e-12
    a, b = gpu.advance(pos, vel, p, 50, seed=7), gpu.advance(pos, vel, p, 50, seed=7)
    assert a[0].tobytes() == b[0].tobytes() and a[1].tobytes() == b[1].tobytes()

def _school_file(tmp_path):
    cfg = tmp_path / "small.toml"
    cfg.write_text('n_fish = 30\nboundary = "periodic"\nbox_size = 12.0\nr_repulsion = 1.0\ndr_orientation = 1.0\n'
                   'dr_attraction = 2.0\ninit = "cube"\nseed = 5\nsteps = 4\nsave_every = 2\n')
    return cfg

def test_cli_run_and_resume_on_the_simulated_gpu(cli_exe, tmp_path):
    "`dewi-kadita run --gpu`, then `resume` (which stays on the GPU), give the CPU's file in the simulator."
    import xarray as xr
    from conftest import run_cli
    cfg, sim = _school_file(tmp_path), {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
    r = run_cli(cli_exe, "run", cfg, "--gpu", "--quiet", "--out", tmp_path / "gpu.nc", env=sim)
    assert r.returncode == 0, r.stderr[-3000:]
    r = run_cli(cli_exe, "resume", tmp_path / "gpu.nc", "--steps", "2", "--quiet", env=sim)
    assert r.returncode == 0, r.stderr[-3000:]
    r = run_cli(cli_exe, "run", cfg, "--steps", "6", "--quiet", "--out", tmp_path / "cpu.nc")
    assert r.returncode == 0, r.stderr[-3000:]
    with xr.open_dataset(tmp_path / "gpu.nc") as g, xr.open_dataset(tmp_path / "cpu.nc") as c:
        assert g.attrs["stepped_on"] == "gpu" and c.attrs["stepped_on"] == "cpu"
        assert "on the GPU" in g.attrs["history"]
        assert list(g.step.values) == list(c.step.values) == [0, 2, 4, 6]
        for v in ("position", "velocity", "polarization", "oceanic_schooling_index"):
            assert g[v].values.tobytes() == c[v].values.tobytes(), v

@pytest.mark.skipif(gpu.available(), reason="a GPU is present")
def test_cli_gpu_without_a_gpu(cli_exe, tmp_path):
    from conftest import run_cli
    out = tmp_path / "none.nc"
    r = run_cli(cli_exe, "run", _school_file(tmp_path), "--gpu", "--out", out)
    assert r.returncode == 2 and "no CUDA GPU" in r.stderr and "install numba-cuda" in r.stderr, r.stderr
    assert not out.exists()

@gpu_only
def test_gpu_run_resumed_has_the_bits_of_one_run(tmp_path):
    "On a GPU: a run to disk stopped halfway and resumed (on the GPU, as its file records) equals one run, bit for bit."
    import xarray as xr
    from dewi_kadita.files import write_run, resume_run
    p = SchoolParams(n_fish=2000, boundary="periodic", box_size=60.0, r_repulsion=1.0, dr_orientation=4.0, dr_attraction=5.0)
    write_run(tmp_path / "one.nc", p, 40, seed=3, save_every=10, quiet=True, gpu=True)
    write_run(tmp_path / "two.nc", p, 20, seed=3, save_every=10, quiet=True, gpu=True)
    resume_run(tmp_path / "two.nc", 20, quiet=True)
    with xr.open_dataset(tmp_path / "one.nc") as a, xr.open_dataset(tmp_path / "two.nc") as b:
        assert a.attrs["stepped_on"] == b.attrs["stepped_on"] == "gpu"
        for v in ("position", "velocity", "oceanic_schooling_index"): assert a[v].values.tobytes() == b[v].values.tobytes(), v

def test_gpu_refuses_fish_that_differ():
    "A school of different fish is refused by name before anything runs on the GPU (the GPU kernel reads one set of values)."
    p = SchoolParams(n_fish=10, groups=[dict(name="fast", count=5, speed=4.0)])
    pos, vel = initial_state(p, 1)
    with pytest.raises(ValueError, match="groups = \\['fast'\\]: the GPU steps only schools whose fish share one set of values"):
        gpu._School(pos, vel, p)
