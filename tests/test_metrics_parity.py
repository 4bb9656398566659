"""The fast diagnostics against the paper's definitions written a second time, as directly as NumPy/SciPy allow,
and against dewi-kadita 0.0.4 itself (installed in its own virtual environment)."""
import json, math, os, subprocess, sys, venv
from pathlib import Path
import numpy as np
import pytest
from scipy.spatial import cKDTree
from dewi_kadita.metrics import frame_metrics, metrics_timeseries, METRIC_NAMES, OSI_WEIGHTS

def H(counts, nbins):
    "Plug-in entropy of a histogram, empty bins dropped, normalised by ln(nbins)."
    counts = np.asarray(counts, float)
    if counts.sum() == 0: return math.nan
    p = counts / counts.sum(); p = p[p > 0]
    return float(-(p * np.log(p)).sum() / np.log(nbins))

def box_relative(pos, L, periodic, naive):
    "SPEC §2: circular mean per axis, unwrap to the nearest image, plain mean of the unwrapped positions."
    if not periodic or naive: return pos - pos.mean(0)
    ang = 2 * np.pi * pos / L
    here = np.mod(np.arctan2(np.sin(ang).mean(0), np.cos(ang).mean(0)) * L / (2 * np.pi), L)
    u = pos - L * np.round((pos - here) / L)
    return u - u.mean(0)

def direct(pos, vel, L, periodic, naive=False):
    "The twelve diagnostics straight from SPEC §2-§3."
    n = len(pos)
    if periodic: pos = np.mod(pos, L)
    v = vel / np.linalg.norm(vel, axis=1, keepdims=True)
    rel = box_relative(pos, L, periodic, naive)
    rn = np.linalg.norm(rel, axis=1, keepdims=True)
    cross = np.cross(rel / np.where(rn < 1e-10, 1, rn), v)
    out = dict(polarization=np.linalg.norm(v.mean(0)), milling=np.linalg.norm(cross.mean(0)), spread=np.sqrt((rn[:, 0] ** 2).mean()))
    out["order_index"] = max(out["polarization"], out["milling"])
    tree = cKDTree(pos, boxsize=L if periodic else None)
    k = min(6, n)
    d, _ = tree.query(pos, k=k)
    out["school_cohesion_entropy"] = H(np.histogram(d[:, 1], bins=25, range=(0, L / 2))[0], 25)
    theta, phi = np.arccos(np.clip(v[:, 2], -1, 1)), np.arctan2(v[:, 1], v[:, 0]) + np.pi
    te, pe = np.linspace(0, np.pi, 13), np.linspace(0, 2 * np.pi, 25)
    h2 = np.histogram2d(theta, phi, bins=[te, pe])[0] * np.sin((te[:-1] + te[1:]) / 2)[:, None]
    out["polarization_entropy"] = H(h2.ravel(), 288)
    z, zr = (pos[:, 2], (0, L)) if periodic else (rel[:, 2], (-L / 2, L / 2))
    out["depth_stratification_entropy"] = H(np.histogram(z, bins=15, range=zr)[0], 15)
    out["angular_momentum_entropy"] = H(np.histogram(np.linalg.norm(cross, axis=1), bins=20, range=(0, 1))[0], 20) if n >= 3 else math.nan
    if n >= 6:
        kd = d[:, 1:6]; cv = kd.std(1) / (kd.mean(1) + 1e-10)
        out["nearest_neighbor_entropy"] = H(np.histogram(cv, bins=20, range=(0, 2))[0], 20)
    else: out["nearest_neighbor_entropy"] = math.nan
    c = np.clip((v @ v.T)[np.triu_indices(n, 1)], -1, 1)
    out["velocity_correlation_entropy"] = H(np.histogram((c + 1) / 2, bins=20, range=(0, 1))[0], 20)
    if n >= 4:
        ev = np.maximum(np.sort(np.linalg.eigvalsh(np.cov(rel.T)))[::-1], 1e-10); q = ev / ev.sum()
        out["school_shape_entropy"] = float(-(q * np.log(q)).sum() / np.log(3))
    else: out["school_shape_entropy"] = math.nan
    out["oceanic_schooling_index"] = sum(w * out[k] for k, w in OSI_WEIGHTS.items())
    return out

