"""Couzin's phase diagram and collective-memory loop at full size, for nbs/07a_phases.ipynb.

N = 100 in open space with Couzin's other values; Δr_o = 0, 0.5, ..., 5 (plus 2.25, 5.25, 5.5, 5.75 where the
states change), 6, 8, 10, 12, 15 × Δr_a = 2, 6, 10, 14,
10 seeds each, 10 000 steps (1000 s) per run; the loop at Δr_a = 14 over Δr_o = 0, 0.5, ..., 6 up and back
down, 10 000 steps at each value, 10 replicates. Writes two small NetCDF files that the notebook loads:

    NUMBA_NUM_THREADS=1 nice -n 10 python bench/phases.py --workers 2 --seeds 10 --out nbs/data

--quick runs a tiny version (a check of the script, not results). --add runs only the Δr_o values missing
from an existing grid file and merges them in (the loop is left as it is).
"""
import argparse, os, sys, time
from pathlib import Path
import xarray as xr
os.environ.setdefault("NUMBA_NUM_THREADS", "1")
from dewi_kadita.params import SchoolParams
from dewi_kadita.phases import phase_grid, hysteresis
sys.path.insert(0, str(Path(__file__).parent)); from _machine import cpu_model

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="nbs/data", help="folder for phases_grid.nc and phases_hysteresis.nc")
    ap.add_argument("--workers", type=int, default=2); ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--steps", type=int, default=10_000); ap.add_argument("--quick", action="store_true")
    ap.add_argument("--overwrite", action="store_true", help="replace existing result files")
    ap.add_argument("--add", action="store_true", help="run only the Δr_o values missing from the grid file, and merge them in")
    a = ap.parse_args(argv)
    out = Path(a.out)
    if not out.is_dir(): sys.exit(f"--out {out}: no such folder; create it or give another")
    files = out / "phases_grid.nc", out / "phases_hysteresis.nc"
    if a.add and not files[0].exists(): sys.exit(f"--add: {files[0]} does not exist; run without --add first")
    if not a.overwrite and not a.add and any(f.exists() for f in files): sys.exit(f"{' or '.join(map(str, files))} exists: pass --overwrite to replace it")
    seeds = list(range(1, (2 if a.quick else a.seeds) + 1)); steps = 500 if a.quick else a.steps
    dro = [0.0, 2.0, 12.0] if a.quick else sorted([k / 2 for k in range(11)] + [2.25, 5.25, 5.75, 5.5, 6.0, 8.0, 10.0, 12.0, 15.0])
    loop_values = [0.0, 2.0, 4.0] if a.quick else [k / 2 for k in range(13)]
    machine = f"{cpu_model()}, {os.cpu_count()} cores, {a.workers} worker processes, one thread each"
    cmd = "python " + " ".join(sys.argv)
    if a.add:
        with xr.open_dataset(files[0]) as f: old = f.load()
        new = [v for v in dro if v not in old.dr_orientation.values]
        if not new: sys.exit(f"{files[0]} already holds every Δr_o")
        t = time.time()
        g = phase_grid(SchoolParams(n_fish=100), new, list(old.dr_attraction.values), list(old.seed.values), int(old.attrs["steps"]), workers=a.workers)
        merged = xr.concat([old, g], "dr_orientation", combine_attrs="override").sortby("dr_orientation")
        merged.attrs.update(command=old.attrs["command"] + "; then " + cmd, wall_seconds=round(old.attrs["wall_seconds"] + time.time() - t, 1))
        merged.to_netcdf(files[0].with_suffix(".part")); os.replace(files[0].with_suffix(".part"), files[0]); print(f"added Δr_o {new}: {time.time() - t:.0f} s"); return
    t = time.time()
    g = phase_grid(SchoolParams(n_fish=100), dro, [2.0, 6.0, 10.0, 14.0], seeds, steps, workers=a.workers)
    g.attrs.update(command=cmd, machine=machine, wall_seconds=round(time.time() - t, 1)); print(f"grid: {time.time() - t:.0f} s", flush=True)
    t = time.time()
    h = hysteresis(SchoolParams(n_fish=100, dr_attraction=14.0), loop_values, seeds, steps, workers=a.workers)
    h.attrs.update(command=cmd, machine=machine, wall_seconds=round(time.time() - t, 1)); print(f"loop: {time.time() - t:.0f} s", flush=True)
    g.to_netcdf(files[0]); h.to_netcdf(files[1])

if __name__ == "__main__": main()
