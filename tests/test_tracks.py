"""Tracked schools (nbs/15_tracks): the readers on trajectorytools' real zebrafish, the run-file tools on an imported
school, round trips, bad input, and movement 0.15.0's own validator on our datasets (in a virtual environment of
its own, cached: movement pins netCDF4<1.7.3)."""
import dataclasses, json, os, subprocess, sys, venv, warnings
from pathlib import Path
import numpy as np
import pytest
import xarray as xr
import trajectorytools as tt
from dewi_kadita.metrics import METRIC_NAMES
from dewi_kadita.params import load_preset
from dewi_kadita.simulate import simulate
from dewi_kadita import tracks as T
from dewi_kadita.cli import main

DATA = Path(tt.__file__).parent / "data"  # GPL-3 data, read where pip installed them, never copied here
FILES = {"test_trajectories.npy": (300, 100, 32.0), "test_trajectories_idtrackerai.npy": (508, 8, None),
         "test_trajectories_idtrackerai_with_border.npy": (508, 8, None), "trajectories_with_points.npy": (1000, 15, None)}


@pytest.fixture(scope="module")
def schools():
    return {f: T.add_track_metrics(T.read_idtracker(DATA / f, fps=fps)) for f, (_, _, fps) in FILES.items()}


def test_readers_on_real_zebrafish(schools):
    for f, (n_t, n_fish, _) in FILES.items():
        ds, raw = schools[f], np.load(DATA / f, allow_pickle=True)
        raw = raw.item()["trajectories"] if raw.dtype == object else raw
        assert (ds.sizes["time"], ds.sizes["fish"], ds.sizes["space"]) == (n_t, n_fish, 2)
        np.testing.assert_array_equal(ds.position.values, raw)  # gaps kept where they were
        assert np.isnan(ds.depth_stratification_entropy.values).all()
        ok = np.isfinite(raw).all(-1) & (np.abs(ds.velocity.values).sum(-1) > 0)
        np.testing.assert_array_equal(ds.n_fish_used.values, ok.sum(1))
        assert np.isfinite(ds.oceanic_schooling_index.values[ds.n_fish_used.values >= 6]).all()


def test_polarization_and_milling_equal_trajectorytools(schools):
    for f, ds in schools.items():
        for t in range(0, ds.sizes["time"], 7):
            ok = T.present(ds.position.values[t], ds.velocity.values[t])
            s, v = ds.position.values[t, ok], tt.normalise(ds.velocity.values[t, ok])
            c = s.mean(0)
            assert abs(ds.polarization.values[t] - np.linalg.norm(tt.collective.polarization(v))) < 1e-12
            M = abs(tt.collective.angular_momentum(v[None], (c + tt.normalise(s - c))[None], c[None])[0]) / ok.sum()
            assert abs(ds.milling.values[t] - M) < 1e-12


@pytest.mark.parametrize("preset", ["torus", "paper-torus"])  # open space, and a periodic box
def test_movement_round_trip_bit_for_bit(preset, tmp_path):
    p = dataclasses.replace(load_preset(preset)[0], n_fish=40)
    run = simulate(p, 60, save_every=3, metrics=True, quiet=True)
    m = T.to_movement(run, dims="plural"); m.to_netcdf(tmp_path / "m.nc")
    for back in (T.from_movement(m), T.from_movement(tmp_path / "m.nc")):
        got = T.track_metrics(back)
        for k in METRIC_NAMES: assert np.array_equal(got[k], run[k].values), k


def test_imported_file_in_every_tool(tmp_path):
    from dewi_kadita.widgets import SchoolView
    from dewi_kadita.files import open_run
    src = DATA / "trajectories_with_points.npy"  # 15 fish, gaps in some frames
    assert main(["import", str(src), "--out", str(tmp_path / "z.nc")]) == 0
    before = (tmp_path / "z.nc").read_bytes()
    assert main(["import", str(DATA / "test_trajectories.npy"), "--fps", "32", "--out", str(tmp_path / "z.nc")]) == 2  # never over an existing file
    assert (tmp_path / "z.nc").read_bytes() == before
    assert main(["info", str(tmp_path / "z.nc")]) == 0
    assert main(["metrics", str(tmp_path / "z.nc")]) == 0
    with open_run(tmp_path / "z.nc") as ds:
        first = T.add_track_metrics(T.read_idtracker(src))
        for k in METRIC_NAMES: np.testing.assert_array_equal(ds[k].values, first[k].values)
    assert main(["plot", str(tmp_path / "z.nc"), "--out", str(tmp_path / "z.png")]) == 0
    assert main(["animate", str(tmp_path / "z.nc"), "--out", str(tmp_path / "z.gif"), "--size", "64", "--every", "100", "--quiet"]) == 0
    assert (tmp_path / "z.png").stat().st_size > 1000 and (tmp_path / "z.gif").stat().st_size > 1000
    view = SchoolView(tmp_path / "z.nc"); view.show(view.n_frames - 1)
    assert "P = " in view.stats.value
    gappy = SchoolView(T.as_run(T.read_idtracker(DATA / "test_trajectories.npy", fps=32.0)))  # 6 % of positions missing
    for k in range(0, gappy.n_frames, 23):  # every fish drawn somewhere finite, the absent ones as nothing
        gappy.show(k); assert np.isfinite(gappy.fish.seg.attributes["position"].array).all(), k
    assert main(["export", str(tmp_path / "z.nc"), "--to", "csv"]) == 0
    assert main(["export", str(tmp_path / "z.nc"), "--to", "csv"]) == 2
    back = T.read_csv(tmp_path / "z.csv", body_length=first.attrs["body_length"])
    np.testing.assert_array_equal(back.position.values, first.position.values)