def frames(seed):
    "Random frames: disordered and partly aligned, compact and spread, straddling faces or not, small and large N."
    g = np.random.default_rng(seed)
    for n in (2, 3, 5, 6, 7, 40, 250, 1200):
        for periodic in (False, True):
            L = float(g.uniform(10, 40))
            spread = g.uniform(0.5, 8)
            pos = g.normal(0, spread, (n, 3)) * g.uniform(0.3, 1.5, 3) + (g.uniform(0, L, 3) if periodic else 0)
            vel = g.normal(size=(n, 3)) + g.uniform(0, 3) * g.normal(size=3)
            yield pos, vel * g.uniform(0.5, 3), L, periodic

def close(a, b, tol=1e-9):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol

@pytest.mark.parametrize("seed", range(6))
def test_fast_equals_direct(seed):
    for pos, vel, L, periodic in frames(seed):
        ours, ref = frame_metrics(pos, vel, L, periodic), direct(pos, vel, L, periodic)
        bad = {k: (ours[k], ref[k]) for k in METRIC_NAMES if not close(ours[k], ref[k])}
        assert not bad, (len(pos), periodic, bad)
        naive = frame_metrics(pos, vel, L, periodic, centroid="naive")
        assert all(close(naive[k], v) for k, v in direct(pos, vel, L, periodic, naive=True).items())

def test_series_equals_frames():
    g = np.random.default_rng(1)
    P, V = g.uniform(0, 20, (7, 60, 3)), g.normal(size=(7, 60, 3))
    s = metrics_timeseries(P, V, 20.0, True)
    for t in range(7):
        f = frame_metrics(P[t], V[t], 20.0, True)
        assert all(s[k][t] == f[k] for k in METRIC_NAMES)

# --- against dewi-kadita 0.0.4 itself ---------------------------------------------------------------
REF_ENV = Path(os.environ.get("DEWI_KADITA_REF_VENV", Path.home() / ".cache" / "dewi-kadita" / "ref-0.0.4"))
REF_SCRIPT = """
import json, sys, numpy as np
from dewi_kadita.core.metrics import compute_all_metrics
d = np.load(sys.argv[1])
out = [compute_all_metrics(d[f'p{i}'], d[f'v{i}'], float(d[f'L{i}'])) for i in range(int(d['n']))]
json.dump([{k: float(v) for k, v in o.items()} for o in out], sys.stdout)
"""

def reference_python():
    "Python of a virtual environment holding dewi-kadita 0.0.4 (created on first use)."
    py = REF_ENV / "bin" / "python"
    if not py.exists() or subprocess.run([py, "-c", "import dewi_kadita.core.metrics"], capture_output=True).returncode:
        venv.create(REF_ENV, with_pip=True, clear=True)
        r = subprocess.run([py, "-m", "pip", "install", "-q", "dewi-kadita==0.0.4"], capture_output=True, text=True)
        assert r.returncode == 0, f"could not install dewi-kadita 0.0.4 for the parity test: {r.stderr[-2000:]}"
    return py

def test_equals_dewi_kadita_004(tmp_path):
    "Periodic frames as the reference sees them; with centroid='naive' every value must match, straddling or not."
    g = np.random.default_rng(7)
    data, cases = {}, []
    for i in range(24):
        n, L = int(g.choice([6, 30, 150, 250])), float(g.uniform(15, 40))
        compact = i % 2 == 0
        pos = (g.normal(0, 2.5, (n, 3)) + L / 2) if compact else g.uniform(0, L, (n, 3))
        pos = np.mod(pos + (g.uniform(0, L, 3) if i % 4 == 1 else 0), L)
        vel = g.normal(size=(n, 3)) + (i % 3) * np.array([1.0, 0.5, 0])
        data.update({f"p{i}": pos, f"v{i}": vel, f"L{i}": L}); cases.append((pos, vel, L))
    np.savez(tmp_path / "frames.npz", n=len(cases), **data)
    (tmp_path / "ref.py").write_text(REF_SCRIPT)
    r = subprocess.run([reference_python(), tmp_path / "ref.py", tmp_path / "frames.npz"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    theirs, checked = json.loads(r.stdout), []
    for (pos, vel, L), t in zip(cases, theirs):
        t["milling"] = t.pop("rotation")
        ours = frame_metrics(pos, vel, L, True, centroid="naive")
        bad = {k: (ours[k], t[k]) for k in METRIC_NAMES if not close(ours[k], t[k])}
        assert not bad, (len(pos), L, bad)
        if (np.ptp(pos, axis=0) < L / 2).all():  # the school does not straddle a face: the default agrees too
            box = frame_metrics(pos, vel, L, True)
            assert all(close(box[k], t[k]) for k in METRIC_NAMES), (len(pos), L)
            checked.append(len(pos))
    assert len(checked) >= 6
