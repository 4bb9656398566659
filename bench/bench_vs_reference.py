"""Whole-run speed of this package against the published dewi-kadita 0.0.4, on the issue's three workloads.

One command runs both packages on the same workloads. The reference runs in a worker subprocess started with
the reference venv's Python (by default a cached venv, ~/.cache/dewi-kadita-bench/reference-0.0.4, that the script
makes with `pip install dewi-kadita==0.0.4` the first time; the import name is the same as ours, so it
must never be imported here). The worker is a small script written to a temporary directory that imports only
the reference library, numpy and the standard library, and answers timing requests with JSON (the convention of
`bench_metrics.py`). Inside each process, wall time is `time.perf_counter` around the work, after a warm-up run
so that Numba compilation (or loading its on-disk cache) and first-call imports are excluded. Ours and the
reference alternate: ours, theirs, ours, theirs, ...

W1, the paper's size: N = 250, 1000 steps, periodic box L = 45, r_r = 1, r_o = 12, r_a = 20, speed 1.5,
    dt 0.1, max turn 0.2 rad per step, noise 0.05, blind angle 20° (half-angle of the rear cone), every frame
    saved and the twelve diagnostics computed on all 1001 frames.
    - reference: `CouzinSystem(..., seed=s)`, `CouzinSolver(dt=0.1).solve(system, n_steps=1000,
      save_interval=1, verbose=False)`, then `compute_metrics_timeseries(positions, velocities, time, 45)`;
    - ours under the same rules: `SchoolParams.from_dict(dict(rules="dewi-kadita-0.0.4", boundary="periodic",
      box_size=45, ..., init="cube"))`, `simulate(p, 1000, seed=s, save_every=1, quiet=True, metrics=True)` (below
      400 fish it computes the diagnostics of each batch of frames while the kernel makes the next batch, on the
      kernel's own two threads from 100 fish); also, for the split, `simulate(...)` and then `metrics_timeseries(ds.position.values,
      ds.velocity.values, 45.0, True)` timed separately (their values are checked to be equal to the bit);
    - ours under the default Couzin (2002) rules with the same radii, box and speed (field_of_view 320°,
      turning_rate = degrees(0.2)/0.1 °/s, noise 0.05), for comparison (not the same dynamics as theirs).
    Simulation, diagnostics and their total are timed; ratio = reference / ours (> 1: ours faster).
    Also the whole-process wall time of each side's job (ours under the dewi-kadita-0.0.4 rules) as one fresh
    process, start-up, imports and Numba compilation or cache loading included. Nothing is cleared first: a
    Numba on-disk cache that exists is used (the script prints how many cache index files each package has).
W2: N = 2000, 200 steps, periodic L = 60, r_r = 1, r_o = 5, r_a = 10, the rest as W1 (201 frames). The reference
    takes about a minute per run, so it gets 2 repetitions by default (--ref-reps-w2); ours gets --reps.
W3, ours alone: N = 100 000 in open space (Couzin 2002 defaults, r_r = 1, Δr_o = 2, Δr_a = 2), starting from a
    uniform random sphere at 0.1 fish per unit volume, 100 steps streamed to NetCDF by
    `write_run(path, p, 100, seed=1, save_every=10, quiet=True)` (diagnostics of every saved frame included)
    in a fresh child process. Before it, another process makes the same warm-up, so that Numba compiles (or finds
    in its cache) the code first and the timed child's peak RSS is that of the run, not of compiling (about 2.5 GB
    for the kernel). The child then makes its own warm-up `write_run` of 2 steps with N = 12 000 (above the
    3000-fish limit of exact velocity pairs and the 10 000 fish from which the five nearest come from a grid, so the
    same diagnostic code paths are compiled) and then times
    the big one. Reported: agent-updates/s = N × steps / wall of that `write_run`, and the child's peak RSS
    (`VmHWM` from /proc/self/status, whole child, warm-up and imports included; not `ru_maxrss`, which on Linux
    carries the parent's peak across fork and exec).

The goals of the issue (W1 ≥ 50× and W2 ≥ 200× for simulation plus diagnostics, W3 ≥ 10⁶ agent-updates/s with
peak RSS < 2 GB) are printed next to the measured values. Every measurement reports the median of its
repetitions, and every repetition how many cores other processes kept busy meanwhile (from /proc; a note is
printed when that exceeded 0.2). The script asserts nothing about speed.

    /work/venv/bin/python bench/bench_vs_reference.py            # full run, about 4 min on 2 idle cores
    /work/venv/bin/python bench/bench_vs_reference.py --quick    # W1 only, 2 repetitions: a smoke test
    /work/venv/bin/python bench/bench_vs_reference.py --only W1,W3 --reps 3 --ref-python /path/to/python
"""
import argparse, glob, json, math, os, platform, statistics, subprocess, sys, tempfile, textwrap, time

