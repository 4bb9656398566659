"""The first run as a newcomer meets it: ours and dewi-kadita 0.0.4 from an empty Numba cache, then warm.

Each case runs twice, each time as a fresh process: first with NUMBA_CACHE_DIR set to a new, empty temporary
folder (cold: Numba compiles everything the run uses, start-up and imports included), then again with the same
folder (warm: Numba loads what the first process cached). Python's own bytecode caches are left as installed.
The cases, all the torus, `--steps` steps (300 by default) with the diagnostics:

- ours, CLI: `dewi-kadita run torus --steps 300 --out <tmp>/t.nc --overwrite --quiet` (the console script next to
  this Python, else `python -c "from dewi_kadita.cli import main; ..."`);
- ours, notebook: `python -c "...; simulate(load_preset('torus')[0], 300, metrics=True, quiet=True)"`;
- reference: dewi-kadita 0.0.4's paper torus case (`reference_runs.CASES['torus']`: 200 fish, periodic box of 25,
  ring start), `CouzinSolver(dt=0.1).solve(..., n_steps=300, save_interval=1)` and then
  `compute_metrics_timeseries` over all frames, in the reference's own virtual environment (the import name is
  ours too; `_machine.reference_python` finds or makes it).

Printed: one row per case with the cold and warm wall seconds (the whole process, from start to exit), the
ratios ours / reference (> 1: ours slower), and how many cores other processes kept busy meanwhile.
Our cold runs take minutes (the kernel's compilation); the reference's take about 15-30 s in all.

    python bench/bench_first_run.py                    # all three cases, cold then warm
    python bench/bench_first_run.py --only reference   # the reference alone (about 15-30 s)
    python bench/bench_first_run.py --dry-run          # print the commands, run nothing
"""
import argparse, os, shlex, subprocess, sys, tempfile, time
from pathlib import Path

from _machine import OtherLoad, REF_VENV, cpu_model, loadavg, reference_python  # bench/_machine.py

BENCH = Path(__file__).resolve().parent

NOTEBOOK_JOB = ('from dewi_kadita.params import load_preset; from dewi_kadita.simulate import simulate; '
                'simulate(load_preset("torus")[0], {steps}, metrics=True, quiet=True)')
# The reference's job: it imports only the reference library, numpy and the standard library (and the case table
# of reference_runs.py, which imports the same).
REFERENCE_JOB = """import sys; sys.dont_write_bytecode = True; sys.path.insert(0, {bench!r})
from reference_runs import CASES, DT
from dewi_kadita.core.metrics import compute_metrics_timeseries
from dewi_kadita.core.solver import CouzinSolver
from dewi_kadita.core.systems import CouzinSystem
kw, _ = CASES["torus"]
res = CouzinSolver(dt=DT).solve(CouzinSystem(seed=0, **kw), n_steps={steps}, save_interval=1, verbose=False)
compute_metrics_timeseries(res["positions"], res["velocities"], res["time"], kw["box_size"], verbose=False)"""


def cli_command(steps, out):
    "The command line of `dewi-kadita run torus`, through the console script installed beside this Python if any."
    args = ["run", "torus", "--steps", str(steps), "--out", str(out), "--overwrite", "--quiet"]
    script = Path(sys.executable).parent / "dewi-kadita"
    if script.exists(): return [str(script), *args]
    return [sys.executable, "-c", f"from dewi_kadita.cli import main; raise SystemExit(main({args!r}))"]


def cases(only, steps, tmp, ref_python):
    "(name, side, argv, extra environment) of each case to run."
    out = []
    if only in (None, "ours"):
        out += [("ours, CLI (dewi-kadita run torus)", "ours", cli_command(steps, Path(tmp) / "t.nc"), {}),
                ("ours, notebook (simulate torus)", "ours", [sys.executable, "-c", NOTEBOOK_JOB.format(steps=steps)], {})]
    if only in (None, "reference"):
        out += [("dewi-kadita 0.0.4 (paper torus)", "reference",
                 [ref_python, "-P", "-c", REFERENCE_JOB.format(bench=str(BENCH), steps=steps)], {"PYTHONPATH": None})]
    return out


