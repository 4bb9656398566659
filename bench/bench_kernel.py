"""Throughput of the Numba kernel `dewi_kadita.kernel.advance`.

For N = 250, 2000 and 10000 fish at a fixed density of 0.1 fish per unit volume, in open space and in a
periodic box, prints

* agent-updates per second: N × steps / wall seconds;
* pair checks per second: the number of candidate pairs the kernel examines (pairs (k, m), m ≠ k, that pass
  the cell-coordinate match in `_gather`), summed over the steps, / wall seconds.

Wall time is the median of 3 repetitions of one `advance(..., nsteps)` call from the initial state, measured
after a warm-up call so that Numba compilation is excluded. The candidate count comes from a separate
counting pass (`count_candidates`) that steps the same run one step at a time (the run is deterministic:
counter-based noise and a fixed order of summation) and, on the state at each step, rebuilds the cell list
with `build_cells` and counts candidates exactly as `_gather` collects them (all pairs when there is one cell).

Parameters: Couzin (2002) defaults (field of view 270°, turning rate 40°/s, noise 0.05, speed 3, dt 0.1) with
r_repulsion 1, dr_orientation 2, dr_attraction 2, so r_a = 5. Open space starts from a uniform sphere of radius
(3N / (4π·0.1))^(1/3); the periodic box has side (N / 0.1)^(1/3) and starts uniform in the whole box
(init 'cube' with init_size = box side). The script asserts nothing about speed.

    python bench/bench_kernel.py            # full run (a few minutes on 2 cores)
    python bench/bench_kernel.py --quick    # 10× fewer steps, a smoke test
"""
import argparse, datetime, math, os, platform, statistics, sys, time

import numba
import numpy as np
from numba import njit, prange

from dewi_kadita.params import SchoolParams
from dewi_kadita.simulate import initial_state
from dewi_kadita.kernel import advance
from dewi_kadita.neighbours import build_cells, table_size, _bucket

from _machine import busy_seconds, cpu_model  # bench/_machine.py

DENSITY = 0.1
SIZES = (250, 2000, 10000)
# Steps per measurement, chosen so that one timed call takes about 1–5 s on a 2-core AMD EPYC VM (2 threads).
STEPS = {("open", 250): 8000, ("open", 2000): 1000, ("open", 10000): 200,
         ("periodic", 250): 5000, ("periodic", 2000): 500, ("periodic", 10000): 150}
REPEATS = 3
SEED = 20021107


def make_params(n, boundary):
    "Couzin-faithful school of n fish at density 0.1 with r_r = 1, r_o = 3, r_a = 5."
    common = dict(n_fish=n, r_repulsion=1.0, dr_orientation=2.0, dr_attraction=2.0, field_of_view=270.0,
                  turning_rate=40.0, noise=0.05, speed=3.0, dt=0.1, rules="couzin2002", seed=SEED)
    if boundary == "open":
        return SchoolParams(boundary="open", init="sphere", init_size=(3 * n / (4 * math.pi * DENSITY)) ** (1 / 3), **common)
    L = (n / DENSITY) ** (1 / 3)
    return SchoolParams(boundary="periodic", box_size=L, init="cube", init_size=L, **common)


@njit(parallel=True, cache=True)
def _count_from_cells(cell, order, start, nc):
    "Candidates (k, m), m != k, that pass the cell-coordinate match of `_gather`, in the kernel's sorted order."
    n = cell.shape[0]
    scell = np.empty((n, 3), np.int64)
    for k in range(n):
        i = order[k]
        for a in range(3): scell[k, a] = cell[i, a]
    mask = start.shape[0] - 2
    reach = 1 if nc != 1 else 0
    total = 0
    for k in prange(n):
        c = 0
        for ddx in range(-reach, reach + 1):
            for ddy in range(-reach, reach + 1):
                for ddz in range(-reach, reach + 1):
                    cx, cy, cz = scell[k, 0] + ddx, scell[k, 1] + ddy, scell[k, 2] + ddz
                    if nc > 1:
                        cx, cy, cz = (cx - 1) % nc + 1, (cy - 1) % nc + 1, (cz - 1) % nc + 1
                    b = _bucket(cx, cy, cz, mask)
                    for m in range(start[b], start[b + 1]):
                        if m == k or scell[m, 0] != cx or scell[m, 1] != cy or scell[m, 2] != cz: continue
                        c += 1
        total += c
    return total