def test_bad_input(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "empty.nc").write_bytes(b"")
    (tmp_path / "png.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe")
    (tmp_path / "cut.nc").write_bytes((DATA / "test_trajectories_idtrackerai.npy").read_bytes()[:3000])
    (tmp_path / "cols.csv").write_text("time,fish,x,y\n0,1,2,3\n")
    np.save(tmp_path / "list.npy", np.array([1, 2, 3]))
    with pytest.raises(T.TrackFileError, match="empty"): T.read_csv(tmp_path / "empty.csv")
    with pytest.raises(T.TrackFileError, match="empty"): T.from_movement(tmp_path / "empty.nc")
    with pytest.raises(T.TrackFileError, match="expected"): T.read_csv(tmp_path / "png.csv")
    with pytest.raises(T.TrackFileError, match="truncated"): T.from_movement(tmp_path / "cut.nc")
    with pytest.raises(T.MissingColumnsError, match="lacks the column.s. id"): T.read_csv(tmp_path / "cols.csv")
    with pytest.raises(T.TrackFileError, match=r"expected \(frames, fish, 2 or 3\)"): T.read_idtracker(tmp_path / "list.npy", fps=25)
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(T.TrackFileError, match="unknown kind"): T.read_tracks(tmp_path / "notes.txt")
    mixed = tmp_path / "trex"; mixed.mkdir()
    for i, n in enumerate((10, 12)): np.savez(mixed / f"v_fish{i}.npz", X=np.arange(n, dtype=float), Y=np.zeros(n))
    with pytest.raises(T.MixedFramesError, match="10 to 12 frames"): T.read_trex(mixed)
    for i, rate in enumerate((25.0, 30.0)): np.savez(mixed / f"v_fish{i}.npz", X=np.arange(10.0), Y=np.zeros(10), frame=np.arange(10), time=np.arange(10) / rate)
    with pytest.raises(T.MixedFramesError, match="frame rates differ"): T.read_trex(mixed)
    run = simulate(dataclasses.replace(load_preset("swarm")[0], n_fish=10), 5, quiet=True)
    run.to_netcdf(tmp_path / "run.nc")
    with pytest.raises(T.TrackFileError, match="not a movement poses dataset"): T.from_movement(tmp_path / "run.nc")
    assert main(["import", str(tmp_path / "cols.csv"), "--out", str(tmp_path / "x.nc")]) == 2 and not (tmp_path / "x.nc").exists()


def test_identity_swaps_kept_and_counted():
    x = np.cumsum(np.ones((50, 3, 2)), 0) + np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]])
    x[30:, [0, 1]] = x[30:, [1, 0]]  # fish 0 and 1 swap identities at frame 30
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ds = T.tracks_dataset(x, 10.0, body_length=1.0)
    msgs = [str(m.message) for m in w if m.category is T.IdentityJumpWarning]
    assert len(msgs) == 1 and ": 2 jumps" in msgs[0] and "in 2 of 3 fish" in msgs[0]
    np.testing.assert_array_equal(ds.position.values, x)


MOVEMENT = "0.15.0"
VENV = Path(os.environ.get("DEWI_KADITA_TEST_VENVS", Path.home() / ".cache" / "dewi-kadita-test-venvs")) / f"movement-{MOVEMENT}"
CHECK = r"""
import json, sys, numpy as np, xarray as xr
from movement.validators.datasets import ValidPosesInputs
from movement.io import load_poses
from movement.kinematics import compute_velocity
out = {}
for path in sys.argv[1:-1]:
    ds = xr.load_dataset(path)
    ValidPosesInputs.validate(ds)  # the variables and dims a movement poses dataset must have
    ind, kp = "individuals", "keypoints"
    ValidPosesInputs(position_array=ds.position.values, confidence_array=ds.confidence.values, individual_names=[str(i) for i in ds[ind].values],
                     keypoint_names=[str(k) for k in ds[kp].values], fps=float(ds.attrs["fps"]), source_software=ds.attrs["source_software"])
    theirs = load_poses.from_numpy(ds.position.values, ds.confidence.values, [str(i) for i in ds[ind].values], [str(k) for k in ds[kp].values], float(ds.attrs["fps"]), "dewi-kadita")
    assert theirs.position.dims == ds.position.dims and theirs.confidence.dims == ds.confidence.dims
    np.testing.assert_allclose(theirs.time.values, ds.time.values, rtol=1e-12)
    v = compute_velocity(ds.position)
    out[path] = dict(dims=list(ds.position.dims), velocity_finite=int(np.isfinite(v.values).sum()))
pos = np.load(sys.argv[-1])  # movement's own dataset, two keypoints, written by movement for us to read
theirs = load_poses.from_numpy(np.stack([pos, pos + 4.0], 2), None, [f"fish_{i}" for i in range(pos.shape[-1])], ["head", "tail"], 28.0, "idtracker.ai")
theirs.attrs = {k: v for k, v in theirs.attrs.items() if v is not None}
theirs.to_netcdf(sys.argv[-1] + ".nc")
import movement; out["movement"] = movement.__version__
print(json.dumps(out))
"""