def environment(cache, extra):
    "This process's environment with NUMBA_CACHE_DIR = cache; keys of `extra` set to None are removed."
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    for k, v in extra.items():
        if v is None: env.pop(k, None)
        else: env[k] = v
    return env


def run_once(argv, env, cwd, timeout):
    "Wall seconds of one fresh process running argv, and the cores other processes kept busy meanwhile."
    load = OtherLoad(); l0 = load.read(); t0 = time.perf_counter()
    try: p = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired: raise SystemExit(f"{argv[0]}: no answer within {timeout} s (--timeout)")
    wall = time.perf_counter() - t0; l1 = load.read()
    if p.returncode: raise SystemExit(f"failed (rc={p.returncode}): {' '.join(argv)[:300]}\n{p.stderr[-3000:]}")
    return wall, ((l1 - l0) / wall if l0 is not None and l1 is not None else None)


def ratio(a, b): return f"{a / b:.2f}x" if a is not None and b else "-"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 epilog="Each case: a fresh process with an empty Numba cache (cold), then a second one with the same cache (warm).")
    ap.add_argument("--only", choices=["ours", "reference"], help="run only our two cases or only the reference's")
    ap.add_argument("--steps", type=int, default=300, help="steps of every run (default 300)")
    ap.add_argument("--ref-python", default=None, help="Python of a venv holding dewi-kadita 0.0.4 (default: the cached one _machine.py makes)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds one process may take (default 1800)")
    ap.add_argument("--dry-run", action="store_true", help="print each case's command and environment, run nothing")
    a = ap.parse_args(argv)
    if a.steps < 1: ap.error("--steps must be at least 1")
    if a.dry_run: ref_python = a.ref_python or str(REF_VENV / "bin" / "python")
    elif a.only != "ours": ref_python = reference_python(a.ref_python)
    else: ref_python = None

    with tempfile.TemporaryDirectory(prefix="bench_first_run_") as tmp:
        todo = cases(a.only, a.steps, tmp, ref_python)
        if a.dry_run:
            for i, (name, side, cmd, extra) in enumerate(todo):
                unset = [f"-u {k}" for k, v in extra.items() if v is None]
                print(f"# {name}: twice, cold then warm, in {tmp}")
                print(" ".join(["env", *unset, f"NUMBA_CACHE_DIR={Path(tmp) / f'numba-cache-{i}'}", shlex.join(cmd)]))
            return 0
        print(f"first runs: {a.steps} steps of the torus with diagnostics; CPU: {cpu_model()}, {os.cpu_count()} logical CPUs; "
              f"load average at start: {loadavg()}", flush=True)
        rows = {}
        for i, (name, side, cmd, extra) in enumerate(todo):
            cache = Path(tmp) / f"numba-cache-{i}"; cache.mkdir()   # empty: the cold run compiles everything it uses
            env = environment(cache, extra)
            cold, lc = run_once(cmd, env, tmp, a.timeout)
            warm, lw = run_once(cmd, env, tmp, a.timeout)
            rows[name] = (side, cold, warm, max((l for l in (lc, lw) if l is not None), default=None))
            print(f"  {name}: cold {cold:.1f} s, warm {warm:.1f} s", flush=True)

    ref = next(((c, w) for s, c, w, _ in rows.values() if s == "reference"), (None, None))
    hdr = f"{'case':<36} {'cold s':>8} {'warm s':>8} {'cold ours/ref':>14} {'warm ours/ref':>14} {'others':>7}"
    print("\n" + hdr); print("-" * len(hdr))
    for name, (side, cold, warm, others) in rows.items():
        rc, rw = (ratio(cold, ref[0]), ratio(warm, ref[1])) if side == "ours" else ("", "")
        print(f"{name:<36} {cold:>8.1f} {warm:>8.1f} {rc:>14} {rw:>14} {'?' if others is None else f'{max(others, 0):.2f}':>7}")
    print("(wall seconds of the whole process; cold: an empty Numba cache; others: cores other processes kept busy, at most)")
    print(f"load average at end: {loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
