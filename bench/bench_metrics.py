"""Speed of the twelve diagnostics, ours (`dewi_kadita.metrics`) versus the published dewi-kadita 0.0.4.

Workload: one real run, the preset 'paper-highly-parallel' (250 fish in a periodic box of side 35) simulated
by our package for 1000 steps with seed 1 and every step saved (1001 frames, from the disordered start to the
aligned school). Its positions and velocities go to an .npz in a temporary directory; the reference is timed
in a worker subprocess run with the reference venv's Python (by default a cached venv the script makes on first use,
~/.cache/dewi-kadita-bench/reference-0.0.4, with `pip install dewi-kadita==0.0.4`), executing a
small script written to the same directory that imports only the reference library, numpy and the standard
library, loads that .npz and answers timing requests with JSON.

Measurements (wall time by `time.perf_counter`; every side is warmed up first, so Numba compilation and
first-call imports are excluded; ours and the reference alternate: ours, theirs, ours, theirs, ...):

(a) one frame: 200 distinct frames evenly spaced over the run, computed one at a time,
    `frame_metrics(pos, vel, L, True)` (default centroid='box') vs `compute_all_metrics(pos, vel, L)`;
    time per frame.
(b) the whole run: `metrics_timeseries(P, V, L, True)` (Numba, parallel over frames) vs
    `compute_metrics_timeseries(P, V, t, L, verbose=False)` on all 1001 frames; time per frame and total.
(c) ours alone at N = 1000 and N = 10000: random frames (uniform positions in a periodic box at the density of
    the 250-fish case, uniformly random headings), `frame_metrics` with velocity_pairs='auto' and, at
    N = 10000, also 'exact'; the reference is timed once more at N = 1000 for comparison.

Each measurement is repeated (default 5 times; (c) at most 3) and the median is reported, with the ratio
reference/ours (> 1: ours is faster). A one-off check that the two agree on the values of the first frame
(ours with centroid='naive', the reference's plain mean; their `rotation` is our `milling`) and on the whole
run is printed as well. Next to every repetition the script prints how many cores other processes kept busy
meanwhile (from /proc), and a note when that exceeded 0.2: on a shared machine such load inflates the timings,
the parallel ones most. The script asserts nothing about speed.

    /work/venv/bin/python bench/bench_metrics.py              # full run (about 40 s on 2 cores)
    /work/venv/bin/python bench/bench_metrics.py --quick      # 2 repetitions, fewer frames: a smoke test
    /work/venv/bin/python bench/bench_metrics.py --ref-python /path/to/python   # another reference venv
"""
import argparse, os, platform, statistics, tempfile, textwrap, time

import numba
import numpy as np
import scipy

import dewi_kadita
from dewi_kadita.metrics import METRIC_NAMES, frame_metrics, metrics_timeseries
from dewi_kadita.params import load_preset
from dewi_kadita.simulate import simulate

from _machine import OtherLoad, Reference, cpu_model, loadavg, reference_python  # bench/_machine.py

PRESET, STEPS, SEED = "paper-highly-parallel", 1000, 1
THEIR_NAME = {"milling": "rotation"}  # our key -> their key; all others are the same

# The reference worker. It must import only the reference library, numpy and the standard library.
WORKER = r'''
import json, sys, time
import numpy as np
import dewi_kadita
from dewi_kadita.core.metrics import compute_all_metrics, compute_metrics_timeseries

reply, sys.stdout = sys.stdout, sys.stderr   # anything the library prints goes to stderr, not into the replies
run = np.load(sys.argv[1])
P, V, T, L = run["positions"], run["velocities"], run["time"], float(run["L"])

def send(obj):
    reply.write(json.dumps(obj) + "\n"); reply.flush()

# warm-up: first calls (imports of scipy.spatial, tqdm, ...) are not timed
compute_all_metrics(P[0], V[0], L)
compute_metrics_timeseries(P[:4], V[:4], T[:4], L, verbose=False)
send({"ready": True, "version": getattr(dewi_kadita, "__version__", "?"), "numpy": np.__version__,
      "python": sys.version.split()[0]})

for line in sys.stdin:
    req = json.loads(line)
    cmd = req["cmd"]
    if cmd == "quit":
        break
    if cmd == "frames":      # per-frame time over the given frames of the run
        t0 = time.perf_counter()
        for i in req["idx"]:
            compute_all_metrics(P[i], V[i], L)
        send({"seconds": time.perf_counter() - t0, "frames": len(req["idx"])})
    elif cmd == "run":       # whole run
        t0 = time.perf_counter()
        res = compute_metrics_timeseries(P, V, T, L, verbose=False)
        out = {"seconds": time.perf_counter() - t0, "frames": len(T)}
        if req.get("values"):
            out["values"] = {k: np.asarray(res[k]).tolist() for k in req["keys"]}
        send(out)
    elif cmd == "values":    # the diagnostics of one frame of the run
        send({k: float(v) for k, v in compute_all_metrics(P[req["i"]], V[req["i"]], L).items()})
    elif cmd == "file_frames":   # per-frame time over the frames of another .npz (random frames)
        f = np.load(req["path"]); FP, FV, FL = f["positions"], f["velocities"], float(f["L"])
        compute_all_metrics(FP[0], FV[0], FL)
        t0 = time.perf_counter()
        for i in range(len(FP)):
            compute_all_metrics(FP[i], FV[i], FL)
        send({"seconds": time.perf_counter() - t0, "frames": len(FP)})
'''


