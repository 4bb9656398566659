"NetCDF-4 on request (run --format netcdf4, convert) and CF-1.11 time, end to end through the command line, with the IOOS checker."
import os, subprocess, sys, time
from pathlib import Path
import numpy as np
import netCDF4
import xarray as xr
from conftest import run_cli

CHECKER = "compliance-checker==6.1.0"
CHECKER_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dewi-kadita-test-venvs" / "compliance-checker-6.1.0"

def _same_variables(a, b):
    with xr.open_dataset(a) as x, xr.open_dataset(b) as y:
        assert set(x.variables) == set(y.variables)
        for v in x.variables: assert x[v].values.tobytes() == y[v].values.tobytes(), v

def _ok(r): assert r.returncode == 0, r.stdout + r.stderr; return r

def test_netcdf4_same_values_smaller_and_quantised(cli_exe, tmp_path):
    "The same run in both formats reads back the same; NetCDF-4 is smaller, quantised smaller still and within its digits."
    cdf5, nc4, q3 = tmp_path / "cdf5.nc", tmp_path / "nc4.nc", tmp_path / "q3.nc"
    args = ["run", "torus", "--steps", "500", "--save-every", "5", "--seed", "4", "--quiet"]
    _ok(run_cli(cli_exe, *args, "--out", cdf5)); _ok(run_cli(cli_exe, *args, "--format", "netcdf4", "--out", nc4))
    r = _ok(run_cli(cli_exe, "convert", cdf5, "--netcdf4", "--significant-digits", "3", "--out", q3))
    assert "written to" in r.stdout
    with netCDF4.Dataset(cdf5) as a, netCDF4.Dataset(nc4) as b:
        assert (a.data_model, b.data_model) == ("NETCDF3_64BIT_DATA", "NETCDF4")
        assert b["position"].filters()["zlib"] and b["position"].filters()["shuffle"] and b["position"].chunking() != "contiguous"
    _same_variables(cdf5, nc4)
    assert q3.stat().st_size < nc4.stat().st_size < cdf5.stat().st_size, [f.stat().st_size for f in (cdf5, nc4, q3)]
    with xr.open_dataset(cdf5) as x, xr.open_dataset(q3) as q:
        for v in ("position", "velocity"):  # 3 significant digits: off by at most half a unit in the third digit
            a, b = x[v].values, q[v].values
            half_unit = 0.5 * 10.0 ** (np.floor(np.log10(np.abs(a))) - 2)
            assert np.all(np.abs(b - a) <= half_unit) and not np.array_equal(a, b), v
        for v in ("checkpoint_position", "checkpoint_heading", "time", "step", "polarization"): assert x[v].values.tobytes() == q[v].values.tobytes(), v
    for cmd in (["info"], ["metrics"], ["plot", "--out", tmp_path / "q3.png"]):
        r = _ok(run_cli(cli_exe, cmd[0], q3, *cmd[1:]))
    assert "netcdf4 format" in _ok(run_cli(cli_exe, "info", q3)).stdout

def test_netcdf4_resumes_bit_for_bit_and_never_overwrites(cli_exe, tmp_path):
    whole, part = tmp_path / "whole.nc", tmp_path / "part.nc"
    args = ["run", "torus", "--seed", "4", "--save-every", "10", "--quiet", "--format", "netcdf4", "--significant-digits", "5"]
    _ok(run_cli(cli_exe, *args, "--steps", "400", "--out", whole)); _ok(run_cli(cli_exe, *args, "--steps", "170", "--out", part))
    _ok(run_cli(cli_exe, "resume", part, "--steps", "230", "--quiet"))
    _same_variables(whole, part)
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".part")]
    before = whole.read_bytes()
    for args, words in ((["--netcdf4", "--out", whole, "--overwrite"], "being converted"), (["--classic", "--out", part], "--overwrite"),
                        (["--classic", "--significant-digits", "3"], "needs the netcdf4 format"), (["--netcdf4", "--significant-digits", "16"], "1..15")):
        r = run_cli(cli_exe, "convert", whole, *args)
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert whole.read_bytes() == before and not (tmp_path / "whole-classic.nc").exists() and not (tmp_path / "whole-netcdf4.nc").exists()