def count_candidates(p, nsteps, seed):
    "Candidate pairs summed over steps 0..nsteps-1 of the run, and the cells per axis at step 0."
    pos, head = initial_state(p, seed)
    n = p.n_fish
    cell = np.empty((n, 3), np.int64); start = np.empty(table_size(n) + 1, np.int64); order = np.empty(n, np.int64)
    total, nc0 = 0, None
    for step in range(nsteps):
        nc = build_cells(np.ascontiguousarray(pos), p.periodic, float(p.box_size or 0.0), p.r_attraction, cell, start, order, np.empty(len(start) - 1, np.int64))
        if nc0 is None: nc0 = nc
        total += _count_from_cells(cell, order, start, nc)
        pos, head = advance(pos, head, p, 1, seed, step0=step)
    return total, nc0


def time_run(p, nsteps, seed, repeats):
    """Median wall seconds of `repeats` calls of advance(nsteps) from the initial state, after a warm-up call,
    and the mean number of cores kept busy by other processes meanwhile (machine busy time − this process's)."""
    pos, head = initial_state(p, seed)
    advance(pos, head, p, 2, seed)  # warm-up: compilation (or cache load) and thread pool start
    times = []
    b0, c0, w0 = busy_seconds(), os.times(), time.perf_counter()
    for _ in range(repeats):
        t0 = time.perf_counter()
        advance(pos, head, p, nsteps, seed)
        times.append(time.perf_counter() - t0)
    b1, c1, w1 = busy_seconds(), os.times(), time.perf_counter()
    others = None if b0 is None else max(0.0, (b1 - b0) - (c1.user + c1.system - c0.user - c0.system)) / (w1 - w0)
    return statistics.median(times), others


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="use 10x fewer steps (a smoke test, not a measurement)")
    args = ap.parse_args(argv)
    scale = 10 if args.quick else 1

    print(f"dewi-kadita kernel benchmark  {datetime.datetime.now().isoformat(timespec='seconds')}")
    print(f"CPU: {cpu_model()}  (os.cpu_count() = {os.cpu_count()})")
    print(f"numba threads: {numba.get_num_threads()}  numba {numba.__version__}  numpy {np.__version__}  python {platform.python_version()}")
    print(f"density {DENSITY} fish/unit^3, r_r 1, r_o 3, r_a 5, fov 270, turning 40 deg/s, noise 0.05, speed 3, dt 0.1, seed {SEED}")
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f}  (other work on the machine slows the timings, 2-thread runs most)")
    print(f"wall = median of {REPEATS} timed calls of advance(nsteps) after a warm-up call{'  [--quick]' if args.quick else ''}")
    print()
    cases = [(b, n) for b in ("open", "periodic") for n in SIZES]
    timed = {}
    for boundary, n in cases:  # all timings first, close together; the (slower) counting passes after
        p = make_params(n, boundary)
        nsteps = max(1, STEPS[(boundary, n)] // scale)
        timed[boundary, n] = (p, nsteps) + time_run(p, nsteps, SEED, REPEATS)
        print(f"  timed {boundary} N={n}: {timed[boundary, n][2]:.3f} s", file=sys.stderr, flush=True)
    hdr = (f"{'boundary':<9} {'N':>6} {'size':>7} {'nc':>3} {'steps':>6} {'wall s':>7} {'agent-upd/s':>12} "
           f"{'cand/fish/step':>14} {'pair checks/s':>14} {'others':>6}")
    print(hdr); print("-" * len(hdr))
    for boundary, n in cases:
        p, nsteps, wall, others = timed[boundary, n]
        cand, nc0 = count_candidates(p, nsteps, SEED)
        size = p.init_size if boundary == "open" else p.box_size  # sphere radius or box side
        print(f"{boundary:<9} {n:>6} {size:>7.2f} {nc0:>3} {nsteps:>6} {wall:>7.3f} {n * nsteps / wall:>12.3e} "
              f"{cand / (n * nsteps):>14.1f} {cand / wall:>14.3e} {'?' if others is None else f'{others:.2f}':>6}", flush=True)
    print()
    print(f"load average (1 min) at end: {os.getloadavg()[0]:.2f}")
    print("size: initial sphere radius (open) or box side (periodic); nc: cells per axis at step 0 "
          "(0 = open space, 1 = one cell, all pairs); cand/fish/step: candidate pairs per fish per step;\n"
          "others: mean number of cores other processes kept busy during the timed calls (should be near 0).")


if __name__ == "__main__":
    sys.exit(main())
