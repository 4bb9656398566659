"""Reference results of the published dewi-kadita 0.0.4 over several seeds.

Runs the published library's own `CouzinSolver` on the paper's four cases
(swarm, torus, dynamic_parallel, highly_parallel), `--seeds` runs per case
(seed = 0..N-1 passed to `CouzinSystem`; the library's noise is drawn
unseeded inside Numba, so runs are not reproducible even with the same seed),
and for each run computes the library's own metrics with
`compute_metrics_timeseries(...)` and records the second-half mean
(`<key>_mean`) of its twelve metrics.  One CSV row per (case, seed) is
written, and flushed, as each run finishes, with columns

    case, seed, steps, wall_s, polarization, milling, spread, order_index,
    school_cohesion_entropy, polarization_entropy,
    depth_stratification_entropy, angular_momentum_entropy,
    nearest_neighbor_entropy, velocity_correlation_entropy,
    school_shape_entropy, oceanic_schooling_index

(`milling` is the library's `rotation`; `wall_s` is the wall time of
`solver.solve` alone, not of the metrics).  Settings: dt = 0.1,
save_interval = 1.

This script imports only the reference library, numpy and the standard
library, and must be run with an interpreter that has dewi-kadita 0.0.4
installed (its import name, `dewi_kadita`, is the same as this project's, so
do not run it in this project's environment):

    python3 -m venv /tmp/ref && /tmp/ref/bin/pip install dewi-kadita==0.0.4 \
        && /tmp/ref/bin/python bench/reference_runs.py

Options: `--seeds N` (default 10), `--out PATH` (default
bench/data/reference_0.0.4_runs.csv), `--cases a,b,...` (default: all four;
use it to split the work over several processes, each with its own --out,
then concatenate the CSVs).
"""

import argparse
import csv
import os
import sys
import time

import numpy as np

import dewi_kadita
from dewi_kadita.core.metrics import compute_metrics_timeseries
from dewi_kadita.core.solver import CouzinSolver
from dewi_kadita.core.systems import CouzinSystem

DT = 0.1

# name: (CouzinSystem kwargs, steps)
CASES = {
    "swarm": (dict(n_fish=150, box_size=25.0, speed=1.0, r_repulsion=2.0,
                   r_orientation=3.0, r_attraction=15.0, max_turn=0.4,
                   noise=0.2, blind_angle=30.0), 1000),
    "torus": (dict(n_fish=200, box_size=25.0, speed=1.0, r_repulsion=1.0,
                   r_orientation=3.0, r_attraction=10.0, max_turn=0.2,
                   noise=0.05, blind_angle=150.0, orientation_weight=0.1,
                   torus_init=True, torus_radius=6.0), 2000),
    "dynamic_parallel": (dict(n_fish=180, box_size=28.0, speed=1.2,
                              r_repulsion=1.0, r_orientation=10.0,
                              r_attraction=18.0, max_turn=0.35, noise=0.12,
                              blind_angle=25.0), 1500),
    "highly_parallel": (dict(n_fish=250, box_size=35.0, speed=1.5,
                             r_repulsion=1.0, r_orientation=12.0,
                             r_attraction=20.0, max_turn=0.2, noise=0.05,
                             blind_angle=20.0), 1000),
}

METRIC_KEYS = [
    "polarization", "rotation", "spread", "order_index",
    "school_cohesion_entropy", "polarization_entropy",
    "depth_stratification_entropy", "angular_momentum_entropy",
    "nearest_neighbor_entropy", "velocity_correlation_entropy",
    "school_shape_entropy", "oceanic_schooling_index",
]
HEADER = ["case", "seed", "steps", "wall_s"] + [
    "milling" if k == "rotation" else k for k in METRIC_KEYS]


def run_one(case, seed):
    """One reference run; returns the CSV row as a list."""
    kwargs, steps = CASES[case]
    system = CouzinSystem(seed=seed, **kwargs)
    solver = CouzinSolver(dt=DT)
    t0 = time.perf_counter()
    result = solver.solve(system, n_steps=steps, save_interval=1,
                          verbose=False)
    wall = time.perf_counter() - t0
    m = compute_metrics_timeseries(result["positions"], result["velocities"],
                                   result["time"], kwargs["box_size"],
                                   verbose=False)
    return [case, seed, steps, f"{wall:.3f}"] + [
        repr(float(m[f"{k}_mean"])) for k in METRIC_KEYS]


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--out", default=os.path.join(
        here, "data", "reference_0.0.4_runs.csv"))
    p.add_argument("--cases", default=",".join(CASES),
                   help="comma-separated subset of: " + ", ".join(CASES))
    a = p.parse_args(argv)
    cases = [c.strip() for c in a.cases.split(",") if c.strip()]
    for c in cases:
        if c not in CASES:
            p.error(f"unknown case {c!r}")

    print(f"dewi_kadita {getattr(dewi_kadita, '__version__', '?')} from "
          f"{os.path.dirname(dewi_kadita.__file__)}", flush=True)
    # Load/compile the Numba kernel once so the first wall_s is not inflated.
    CouzinSolver(dt=DT).solve(CouzinSystem(n_fish=10, seed=0), n_steps=2,
                              verbose=False)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        fh.flush()
        for case in cases:
            for seed in range(a.seeds):
                t0 = time.perf_counter()
                row = run_one(case, seed)
                w.writerow(row)
                fh.flush()
                d = dict(zip(HEADER, row))
                print(f"{case:>16s} seed {seed}: solve {d['wall_s']} s, "
                      f"total {time.perf_counter() - t0:.1f} s, "
                      f"P={float(d['polarization']):.3f} "
                      f"M={float(d['milling']):.3f} "
                      f"OSI={float(d['oceanic_schooling_index']):.3f}",
                      flush=True)
    print(f"wrote {a.out}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