import numba
import numpy as np

import dewi_kadita
from dewi_kadita.metrics import metrics_timeseries
from dewi_kadita.params import SchoolParams
from dewi_kadita.simulate import simulate

from _machine import OtherLoad, Reference, cpu_model, loadavg, reference_python  # bench/_machine.py

MAX_TURN, DT, SPEED, NOISE, BLIND = 0.2, 0.1, 1.5, 0.05, 20.0
# name: (N, steps, L, r_r, r_o, r_a)
WORKLOADS = {"W1": (250, 1000, 45.0, 1.0, 12.0, 20.0), "W2": (2000, 200, 60.0, 1.0, 5.0, 10.0)}
GOALS = {"W1": 50.0, "W2": 200.0}
W3_N, W3_STEPS, W3_DENSITY, W3_SAVE, W3_WARM_N = 100_000, 100, 0.1, 10, 12_000  # the warm-up takes W3's paths: cells, and the grid search of the five nearest (from KNN_GRID_MIN = 10 000 fish)
W3_GOAL_RATE, W3_GOAL_RSS_MB = 1e6, 2000.0

# The reference worker. It must import only the reference library, numpy and the standard library.
WORKER = r'''
import json, sys, time
import numpy as np
import dewi_kadita
from dewi_kadita.core import CouzinSolver, CouzinSystem
from dewi_kadita.core.metrics import compute_metrics_timeseries

reply, sys.stdout = sys.stdout, sys.stderr   # anything the library prints goes to stderr, not into the replies

def send(obj):
    reply.write(json.dumps(obj) + "\n"); reply.flush()

def run(n, steps, L, rr, ro, ra, seed):
    t0 = time.perf_counter()
    system = CouzinSystem(n_fish=n, box_size=L, speed=1.5, r_repulsion=rr, r_orientation=ro, r_attraction=ra,
                          max_turn=0.2, noise=0.05, blind_angle=20, seed=seed)
    res = CouzinSolver(dt=0.1).solve(system, n_steps=steps, save_interval=1, verbose=False)
    t1 = time.perf_counter()
    m = compute_metrics_timeseries(res["positions"], res["velocities"], res["time"], L, verbose=False)
    t2 = time.perf_counter()
    h = len(res["time"]) // 2
    return {"sim": t1 - t0, "metrics": t2 - t1, "frames": len(res["time"]),
            "P2": float(np.mean(m["polarization"][h:])), "M2": float(np.mean(m["rotation"][h:]))}

# warm-up: Numba compilation or cache loading, first-call imports (scipy.spatial, tqdm, ...) are not timed
run(50, 5, 45.0, 1.0, 12.0, 20.0, 0)
nb = sys.modules.get("numba")   # loaded by the reference library itself; only queried here
send({"ready": True, "version": getattr(dewi_kadita, "__version__", "?"), "file": dewi_kadita.__file__,
      "numpy": np.__version__, "python": sys.version.split()[0],
      "numba": getattr(nb, "__version__", "not used"),
      "threads": nb.get_num_threads() if nb else None, "layer": nb.threading_layer() if nb else None})

for line in sys.stdin:
    req = json.loads(line)
    if req["cmd"] == "quit":
        break
    send(run(*req["args"]))
'''

