"Runs on disk end to end through the command line: streaming, SIGKILL and resume, CSV, pictures, migration, bad files."
import os, signal, subprocess, time
import numpy as np
import netCDF4
import xarray as xr
from conftest import run_cli

def _frames(path):
    try:
        with netCDF4.Dataset(path) as nc: return len(nc.dimensions["time"])
    except OSError: return 0

def _same_variables(a, b):
    with xr.open_dataset(a) as x, xr.open_dataset(b) as y:
        assert set(x.variables) == set(y.variables)
        for v in x.variables: assert x[v].values.tobytes() == y[v].values.tobytes(), v

def test_resume_gives_the_same_bytes(cli_exe, tmp_path):
    whole, part = tmp_path / "whole.nc", tmp_path / "part.nc"
    assert run_cli(cli_exe, "run", "torus", "--steps", "400", "--save-every", "10", "--seed", "4", "--quiet", "--out", whole).returncode == 0
    assert run_cli(cli_exe, "run", "torus", "--steps", "170", "--save-every", "10", "--seed", "4", "--quiet", "--out", part).returncode == 0
    r = run_cli(cli_exe, "resume", part, "--steps", "230", "--quiet")
    assert r.returncode == 0, r.stderr
    _same_variables(whole, part)

def test_sigkill_then_resume(cli_exe, tmp_path):
    "A run killed with SIGKILL keeps its synced frames, is readable while it grows, and resumes to the same bytes."
    out = tmp_path / "killed.nc"
    child = subprocess.Popen([cli_exe, "run", "torus", "--steps", "6000", "--save-every", "5", "--seed", "8", "--quiet", "--out", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while _frames(out) < 150 and time.time() - t0 < 300 and child.poll() is None: time.sleep(0.05)
    with xr.open_dataset(out) as live: assert live.sizes["time"] >= 150  # readable while the run goes on
    child.send_signal(signal.SIGKILL); child.wait()
    assert child.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    info = run_cli(cli_exe, "info", out)
    assert info.returncode == 0 and "of 6000 steps" in info.stdout, info.stdout + info.stderr
    with xr.open_dataset(out) as ds: c = int(ds.attrs["checkpoint_step"])
    assert 0 < c < 6000
    assert run_cli(cli_exe, "resume", out, "--steps", 6000 - c, "--quiet").returncode == 0
    ref = tmp_path / "ref.nc"
    assert run_cli(cli_exe, "run", "torus", "--steps", "6000", "--save-every", "5", "--seed", "8", "--quiet", "--out", ref).returncode == 0
    _same_variables(ref, out)

def test_cf_schema_and_float32(cli_exe, tmp_path):
    out = tmp_path / "f32.nc"
    assert run_cli(cli_exe, "run", "paper-swarm", "--steps", "20", "--float32", "--quiet", "--out", out).returncode == 0
    with xr.open_dataset(out) as ds:
        assert ds.position.dtype == np.float32 and ds.checkpoint_position.dtype == np.float64
        assert ds.attrs["Conventions"] == "CF-1.11" and ds.attrs["schema_version"] == 1
        assert ds.time.encoding["units"] == "seconds since 1970-01-01 00:00:00" and ds.time.attrs["standard_name"] == "time"
        assert ds.time.encoding["calendar"] == "proleptic_gregorian" and ds.time.attrs["units_metadata"] == "leap_seconds: none"
        assert ds.position.attrs["units"] == "1" and ds.velocity.attrs["units"] == "s-1"
        for v in ds.variables: assert "long_name" in ds[v].attrs, v
        for k in ("numpy_version", "numba_version", "netcdf4_version", "command_line", "date_created", "rng_algorithm", "seed", "rules"):
            assert k in ds.attrs, k
        assert list(ds.space.values) == ["x", "y", "z"]

def test_csv_plot_animate(cli_exe, tmp_path):
    run = tmp_path / "s.nc"
    r = run_cli(cli_exe, "run", "highly-parallel", "--steps", "300", "--save-every", "3", "--quiet", "--csv", "--out", run)
    assert r.returncode == 0, r.stderr
    for suffix in ("_timeseries.csv", "_summary.csv", "_final.csv"): assert (tmp_path / f"s{suffix}").stat().st_size > 100
    assert run_cli(cli_exe, "plot", run).returncode == 0 and (tmp_path / "s.png").stat().st_size > 10_000
    for ext in ("gif", "mp4"):
        r = run_cli(cli_exe, "animate", run, "--out", tmp_path / f"s.{ext}", "--quiet")
        assert r.returncode == 0, r.stderr
        assert (tmp_path / f"s.{ext}").stat().st_size > 10_000
    r = run_cli(cli_exe, "animate", run, "--out", tmp_path / "s.gif", "--quiet")
    assert r.returncode != 0 and "--overwrite" in r.stderr

def test_convert_config_and_run_it(cli_exe, tmp_path):
    old = tmp_path / "hp.txt"
    old.write_text("# highly parallel\nn_fish = 250\nbox_size = 35.0\nspeed = 1.5\nr_repulsion = 1.0\nr_orientation = 12.0\n"
                   "r_attraction = 20.0\nmax_turn = 0.2\nnoise = 0.05\nblind_angle = 20.0\nn_steps = 30\nseed = 789\nsave_png = true\n")
    r = run_cli(cli_exe, "convert-config", old, "--rules", "couzin2002")
    assert r.returncode == 0, r.stderr
    assert "own images" in r.stdout and "save_png ignored" in r.stdout and "field_of_view = 320" in r.stdout
    r = run_cli(cli_exe, "run", tmp_path / "hp.toml", "--quiet", "--out", tmp_path / "hp.nc")
    assert r.returncode == 0, r.stderr
    with xr.open_dataset(tmp_path / "hp.nc") as ds: assert ds.attrs["boundary"] == "open" and ds.attrs["metric_length"] == 35.0

def test_bad_files_one_clear_line(cli_exe, tmp_path):
    good = tmp_path / "good.nc"
    assert run_cli(cli_exe, "run", "swarm", "--steps", "10", "--quiet", "--out", good).returncode == 0
    (tmp_path / "text.nc").write_text("hello")
    (tmp_path / "cut.nc").write_bytes(good.read_bytes()[:3000])
    xr.Dataset({"a": ("x", [1.0, 2.0])}).to_netcdf(tmp_path / "other.nc")
    with netCDF4.Dataset(tmp_path / "newer.nc", "w", format="NETCDF3_64BIT_DATA") as nc:
        nc.schema = "dewi-kadita-run"; nc.schema_version = 7
    expected = {"text.nc": "not a NetCDF file", "cut.nc": "", "other.nc": "not a dewi-kadita run", "newer.nc": "upgrade dewi-kadita", "missing.nc": "does not exist"}
    for name, words in expected.items():
        for cmd in (["info"], ["resume", "--steps", "5"], ["metrics"], ["animate", "--out", str(tmp_path / "x.gif")]):
            r = run_cli(cli_exe, cmd[0], tmp_path / name, *cmd[1:])
            assert r.returncode == 2, (name, cmd, r.stderr)
            assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1 and words in r.stderr, (name, cmd, r.stderr)
    assert good.stat().st_size > 0 and not (tmp_path / "x.gif").exists()
