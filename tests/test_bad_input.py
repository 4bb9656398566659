"Bad numbers in a config file or on the command line: refused by name with exit status 2, no traceback and no output file, before any simulation starts."
import pytest
from conftest import run_cli

BAD_LINES = [("n_fish = 1e300", "n_fish = 1e+300"), ("noise = 1e300", "noise = 1e+300"), ("speed = nan", "speed = nan"),
             ("dt = -inf", "dt = -inf"), ("r_orientation = inf", "r_orientation = inf"), ("init_size = 1e300", "init_size = 1e+300"),
             ("n_fish = true", "n_fish = True"), ("steps = 1e300", "steps = 1e+300")]

def _refused(r, *words):
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and all(w in r.stderr for w in words), r.stderr

@pytest.mark.parametrize("line,words", BAD_LINES)
def test_bad_config_value(cli_exe, tmp_path, line, words):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f"{line}\nseed = 1\n" + ("" if line.startswith("steps") else "steps = 5\n"))
    _refused(run_cli(cli_exe, "run", cfg, "--quiet", cwd=tmp_path), words, "must be a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]  # no run file, not even a partial one

def test_bad_config_never_overwrites(cli_exe, tmp_path):
    cfg, out = tmp_path / "bad.toml", tmp_path / "old.nc"
    cfg.write_text("noise = nan\n"); out.write_bytes(b"an earlier run")
    _refused(run_cli(cli_exe, "run", cfg, "--out", out, "--overwrite", "--quiet"), "noise = nan")
    assert out.read_bytes() == b"an earlier run"

def test_bad_flags(cli_exe, tmp_path):
    for flag, value in (("--steps", "inf"), ("--save-every", "nan"), ("--seed", "1e300"), ("--steps", "-1"), ("--save-every", "0")):
        _refused(run_cli(cli_exe, "run", "swarm", flag, value, cwd=tmp_path), flag, value)
    _refused(run_cli(cli_exe, "run", "swarm", "--steps", str(10**9), cwd=tmp_path), "save_every = 1", "save every 100 steps")
    assert not list(tmp_path.iterdir())

BAD_GROUPS = [('name = "x"\ncount = 30', "group 'x': count = 30"), ('name = "x"\ncount = 3\nspeeed = 2.0', "did you mean 'speed'"),
              ('name = "x"\nfraction = 0.1\nweight = 0.5', "need a preferred direction"), ('count = 3', "a group without a name"),
              ('name = "x"\ncount = 3\ndirection = [0.0, 0.0, 0.0]\nweight = 1.0', "not all zero")]

@pytest.mark.parametrize("table,words", BAD_GROUPS)
def test_bad_group(cli_exe, tmp_path, table, words):
    "A [[groups]] table with a bad value is refused by name, before any run file exists."
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f"n_fish = 20\nsteps = 5\n[[groups]]\n{table}\n")
    _refused(run_cli(cli_exe, "run", cfg, "--quiet", cwd=tmp_path), words)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]
