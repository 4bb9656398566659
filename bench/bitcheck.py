"""Fingerprints of seeded runs, to show that a change to the engine keeps every bit.

Runs every preset (short, with all twelve diagnostics) and a few schools that reach the kernel's other paths
(one thread, two threads sharing a step, cells over many threads, periodic and open, both rule sets), then
prints or compares a SHA-256 of each run's positions, velocities and diagnostics.

    python bench/bitcheck.py --write bench/results/bits.json     # fingerprints of this checkout
    python bench/bitcheck.py --compare bench/results/bits.json   # the same runs again: exit 1 on any difference

Run it under several thread counts (`NUMBA_NUM_THREADS=1` and the default): the fingerprints must not move.
"""
import argparse, hashlib, json, sys
from dataclasses import replace
import numpy as np
from dewi_kadita.params import load_preset, list_presets, SchoolParams
from dewi_kadita.simulate import simulate

STEPS = 120

def schools():
    "(name, params, steps, save_every): the presets, then schools on the kernel's other paths."
    for name in sorted(list_presets()): yield name, load_preset(name)[0], STEPS, 3
    yield "open-60", SchoolParams(n_fish=60, seed=3, dr_orientation=2.0, dr_attraction=6.0), STEPS, 2
    yield "periodic-600-dk004", SchoolParams(n_fish=600, seed=5, boundary="periodic", box_size=22.0, rules="dewi-kadita-0.0.4",
                                              init="cube", field_of_view=300.0, dr_orientation=3.0, dr_attraction=4.0), 60, 3
    yield "open-1500", SchoolParams(n_fish=1500, seed=7, dr_orientation=1.0, dr_attraction=2.0), 40, 4

def fingerprint(ds) -> dict:
    "A SHA-256 of each data variable's bytes, and of the coordinates."
    out = {k: hashlib.sha256(np.ascontiguousarray(ds[k].values).tobytes()).hexdigest()[:16] for k in sorted(ds.data_vars)}
    out["time"] = hashlib.sha256(np.ascontiguousarray(ds["time"].values).tobytes()).hexdigest()[:16]
    return out

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write"); ap.add_argument("--compare"); ap.add_argument("--only")
    a = ap.parse_args(argv)
    got = {}
    for name, p, steps, every in schools():
        if a.only and a.only not in name: continue
        got[name] = fingerprint(simulate(p, steps, save_every=every, quiet=True, metrics=True))
        print(name, got[name]["position"], got[name].get("oceanic_schooling_index", ""), flush=True)
    if a.write:
        with open(a.write, "w") as f: json.dump(got, f, indent=1)
    if a.compare:
        want, bad = json.load(open(a.compare)), 0
        for name, fp in got.items():
            diff = [k for k in fp if want.get(name, {}).get(k) != fp[k]]
            if diff: bad += 1; print(f"DIFFERS {name}: {diff}")
        print(f"{len(got) - bad} of {len(got)} runs identical to {a.compare}")
        return 1 if bad else 0
    return 0

if __name__ == "__main__": sys.exit(main())