def _old_run(cli_exe, path):
    "A run file as this package wrote it before CF-1.11 time: time in `s`, Conventions CF-1.10."
    _ok(run_cli(cli_exe, "run", "swarm", "--steps", "60", "--save-every", "10", "--seed", "2", "--quiet", "--out", path))
    with netCDF4.Dataset(path, "a") as nc:
        nc.Conventions = "CF-1.10"
        t = nc["time"]; t.delncattr("calendar"); t.delncattr("units_metadata"); t.units = "s"; t.long_name = "time since the start of the run"

def test_old_run_files_still_open_and_resume(cli_exe, tmp_path):
    old, new = tmp_path / "old.nc", tmp_path / "new.nc"
    _old_run(cli_exe, old)
    _ok(run_cli(cli_exe, "run", "swarm", "--steps", "90", "--save-every", "10", "--seed", "2", "--quiet", "--out", new))
    assert "60 of 60 steps" in _ok(run_cli(cli_exe, "info", old)).stdout
    _ok(run_cli(cli_exe, "resume", old, "--steps", "30", "--quiet"))
    from dewi_kadita.files import open_run
    with open_run(old) as a, open_run(new) as b:
        assert a.time.dtype == np.float64 and a.time.attrs["units"] == "s" and b.time.values[-1] == 9.0  # model seconds, either way
        for v in ("time", "position", "velocity", "oceanic_schooling_index", "checkpoint_position"): assert a[v].values.tobytes() == b[v].values.tobytes(), v
    with xr.open_dataset(new) as ds:  # plain xarray: dates from the nominal epoch; minus the epoch, the model time
        assert ((ds.time - np.datetime64("1970-01-01")) / np.timedelta64(1, "s")).values.tolist() == [float(k) for k in range(10)]

def _checker():
    "The IOOS compliance-checker in its own cached virtual environment (its dependencies stay out of ours)."
    exe = CHECKER_VENV / "bin" / "compliance-checker"
    if not exe.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", "--clear", CHECKER_VENV], check=True)
        subprocess.run([CHECKER_VENV / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", CHECKER], check=True, timeout=900)
        print(f"installed {CHECKER} in {time.perf_counter() - t:.1f} s")
    return exe

def _check(exe, *paths):
    r = subprocess.run([exe, "--test", "cf:1.11", *paths], capture_output=True, text=True, timeout=300)
    return r.returncode, r.stdout

def test_cf_checker_passes_both_formats(cli_exe, tmp_path):
    exe = _checker()
    cdf5, nc4, q4, old = tmp_path / "cdf5.nc", tmp_path / "nc4.nc", tmp_path / "q4.nc", tmp_path / "old.nc"
    _ok(run_cli(cli_exe, "run", "swarm", "--steps", "30", "--save-every", "10", "--quiet", "--out", cdf5))
    _ok(run_cli(cli_exe, "run", "swarm", "--steps", "30", "--save-every", "10", "--quiet", "--format", "netcdf4", "--out", nc4))
    _ok(run_cli(cli_exe, "convert", nc4, "--netcdf4", "--significant-digits", "4", "--out", q4))
    _old_run(cli_exe, old)
    _ok(run_cli(cli_exe, "convert", old, "--classic"))
    code, out = _check(exe, cdf5, nc4, tmp_path / "old-classic.nc")  # one call, three reports
    assert code == 0 and out.count("All tests passed!") == 3, out
    code, out = _check(exe, q4)  # no error; a warning (§2.3) on the attribute netCDF-C itself writes to record the quantisation
    problems = [l for l in out.splitlines() if l.startswith("* ")]
    assert "Errors" not in out and problems and all("_QuantizeGranularBitRoundNumberOfSignificantDigits" in l for l in problems), out
    code, out = _check(exe, old)  # what the checker found in files written before: the checker itself is not blind to it
    assert code != 0 and "<unit> since <epoch> not s" in out and "§4.4" in out and "CF-1.11" in out, out

def test_cf_checker_on_an_imported_school(cli_exe, tmp_path):
    "A tracked school imported in pixels (trajectorytools' idtracker.ai example) is a CF-1.11 file with no error: the pixel unit is said in length_unit, not in units."
    import trajectorytools
    src = Path(trajectorytools.__file__).parent / "data" / "test_trajectories_idtrackerai.npy"
    out = tmp_path / "zebrafish.nc"
    _ok(run_cli(cli_exe, "import", src, "--out", out))
    code, report = _check(_checker(), out)
    problems = [l for l in report.splitlines() if l.startswith("* ")]
    assert "Errors" not in report and all("recommended order T, Z, Y, X" in l for l in problems), report  # at most §2.4's warning: (time, fish, space) is not T, Z, Y, X