def random_frames(n, k, L, seed):
    "k frames of n fish: uniform positions in [0, L)^3, uniformly random headings at speed 1.5."
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((k, n, 3))
    v *= 1.5 / np.linalg.norm(v, axis=2, keepdims=True)
    return rng.uniform(0, L, (k, n, 3)), v


def fmt_t(s):
    "Seconds, in a readable unit."
    if s < 1e-3: return f"{s * 1e6:8.1f} µs"
    if s < 1: return f"{s * 1e3:8.2f} ms"
    return f"{s:8.2f} s "


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5, help="repetitions of each measurement (median reported)")
    ap.add_argument("--frames", type=int, default=200, help="distinct frames for the one-frame measurement (a)")
    ap.add_argument("--ref-python", default=None, help="Python of a venv holding dewi-kadita 0.0.4 (default: the cached one the script makes)")
    ap.add_argument("--quick", action="store_true", help="2 repetitions and 50 frames: a smoke test")
    a = ap.parse_args()
    a.ref_python = reference_python(a.ref_python)
    reps, nframes = (2, 50) if a.quick else (a.reps, a.frames)

    load0 = loadavg()
    print("dewi_kadita diagnostics benchmark: ours vs dewi-kadita 0.0.4")
    print(f"CPU: {cpu_model()} ({os.cpu_count()} logical CPUs); Numba threads: {numba.get_num_threads()}; "
          f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, numba {numba.__version__}, "
          f"ours: dewi_kadita {getattr(dewi_kadita, '__version__', '?')}")

    p, _ = load_preset(PRESET)
    t0 = time.perf_counter()
    ds = simulate(p, STEPS, seed=SEED, save_every=1, quiet=True)
    P, V = np.ascontiguousarray(ds.position.values), np.ascontiguousarray(ds.velocity.values)
    T, L = ds.time.values, float(ds.attrs["metric_length"])
    if ds.attrs["boundary"] != "periodic":
        raise SystemExit(f"preset {PRESET!r} is not periodic: the workload this benchmark expects")
    nT, N = P.shape[:2]
    print(f"Workload: preset {PRESET!r}, N = {N}, periodic box L = {L:g}, {STEPS} steps, seed {SEED}, "
          f"{nT} frames (simulated in {time.perf_counter() - t0:.1f} s)")

    with tempfile.TemporaryDirectory(prefix="bench_metrics_") as tmp:
        npz, script = os.path.join(tmp, "run.npz"), os.path.join(tmp, "ref_worker.py")
        np.savez(npz, positions=P, velocities=V, time=T, L=L)
        with open(script, "w") as f:
            f.write(textwrap.dedent(WORKER))
        ref = Reference([a.ref_python, script, npz], timeout=60)
        try:
            print(f"Reference: dewi-kadita {ref.info['version']} (numpy {ref.info['numpy']}, Python {ref.info['python']}) "
                  f"via {a.ref_python}")
            run_bench(ref, P, V, L, reps, nframes, tmp)
        finally:
            ref.close()
    print(f"\nLoad average (1, 5, 15 min) at start: {load0}, at end: {loadavg()} "
          "(other work on the machine inflates the timings)")