def movement_python():
    "Python of a virtual environment with movement 0.15.0, created once and cached (about 2 minutes cold, from the registry)."
    import fcntl
    py = VENV / "bin" / "python"
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / f"{VENV.name}.lock", "w") as lock:  # one creator at a time: other test runs wait, then find it ready
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (VENV / ".complete").exists():
            venv.create(VENV, with_pip=True, clear=True)
            subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"movement=={MOVEMENT}"], check=True)
            (VENV / ".complete").write_text(MOVEMENT)
    return py


def test_movement_validator_accepts_our_datasets(tmp_path):
    py = movement_python()
    files = []
    run = simulate(dataclasses.replace(load_preset("torus")[0], n_fish=30), 20, quiet=True, metrics=True)
    zebra = T.read_idtracker(DATA / "test_trajectories_idtrackerai.npy")
    for name, ds in (("run", run), ("zebra", zebra)):
        T.to_movement(ds, dims="plural").to_netcdf(tmp_path / f"{name}.nc"); files.append(str(tmp_path / f"{name}.nc"))
    np.save(tmp_path / "pos.npy", zebra.position.values.transpose(0, 2, 1))
    r = subprocess.run([str(py), "-c", CHECK, *files, str(tmp_path / "pos.npy")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["movement"] == MOVEMENT and all(res[f]["dims"] == ["time", "space", "keypoints", "individuals"] for f in files)
    back = T.from_movement(tmp_path / "pos.npy.nc")  # movement's file: the centroid of its two keypoints
    np.testing.assert_allclose(back.position.values, zebra.position.values + 2.0, rtol=1e-12)
    assert back.attrs["frame_rate"] == 28.0 and list(back.fish.values) == [f"fish_{i}" for i in range(8)]


def test_idtracker_h5_and_3d_csv(tmp_path):
    import h5py
    d = np.load(DATA / "test_trajectories_idtrackerai.npy", allow_pickle=True).item()
    with h5py.File(tmp_path / "trajectories.h5", "w") as f:  # idtracker.ai's .h5: the dict's arrays as datasets, its numbers as attributes
        f["trajectories"] = d["trajectories"]; f.attrs["frames_per_second"] = 28; f.attrs["body_length"] = d["body_length"]
    a, b = T.read_idtracker(tmp_path / "trajectories.h5"), T.read_idtracker(DATA / "test_trajectories_idtrackerai.npy")
    np.testing.assert_array_equal(a.position.values, b.position.values); assert a.attrs["frame_rate"] == 28.0
    run = simulate(dataclasses.replace(load_preset("dynamic-parallel")[0], n_fish=30), 40, quiet=True)
    back = T.read_csv(T.write_tracks_csv(run, tmp_path / "run.csv"), body_length=1.0)
    assert back.sizes["space"] == 3 and back.attrs["spatial_dims"] == 3
    np.testing.assert_array_equal(back.position.values, run.position.values)
    m = T.track_metrics(back)  # velocities re-estimated from positions: close to the run's headings, not equal
    assert np.isfinite(m["depth_stratification_entropy"]).all() and abs(np.mean(m["polarization"]) - float(run.polarization.mean())) < 0.02


def test_cli_round_trip_of_a_run_file(tmp_path):
    "dewi-kadita run → export --to movement → import: the imported file's diagnostics are the run's, bit for bit."
    from dewi_kadita.files import open_run
    assert main(["run", "torus", "--steps", "60", "--save-every", "3", "--quiet", "--out", str(tmp_path / "run.nc")]) == 0
    assert main(["export", str(tmp_path / "run.nc"), "--to", "movement"]) == 0
    assert main(["import", str(tmp_path / "run.movement.nc"), "--out", str(tmp_path / "back.nc")]) == 0
    with open_run(tmp_path / "run.nc") as a, open_run(tmp_path / "back.nc") as b:
        for k in METRIC_NAMES: assert np.array_equal(a[k].values, b[k].values), k
        np.testing.assert_array_equal(a.position.values, b.position.values)