# Whole-process jobs (W1): a fresh interpreter imports, simulates and computes the diagnostics once.
OURS_JOB = r'''
import json, sys, time
t0 = time.perf_counter()
from dewi_kadita.params import SchoolParams
from dewi_kadita.simulate import simulate
t1 = time.perf_counter()
n, steps, L, rr, ro, ra = json.loads(sys.argv[1])
p = SchoolParams.from_dict(dict(rules="dewi-kadita-0.0.4", boundary="periodic", box_size=L, n_fish=n, speed=1.5,
    dt=0.1, r_repulsion=rr, r_orientation=ro, r_attraction=ra, max_turn=0.2, noise=0.05, blind_angle=20.0, init="cube"))
simulate(p, steps, seed=1, save_every=1, quiet=True, metrics=True)
print(json.dumps({"import": t1 - t0, "work": time.perf_counter() - t1}))
'''
THEIR_JOB = r'''
import json, sys, time
t0 = time.perf_counter()
from dewi_kadita.core import CouzinSolver, CouzinSystem
from dewi_kadita.core.metrics import compute_metrics_timeseries
t1 = time.perf_counter()
n, steps, L, rr, ro, ra = json.loads(sys.argv[1])
system = CouzinSystem(n_fish=n, box_size=L, speed=1.5, r_repulsion=rr, r_orientation=ro, r_attraction=ra,
                      max_turn=0.2, noise=0.05, blind_angle=20, seed=1)
res = CouzinSolver(dt=0.1).solve(system, n_steps=steps, save_interval=1, verbose=False)
compute_metrics_timeseries(res["positions"], res["velocities"], res["time"], L, verbose=False)
print(json.dumps({"import": t1 - t0, "work": time.perf_counter() - t1}))
'''

# W3: a fresh child of ours streams N = 100 000 fish to NetCDF.
W3_JOB = r'''
import json, math, os, resource, sys, time
from dewi_kadita.files import write_run
from dewi_kadita.params import SchoolParams
n, steps, save_every, density, warm_n, tmp = json.loads(sys.argv[1])
def params(n):
    return SchoolParams(n_fish=n, r_repulsion=1.0, dr_orientation=2.0, dr_attraction=2.0, init="sphere",
                        init_size=(3 * n / (4 * math.pi * density)) ** (1 / 3))
t0 = time.perf_counter()
write_run(os.path.join(tmp, "warm.nc"), params(warm_n), 2, seed=1, save_every=1, quiet=True)
t1 = time.perf_counter()
path = os.path.join(tmp, "w3.nc")
write_run(path, params(n), steps, seed=1, save_every=save_every, quiet=True)
t2 = time.perf_counter()
def peak_kb():
    "This process's peak RSS: VmHWM, which starts afresh at exec (ru_maxrss keeps the parent's peak across fork and exec)."
    try:
        with open("/proc/self/status") as f: return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    except (OSError, StopIteration): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"warm": t1 - t0, "wall": t2 - t1, "file_mb": os.path.getsize(path) / 1e6, "maxrss_kb": peak_kb()}))
'''


def ref_env():
    "Environment for reference processes: no PYTHONPATH, so nothing of ours can be found."
    env = dict(os.environ); env.pop("PYTHONPATH", None)
    return env


def nbi_count(package_file):
    "Numba cache index files next to a package's modules (in its __pycache__ folders)."
    return len(glob.glob(os.path.join(os.path.dirname(package_file), "**", "__pycache__", "*.nbi"), recursive=True))


def ours_params(rules, n, L, rr, ro, ra):
    common = dict(boundary="periodic", box_size=L, n_fish=n, speed=SPEED, dt=DT, r_repulsion=rr, r_orientation=ro,
                  r_attraction=ra, noise=NOISE, init="cube")
    if rules == "dewi-kadita-0.0.4":
        return SchoolParams.from_dict(dict(rules=rules, max_turn=MAX_TURN, blind_angle=BLIND, **common))
    return SchoolParams.from_dict(dict(rules="couzin2002", field_of_view=360 - 2 * BLIND,
                                       turning_rate=math.degrees(MAX_TURN) / DT, **common))


def ours_run(p, steps, L, seed):
    "Our run three ways: simulate, then metrics_timeseries (each timed), and simulate(metrics=True) (both in one call)."
    t0 = time.perf_counter()
    ds = simulate(p, steps, seed=seed, save_every=1, quiet=True)
    t1 = time.perf_counter()
    m = metrics_timeseries(ds.position.values, ds.velocity.values, L, True)
    t2 = time.perf_counter()
    both = simulate(p, steps, seed=seed, save_every=1, quiet=True, metrics=True)
    t3 = time.perf_counter()
    assert all(np.array_equal(both[k].values, m[k], equal_nan=True) for k in m)  # the same numbers either way
    h = len(ds.time) // 2
    return {"sim": t1 - t0, "metrics": t2 - t1, "total": t3 - t2, "frames": len(ds.time),
            "P2": float(np.mean(m["polarization"][h:])), "M2": float(np.mean(m["milling"][h:]))}


