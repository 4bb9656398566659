"Sweeps on Dask end to end: a worker killed mid-sweep, a sweep killed and continued, bad sweep files."
import os, signal, subprocess, threading, time
from dataclasses import asdict
from pathlib import Path
import numpy as np
import xarray as xr
from conftest import run_cli

SWEEP = 'steps = 300\nsave_every = 10\nseeds = 2\n[base]\nn_fish = 60\n[grid]\ndr_orientation = [0.0, 0.5, 6.0]\ndr_attraction = [3.0, 12.0]\n'

def test_worker_killed_mid_sweep(tmp_path):
    "Tasks of a killed worker rerun elsewhere; every member is present exactly once and equals its run alone."
    from distributed import Client, LocalCluster
    from dewi_kadita.params import SchoolParams
    from dewi_kadita.sweep import sweep, sweep_members, run_member
    base, grid = SchoolParams(n_fish=150), dict(dr_orientation=[0.0, 0.5, 2.0, 6.0], dr_attraction=[3.0, 12.0])
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, env={"NUMBA_NUM_THREADS": "1"})
    client = Client(cluster)
    try:
        parts = tmp_path / "parts"
        box = {}
        t = threading.Thread(target=lambda: box.update(ds=sweep(base, grid, [1, 2, 3], 1500, client=client, parts=parts, quiet=True)))
        t.start()
        t0 = time.time()
        while (not parts.exists() or len(list(parts.iterdir())) < 2) and time.time() - t0 < 300: time.sleep(0.05)
        pids = client.run(os.getpid)
        os.kill(next(iter(pids.values())), signal.SIGKILL)  # one worker dies in the middle of the sweep
        t.join(600)
        assert not t.is_alive() and "ds" in box
        ds = box["ds"]
        assert len(list(parts.iterdir())) == 24 and int(ds.state.size) == 24 and not np.isnan(ds.polarization_mean.values).any()
        for o, s in sweep_members(base, grid, [1, 2, 3])[::5]:
            alone = run_member(asdict(base), o, s, 1500, 10)
            assert float(ds.sel(seed=s, **o).oceanic_schooling_index_mean) == alone["oceanic_schooling_index_mean"]
    finally:
        client.close(); cluster.close()

def test_cli_sweep_killed_and_continued(cli_exe, tmp_path):
    (tmp_path / "s.toml").write_text(SWEEP.replace("steps = 300", "steps = 1500").replace("n_fish = 60", "n_fish = 150"))
    out, parts = tmp_path / "s.nc", tmp_path / "s.nc.parts"
    child = subprocess.Popen([cli_exe, "sweep", str(tmp_path / "s.toml"), "--out", str(out), "--workers", "2", "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    t0 = time.time()
    while (not parts.exists() or len(list(parts.iterdir())) < 3) and time.time() - t0 < 300 and child.poll() is None: time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL); child.wait()  # the whole sweep, scheduler and workers, killed
    kept = {f.name: f.stat().st_mtime_ns for f in parts.iterdir()}
    assert 3 <= len(kept) < 12 and not out.exists()
    r = run_cli(cli_exe, "sweep", tmp_path / "s.toml", "--out", out, "--workers", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "12 runs" in r.stdout and not parts.exists()
    (tmp_path / "u.toml").write_text((tmp_path / "s.toml").read_text())
    assert run_cli(cli_exe, "sweep", tmp_path / "u.toml", "--out", tmp_path / "u.nc", "--workers", "2", "--quiet").returncode == 0
    with xr.open_dataset(out) as a, xr.open_dataset(tmp_path / "u.nc") as b:
        for v in a.data_vars: assert a[v].values.tobytes() == b[v].values.tobytes(), v  # continued = never interrupted

def test_bad_sweep_files_fail_before_work(cli_exe, tmp_path):
    bad = tmp_path / "bad.toml"
    for text, words in (("[grid]\n", "grid is empty"), ("steps = 10\n[grid]\nfield_of_view = [270.0, 400.0]\n", "field_of_view = 400"),
                        ("[grid]\ndr_orientaton = [1.0]\n", "did you mean 'dr_orientation'"), ("[grid]\nnoise = [0.1]\nstepz = 3\n", "")):
        bad.write_text(text)
        r = run_cli(cli_exe, "sweep", bad, "--out", tmp_path / "x.nc")
        assert r.returncode == 2 and "Traceback" not in r.stderr and words in r.stderr, (text, r.stderr)
    assert not (tmp_path / "x.nc").exists() and not (tmp_path / "x.nc.parts").exists()

def test_memory_protocol_and_an_existing_scheduler(cli_exe, tmp_path):
    "The same command runs on a separately started Dask cluster (scheduler and worker processes on 127.0.0.1)."
    import socket, sys
    with socket.socket() as s: s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    bindir = Path(sys.executable).parent
    sched = subprocess.Popen([bindir / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([bindir / "dask", "worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1", "--nworkers", "2", "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, NUMBA_NUM_THREADS="1"))
    try:
        (tmp_path / "m.toml").write_text('protocol = "memory"\nsteps = 1000\nseeds = [1, 2]\n[base]\nn_fish = 100\ndr_attraction = 14.0\n'
                                         '[grid]\ndr_orientation = [0.0, 1.0, 2.0, 4.0, 8.0, 15.0]\n')
        r = run_cli(cli_exe, "sweep", tmp_path / "m.toml", "--out", tmp_path / "m.nc", "--scheduler", f"tcp://127.0.0.1:{port}", "--quiet")
        assert r.returncode == 0, r.stderr
        with xr.open_dataset(tmp_path / "m.nc") as ds:
            small = ds.milling.sel(dr_orientation=[1.0, 2.0])
            assert int((small.sel(direction="up") > 0.5).sum()) >= 3 and int((small.sel(direction="down") > 0.5).sum()) == 0, ds.milling.values
        assert sched.poll() is None and worker.poll() is None  # the cluster is left running, unchanged
    finally:
        for p in (worker, sched):
            p.terminate()
            try: p.wait(20)
            except subprocess.TimeoutExpired: p.kill()