def run_bench(ref, P, V, L, reps, nframes, tmp):
    nT, N = P.shape[:2]
    idx = np.linspace(0, nT - 1, nframes).round().astype(int).tolist()
    load = OtherLoad(ref.p.pid)

    def ours(fn, frames):
        "(seconds per frame, other cores busy) of one call of fn computing `frames` frames."
        l0 = load.read(); t0 = time.perf_counter(); fn(); dt = time.perf_counter() - t0; l1 = load.read()
        return dt / frames, (l1 - l0) / dt if l0 is not None and l1 is not None else None

    def theirs(**req):
        l0 = load.read(); t0 = time.perf_counter(); r = ref.ask(**req); dt = time.perf_counter() - t0; l1 = load.read()
        return r["seconds"] / r["frames"], (l1 - l0) / dt if l0 is not None and l1 is not None else None

    # ---- warm-up of ours (Numba compilation or cache load excluded from every timing)
    frame_metrics(P[0], V[0], L, True); frame_metrics(P[0], V[0], L, True, centroid="naive")
    metrics_timeseries(P[:4], V[:4], L, True); metrics_timeseries(P[:4], V[:4], L, True, centroid="naive")
    big = random_frames(3100, 1, L, 0)
    frame_metrics(big[0][0], big[1][0], L, True)  # the grid nearest neighbours + sampled-pairs path (N > 3000)

    # ---- sanity check of the values (once)
    print("\nAgreement (ours with centroid='naive' vs the reference; their 'rotation' is our 'milling'):")
    ours0 = frame_metrics(P[0], V[0], L, True, centroid="naive")
    theirs0 = ref.ask(cmd="values", i=0)
    d0 = {k: abs(ours0[k] - theirs0[THEIR_NAME.get(k, k)]) for k in METRIC_NAMES}
    kmax = max(d0, key=d0.get)
    print(f"  frame 0: largest |difference| over the 12 keys = {d0[kmax]:.3g} ({kmax})")
    ours_run = metrics_timeseries(P, V, L, True, centroid="naive")
    keys = [THEIR_NAME.get(k, k) for k in METRIC_NAMES]
    theirs_run = ref.ask(cmd="run", values=True, keys=keys)["values"]
    dr = {k: float(np.max(np.abs(ours_run[k] - np.asarray(theirs_run[THEIR_NAME.get(k, k)])))) for k in METRIC_NAMES}
    kmax = max(dr, key=dr.get)
    print(f"  all {nT} frames (metrics_timeseries): largest |difference| = {dr[kmax]:.3g} ({kmax})")

    rows = []  # (label, ours [(s/frame, other load)], theirs [...] or None)

    # ---- (a) one frame at a time
    oa, ta = [], []
    for _ in range(reps):
        oa.append(ours(lambda: [frame_metrics(P[i], V[i], L, True) for i in idx], len(idx)))
        ta.append(theirs(cmd="frames", idx=idx))
    rows.append((f"(a) one frame, N={N} ({len(idx)} frames, one call each)", oa, ta))

    # ---- (b) the whole run
    ob, tb = [], []
    for _ in range(reps):
        ob.append(ours(lambda: metrics_timeseries(P, V, L, True), nT))
        tb.append(theirs(cmd="run"))
    rows.append((f"(b) whole run, N={N}, {nT} frames (per frame)", ob, tb))

    # ---- (c) larger N, ours (and the reference at N = 1000)
    density, creps = N / L ** 3, min(reps, 3)
    for n, k, modes in ((1000, 20, ("auto",)), (10000, 3, ("auto", "exact"))):
        Ln = (n / density) ** (1 / 3)
        FP, FV = random_frames(n, k, Ln, n)
        path = None
        if n == 1000:
            path = os.path.join(tmp, f"random_{n}.npz"); np.savez(path, positions=FP, velocities=FV, L=Ln)
        for mode in modes:
            frame_metrics(FP[0], FV[0], Ln, True, velocity_pairs=mode)  # warm-up
            oc, tc = [], ([] if path else None)
            for _ in range(creps):
                oc.append(ours(lambda: [frame_metrics(FP[i], FV[i], Ln, True, velocity_pairs=mode) for i in range(k)], k))
                if path: tc.append(theirs(cmd="file_frames", path=path))
            rows.append((f"(c) one frame, N={n} (L={Ln:.1f}), velocity_pairs={mode!r}", oc, tc))

    # ---- report
    med = lambda xs: statistics.median(x for x, _ in xs)
    print(f"\nMedians of {reps} alternating repetitions ((c): {creps}), time per frame; ratio = reference / ours")
    w = 66
    print(f"{'measurement':<{w}} {'ours':>11} {'reference':>11} {'ratio':>8}")
    print("-" * (w + 33))
    for label, o, t in rows:
        mo, mt = med(o), (med(t) if t else None)
        print(f"{label:<{w}} {fmt_t(mo)} {fmt_t(mt) if mt else '          -'} {f'{mt / mo:7.1f}x' if mt else '       -'}")
    mo, mt = med(ob) * nT, med(tb) * nT
    print(f"{'    (b) whole run, total':<{w}} {fmt_t(mo)} {fmt_t(mt)} {mt / mo:7.1f}x")

    print("\nAll repetitions, time per frame [cores kept busy by other processes meanwhile]:")
    fl = lambda v: "?" if v is None else f"{max(v, 0):.2f}"
    worst = 0.0
    for label, o, t in rows:
        print(f"  {label}")
        for who, xs in (("ours", o), ("reference", t)):
            if xs:
                print(f"    {who + ':':<11}" + ", ".join(f"{fmt_t(x).strip()} [{fl(v)}]" for x, v in xs))
                worst = max([worst] + [v for _, v in xs if v is not None])
    if worst > 0.2:
        print(f"\nNOTE: other processes kept up to {worst:.2f} cores busy during some repetitions; those timings are "
              "inflated (parallel ones most). Rerun on an idle machine for clean numbers.")


if __name__ == "__main__":
    main()