def fmt_s(s): return "-" if s is None else (f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s")
def fl(v): return "?" if v is None else f"{max(v, 0):.2f}"


def timed(load, fn):
    "fn()'s result and the cores other processes kept busy meanwhile."
    l0 = load.read(); t0 = time.perf_counter(); r = fn(); dt = time.perf_counter() - t0; l1 = load.read()
    return r, ((l1 - l0) / dt if l0 is not None and l1 is not None else None)


def bench_workload(name, ref, load, reps, ref_reps, worst):
    n, steps, L, rr, ro, ra = WORKLOADS[name]
    print(f"\n=== {name}: N = {n}, {steps} steps, periodic L = {L:g}, r_r = {rr:g}, r_o = {ro:g}, r_a = {ra:g}, "
          f"speed {SPEED}, dt {DT}, diagnostics on all {steps + 1} frames")
    sides = {"ours, rules dewi-kadita-0.0.4": ours_params("dewi-kadita-0.0.4", n, L, rr, ro, ra),
             "ours, rules couzin2002": ours_params("couzin2002", n, L, rr, ro, ra)}
    for p in sides.values():   # warm-up of ours (compilation or cache loading excluded from every timing): the
        ours_run(p, 2, L, 0)     # workload's own N, so that both kernel paths it times (one thread or shared, parallel) are compiled
    res = {k: [] for k in ["reference dewi-kadita 0.0.4", *sides]}
    for i in range(max(reps, ref_reps)):
        seed = i + 1
        for label, p in sides.items():
            if i < reps:
                res[label].append(timed(load, lambda: ours_run(p, steps, L, seed)))
        if i < ref_reps:
            res["reference dewi-kadita 0.0.4"].append(timed(load, lambda: ref.ask(cmd="run", args=[n, steps, L, rr, ro, ra, seed])))
        print(f"  repetition {i + 1} done", flush=True)

    # medians of each part; total: ours simulate(metrics=True) (one call, diagnostics while the kernel steps),
    # theirs the per-repetition sum of their two calls
    med = {k: {q: statistics.median(r[q] for r, _ in v) for q in ("sim", "metrics", "P2", "M2")} for k, v in res.items()}
    for k, v in res.items(): med[k]["total"] = statistics.median(r.get("total", r["sim"] + r["metrics"]) for r, _ in v)
    theirs = med["reference dewi-kadita 0.0.4"]
    print(f"\n{name}: medians of {reps} repetitions (reference: {ref_reps}); ratio = reference / ours")
    hdr = f"{'side':<30} {'reps':>4} {'simulate':>10} {'diagnostics':>11} {'total':>10}   {'ratio sim':>9} {'diag':>7} {'total':>7}   {'P 2nd half':>10} {'M':>6}"
    print(hdr); print("-" * len(hdr))
    for k, m in med.items():
        ratios = ("", "", "") if k.startswith("reference") else tuple(f"{theirs[q] / m[q]:6.1f}x" for q in ("sim", "metrics", "total"))
        print(f"{k:<30} {len(res[k]):>4} {fmt_s(m['sim']):>10} {fmt_s(m['metrics']):>11} {fmt_s(m['total']):>10}   "
              f"{ratios[0]:>9} {ratios[1]:>7} {ratios[2]:>7}   {m['P2']:>10.3f} {m['M2']:>6.3f}")
    same = theirs["total"] / med["ours, rules dewi-kadita-0.0.4"]["total"]
    print(f"GOAL {name}: simulation + diagnostics >= {GOALS[name]:g}x faster (same rules): measured {same:.1f}x "
          f"-> {'met' if same >= GOALS[name] else 'NOT met'}")
    print("(P, M: second-half means of polarization and milling/rotation, a check that the runs are alike; our M "
          "uses the periodic box centroid, theirs the plain mean)")
    print("(ours: total = simulate(..., metrics=True), which below 400 fish computes the diagnostics while the kernel steps,\n"
          " on its own two threads; simulate and diagnostics = the two separate calls; theirs: total = simulate + diagnostics)")
    print("All repetitions, simulate + diagnostics [cores kept busy by other processes meanwhile]:")
    for k, v in res.items():
        print(f"  {k + ':':<31}" + ", ".join(f"{fmt_s(r['sim'])} + {fmt_s(r['metrics'])}" + (f" (together {fmt_s(r['total'])})" if "total" in r else "") + f" [{fl(l)}]" for r, l in v))
        worst[0] = max([worst[0]] + [l for _, l in v if l is not None])
    return same


def whole_process(name, ref_python, tmp, load, worst):
    args = json.dumps(WORKLOADS[name])
    print(f"\n{name}, whole process (fresh interpreter: start-up, imports, compilation or Numba cache loading, "
          f"simulation and diagnostics; once each, ours first):")
    hdr = f"{'side':<30} {'wall':>9} {'imports':>9} {'work':>9} {'start-up+imports':>17} {'others':>7}"
    print(hdr); print("-" * len(hdr))
    walls = {}
    for label, cmd, env in (("ours, rules dewi-kadita-0.0.4", [sys.executable, "-c", OURS_JOB, args], None),
                            ("reference dewi-kadita 0.0.4", [ref_python, "-P", "-c", THEIR_JOB, args], ref_env())):
        t = time.perf_counter()
        (out, l) = timed(load, lambda: subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True))
        wall = time.perf_counter() - t
        if out.returncode:
            print(f"{label:<30} failed (rc={out.returncode}):\n{out.stderr[-2000:]}"); continue
        j = json.loads(out.stdout.strip().splitlines()[-1])
        walls[label] = wall
        worst[0] = max(worst[0], l or 0)
        print(f"{label:<30} {fmt_s(wall):>9} {fmt_s(j['import']):>9} {fmt_s(j['work']):>9} {fmt_s(wall - j['work']):>17} {fl(l):>7}")
    if len(walls) == 2:
        print(f"whole-process ratio reference / ours: {walls['reference dewi-kadita 0.0.4'] / walls['ours, rules dewi-kadita-0.0.4']:.1f}x")


