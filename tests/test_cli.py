"The `dewi-kadita` command as a user runs it: installed presets, configs, files on disk, clear errors."
import os
import numpy as np
import xarray as xr
from conftest import run_cli

def test_help_everywhere(cli_exe):
    for args in ([], ["--help"], ["run", "--help"], ["presets", "--help"]):
        r = run_cli(cli_exe, *args)
        assert "usage: dewi-kadita" in r.stdout + r.stderr
    assert run_cli(cli_exe, "--help").returncode == 0

def test_presets_listed(cli_exe):
    r = run_cli(cli_exe, "presets")
    assert r.returncode == 0
    for name in ("swarm", "torus", "dynamic-parallel", "highly-parallel", "paper-swarm", "paper-torus"):
        assert name in r.stdout

def test_run_preset_from_anywhere(cli_exe, tmp_path):
    "Presets ship inside the package: they work from any directory (the reference's do not)."
    r = run_cli(cli_exe, "run", "torus", "--steps", "60", "--save-every", "20", "--seed", "5", "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "state:" in r.stdout and "agent-updates/s" in r.stdout and "milling M" in r.stdout
    with xr.open_dataset(tmp_path / "torus.nc") as ds:
        assert ds.position.shape == (4, 200, 3)
        assert ds.attrs["seed"] == 5 and ds.attrs["rules"] == "couzin2002" and ds.attrs["dr_orientation"] == 0.5
        assert "dewi-kadita run torus" in ds.attrs["command_line"]

def test_run_config_file(cli_exe, tmp_path):
    cfg = tmp_path / "mine.toml"
    cfg.write_text("n_fish = 40\nr_orientation = 3.0\nr_attraction = 10.0\nsteps = 30\nsave_every = 10\nseed = 2\n")
    r = run_cli(cli_exe, "run", str(cfg), "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with xr.open_dataset(tmp_path / "mine.nc") as ds:
        assert ds.sizes["time"] == 4 and ds.attrs["dr_orientation"] == 2.0 and ds.attrs["dr_attraction"] == 7.0

def _one_clean_error(r, *words):
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert all(w in r.stderr for w in words), r.stderr

def test_user_errors(cli_exe, tmp_path):
    _one_clean_error(run_cli(cli_exe, "run", "swarm", "--steps", "abc"), "not a whole number")
    _one_clean_error(run_cli(cli_exe, "run", "swarm", "--seed", "-4"), "-4")
    _one_clean_error(run_cli(cli_exe, "run", "tours", "--out", tmp_path / "x.nc"), "did you mean 'torus'")
    _one_clean_error(run_cli(cli_exe, "run", tmp_path / "none.toml"), "does not exist")
    _one_clean_error(run_cli(cli_exe, "run", "swarm", "--out", tmp_path / "no" / "x.nc"), "does not exist")
    bad = tmp_path / "bad.toml"
    bad.write_text("n_fish = 40\nfield_of_veiw = 200\n")
    _one_clean_error(run_cli(cli_exe, "run", bad), "field_of_view")
    bad.write_text("n_fish = 40\nboundary = 'periodic'\nbox_size = 20\ndr_attraction = 12\n")
    _one_clean_error(run_cli(cli_exe, "run", bad), "enlarge the box")
    assert not list(tmp_path.glob("*.nc"))

def test_never_overwrites_without_asking(cli_exe, tmp_path):
    out = tmp_path / "s.nc"
    assert run_cli(cli_exe, "run", "swarm", "--steps", "10", "--quiet", "--out", out).returncode == 0
    before = out.read_bytes()
    _one_clean_error(run_cli(cli_exe, "run", "swarm", "--steps", "20", "--quiet", "--out", out), "--overwrite")
    assert out.read_bytes() == before
    assert run_cli(cli_exe, "run", "swarm", "--steps", "20", "--quiet", "--out", out, "--overwrite").returncode == 0
    with xr.open_dataset(out) as ds: assert int(ds.step[-1]) == 20