def w3(tmp, load, worst):
    print(f"\n=== W3 (ours alone): N = {W3_N}, open space, sphere start at density {W3_DENSITY}, {W3_STEPS} steps, "
          f"write_run to NetCDF with save_every={W3_SAVE} (diagnostics on), fresh child process")
    args = json.dumps([W3_N, W3_STEPS, W3_SAVE, W3_DENSITY, W3_WARM_N, tmp])
    aside = os.path.join(tmp, "compile"); os.makedirs(aside, exist_ok=True)  # its files apart from the timed child's
    first = subprocess.run([sys.executable, "-c", W3_JOB, json.dumps([W3_WARM_N, 2, 1, W3_DENSITY, W3_WARM_N, aside])], cwd=aside, capture_output=True, text=True)
    if first.returncode:
        print(f"W3's compiling process failed (rc={first.returncode}):\n{first.stderr[-3000:]}"); return None
    out, l = timed(load, lambda: subprocess.run([sys.executable, "-c", W3_JOB, args], cwd=tmp, capture_output=True, text=True))
    if out.returncode:
        print(f"W3 failed (rc={out.returncode}):\n{out.stderr[-3000:]}"); return None
    j = json.loads(out.stdout.strip().splitlines()[-1])
    rate, rss = W3_N * W3_STEPS / j["wall"], j["maxrss_kb"] * 1024 / 1e6
    worst[0] = max(worst[0], l or 0)
    print(f"warm-up write_run (N = {W3_WARM_N}, 2 steps; includes compilation or Numba cache loading): {fmt_s(j['warm'])}")
    print(f"write_run wall {fmt_s(j['wall'])}, file {j['file_mb']:.1f} MB; cores kept busy by other processes during "
          f"the child: {fl(l)}")
    print(f"GOAL W3: >= {W3_GOAL_RATE:.0e} agent-updates/s: measured {rate:.3e} -> {'met' if rate >= W3_GOAL_RATE else 'NOT met'}")
    print(f"GOAL W3: peak RSS < {W3_GOAL_RSS_MB / 1000:g} GB: measured {rss:.0f} MB (peak RSS of the child, VmHWM) "
          f"-> {'met' if rss < W3_GOAL_RSS_MB else 'NOT met'}")
    return rate, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5, help="repetitions of W1 (both sides) and of ours in W2 (median reported)")
    ap.add_argument("--ref-reps-w2", type=int, default=2, help="repetitions of the reference in W2 (about 1 min each)")
    ap.add_argument("--only", default="W1,W2,W3", help="comma-separated workloads to run (default W1,W2,W3)")
    ap.add_argument("--ref-python", default=None, help="Python of a venv holding dewi-kadita 0.0.4 (default: the cached one the script makes)")
    ap.add_argument("--quick", action="store_true", help="W1 only, 2 repetitions: a smoke test")
    a = ap.parse_args()
    a.ref_python = reference_python(a.ref_python)
    only = ["W1"] if a.quick else [w.strip().upper() for w in a.only.split(",") if w.strip()]
    reps = 2 if a.quick else a.reps
    T0, load0 = time.perf_counter(), loadavg()

    # a parallel call first, so that numba.threading_layer() can answer
    from dewi_kadita.metrics import metrics_timeseries as _mt
    P0 = np.random.default_rng(0).uniform(0, 45, (3, 50, 3)); _mt(P0, P0 * 0 + 1.0, 45.0, True)
    print("dewi_kadita whole-run benchmark: ours vs dewi-kadita 0.0.4")
    print(f"CPU: {cpu_model()}; {os.cpu_count()} logical CPUs ({len(os.sched_getaffinity(0))} usable); "
          f"Numba threads: {numba.get_num_threads()}; threading layer: {numba.threading_layer()}")
    print(f"ours: dewi_kadita {getattr(dewi_kadita, '__version__', '?')} ({os.path.dirname(dewi_kadita.__file__)}), "
          f"Python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}; "
          f"Numba cache index files: {nbi_count(dewi_kadita.__file__)}")
    print(f"Workloads: {', '.join(only)}; load average (1, 5, 15 min) at start: {load0}")

    worst, goals = [0.0], {}
    with tempfile.TemporaryDirectory(prefix="bench_vs_ref_") as tmp:
        ref = None
        if any(w in only for w in WORKLOADS):
            script = os.path.join(tmp, "ref_worker.py")
            with open(script, "w") as f:
                f.write(textwrap.dedent(WORKER))
            ref = Reference([a.ref_python, "-P", script], cwd=tmp, env=ref_env())  # -P: the script's folder not first on sys.path
            i = ref.info
            print(f"reference: dewi-kadita {i['version']} ({os.path.dirname(i['file'])}) via {a.ref_python}, Python "
                  f"{i['python']}, numpy {i['numpy']}, numba {i['numba']}, Numba threads {i['threads']}, threading "
                  f"layer {i['layer']}; Numba cache index files: {nbi_count(i['file'])}")
            if os.path.realpath(os.path.dirname(i["file"])) == os.path.realpath(os.path.dirname(dewi_kadita.__file__)):
                raise SystemExit("the reference worker imported our package, not dewi-kadita 0.0.4")
        try:
            load = OtherLoad(*([ref.p.pid] if ref else []))
            for name in ("W1", "W2"):
                if name in only:
                    goals[name] = bench_workload(name, ref, load, reps, reps if name == "W1" else min(a.ref_reps_w2, reps), worst)
                    if name == "W1":
                        whole_process(name, a.ref_python, tmp, load, worst)
        finally:
            if ref: ref.close()
        if "W3" in only:
            goals["W3"] = w3(tmp, OtherLoad(), worst)

    print("\n=== Summary of the issue's goals")
    if "W1" in goals: print(f"W1 simulation + diagnostics, reference / ours: {goals['W1']:7.1f}x   (goal >= {GOALS['W1']:g}x)")
    if "W2" in goals: print(f"W2 simulation + diagnostics, reference / ours: {goals['W2']:7.1f}x   (goal >= {GOALS['W2']:g}x)")
    if goals.get("W3"):
        print(f"W3 agent-updates/s: {goals['W3'][0]:.3e}   (goal >= 1e6);  peak RSS: {goals['W3'][1]:.0f} MB   (goal < 2 GB)")
    print(f"\nTotal {time.perf_counter() - T0:.0f} s; load average at start: {load0}, at end: {loadavg()}")
    if worst[0] > 0.2:
        print(f"NOTE: other processes kept up to {worst[0]:.2f} cores busy during some measurements; those timings are "
              "inflated (parallel ones most). Rerun on an idle machine for clean numbers.")


if __name__ == "__main__":
    main()
