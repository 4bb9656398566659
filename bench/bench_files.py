"""Memory of streaming a run to NetCDF, and speed of turning a run file into an animation.

1. Flat memory. A school of N = 1000 fish (`SchoolParams(n_fish=1000, dr_orientation=2.0, dr_attraction=2.0)`:
   open space, uniform random sphere start, Couzin (2002) defaults otherwise) is streamed to a NetCDF file with
   `dewi_kadita.files.write_run(..., save_every=10)` (metrics on, the default) for 10^3, 10^4 and 10^5 steps,
   each in its own fresh child process (`python -c ...`). The child reports its peak resident set size
   (`resource.getrusage(RUSAGE_SELF).ru_maxrss`, kB on Linux) once after the imports and once after `write_run`;
   the parent also reads the child's ru_maxrss with `os.wait4` as a cross-check. For each length it prints steps,
   saved frames, file size, the wall time of `write_run` (Numba compilation included, as a user sees it) and the
   peak RSS. If streaming is flat in memory, the peak RSS is the same for 10^3 and 10^5 steps although the file
   is 100 times larger.

2. Animation speed. The `paper-highly-parallel` preset (250 fish, periodic box) is run for 1000 steps with
   save_every=1, giving 1001 saved frames, and `dewi_kadita.pictures.animate_run(..., size=480, fps=30)` is timed
   writing a .gif and an .mp4 (one call each, in this process). It prints seconds, rendered frames per second and
   the output sizes. The goal from the issue is "1000 frames of 250 fish in well under a minute".

3. NetCDF-4 against CDF-5. The school of 1 (N = 1000, open space) is run for 10^4 steps with save_every = 10
   (1001 frames, metrics on, float64) three times, each in a fresh child: `write_run(..., format="classic")`,
   `format="netcdf4"` (chunked, shuffled, zlib level 4) and `format="netcdf4", significant_digits=4`. Timed is the
   whole `write_run` call (simulation, diagnostics and writing; Numba's cache is warm from part 1). To time the
   writing alone, the classic file is then rewritten by `convert_run` to each format (classic to classic is the
   same copy through the same code), median of 3 each, in this process. It prints file sizes and both times, and
   the ratios NetCDF-4 / CDF-5.

The script asserts nothing about speed or memory; it only prints. Everything is written into a temporary
directory that is removed at the end.

    python bench/bench_files.py            # 10^3, 10^4 and 10^5 steps, then the animations (~8 min on 2 cores)
    python bench/bench_files.py --quick    # 10^3 and 10^4 steps only, then the animations
    python bench/bench_files.py --only netcdf4   # part 3 alone (~2 min on 2 cores)
"""
import argparse, datetime, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path

from _machine import cpu_model, OtherLoad  # bench/_machine.py

N_FISH, SAVE_EVERY, SEED = 1000, 10, 20021107

CHILD = r"""
import json, resource, sys, time
from dewi_kadita.params import SchoolParams
from dewi_kadita.files import write_run
path, steps, save_every, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
fmt, digits = (sys.argv[6], int(sys.argv[7]) or None) if len(sys.argv) > 6 else ("classic", None)
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
p = SchoolParams(n_fish=n, r_repulsion=1.0, dr_orientation=2.0, dr_attraction=2.0, boundary="open")
t = time.perf_counter()
write_run(path, p, steps, seed=seed, save_every=save_every, quiet=True, format=fmt, significant_digits=digits)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cur = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(json.dumps(dict(wall=wall, rss_after_import_kb=rss0, peak_rss_kb=rss, rss_now_kb=cur)))
"""


def stream_in_child(path, steps, fmt="classic", digits=0):
    "Run write_run in a fresh child; return the child's report plus its ru_maxrss seen by os.wait4 and its total wall time."
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errf:  # stderr to a file so that a chatty child cannot block on a full pipe
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(steps), str(SAVE_EVERY), str(SEED), str(N_FISH), fmt, str(digits)],
                                stdout=subprocess.PIPE, stderr=errf, text=True)
        out = proc.stdout.read(); proc.stdout.close()
        _, status, ru = os.wait4(proc.pid, 0)  # reap it ourselves to get its rusage
        errf.seek(0); err = errf.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    total = time.perf_counter() - t
    if proc.returncode != 0: raise RuntimeError(f"child for {steps} steps failed ({proc.returncode}):\n{err}")
    rep = json.loads(out.strip().splitlines()[-1])
    rep.update(wait4_maxrss_kb=ru.ru_maxrss, process_wall=total)
    return rep


def bench_memory(tmp, exps):
    import netCDF4
    print(f"1. Streaming N = {N_FISH} fish to NetCDF (open space, sphere start, dr_o = dr_a = 2, save_every = {SAVE_EVERY}, "
          f"metrics on, float64), one fresh child process per row")
    hdr = f"{'steps':>8} {'frames':>7} {'file MB':>9} {'write_run s':>12} {'process s':>10} {'RSS after import MB':>20} {'peak RSS MB':>12} {'wait4 peak MB':>14} {'RSS at end MB':>14}"
    print(hdr); print("-" * len(hdr))
    rows = []
    for e in exps:
        steps = 10 ** e
        path = tmp / f"stream_{steps}.nc"
        r = stream_in_child(path, steps)
        with netCDF4.Dataset(path) as nc: frames = len(nc.dimensions["time"])
        size = path.stat().st_size / 1e6
        rows.append((steps, r["peak_rss_kb"]))
        print(f"{steps:>8} {frames:>7} {size:>9.1f} {r['wall']:>12.1f} {r['process_wall']:>10.1f} {r['rss_after_import_kb'] / 1024:>20.1f} "
              f"{r['peak_rss_kb'] / 1024:>12.1f} {r['wait4_maxrss_kb'] / 1024:>14.1f} {r['rss_now_kb'] / 1024:>14.1f}", flush=True)
        path.unlink()
    (s0, m0), (s1, m1) = rows[0], rows[-1]
    print(f"peak RSS at {s1} steps / at {s0} steps: {m1 / m0:.3f} (steps ratio {s1 // s0})")
    print()


def bench_netcdf4(tmp, steps=10_000):
    from dewi_kadita.files import convert_run
    print(f"3. NetCDF-4 against CDF-5: N = {N_FISH} fish, {steps} steps, save_every = {SAVE_EVERY}, metrics on, float64; "
          f"write_run in a fresh child per format, then convert_run of the classic file (median of 3)")
    cases = [("classic", 0), ("netcdf4", 0), ("netcdf4", 4)]
    hdr = f"{'format':>18} {'file MB':>9} {'size ratio':>11} {'write_run s':>12} {'ratio':>6} {'convert_run s':>14} {'ratio':>6} {'other cores busy':>17}"
    print(hdr); print("-" * len(hdr))
    files, rows = {}, []
    for fmt, k in cases:
        path = tmp / f"nc_{fmt}_{k}.nc"
        load, b0, t0 = OtherLoad(), None, time.perf_counter(); b0 = load.read()
        r = stream_in_child(path, steps, fmt, k)
        b1 = load.read(); busy = (b1 - b0) / (time.perf_counter() - t0) if None not in (b0, b1) else float("nan")
        files[fmt, k] = path; rows.append([fmt, k, path.stat().st_size / 1e6, r["wall"], busy])
    src = files["classic", 0]
    for i, (fmt, k, *_) in enumerate(rows):
        times, load, t0 = [], OtherLoad(), time.perf_counter(); b0 = load.read()
        for rep in range(3):
            out = tmp / f"conv_{fmt}_{k}_{rep}.nc"
            t = time.perf_counter(); convert_run(src, out, fmt, k or None); times.append(time.perf_counter() - t)
            out.unlink()
        b1 = load.read()
        rows[i] += [sorted(times)[1], (b1 - b0) / (time.perf_counter() - t0) if None not in (b0, b1) else float("nan")]
    s0, w0, c0 = rows[0][2], rows[0][3], rows[0][5]
    for fmt, k, size, wall, busy, conv, busy2 in rows:
        name = fmt + (f", {k} digits" if k else "")
        print(f"{name:>18} {size:>9.1f} {size / s0:>11.3f} {wall:>12.1f} {wall / w0:>6.2f} {conv:>14.2f} {conv / c0:>6.2f} {busy:>8.2f} / {busy2:.2f}", flush=True)
    for f in files.values(): f.unlink()
    print()


def bench_animation(tmp):
    from dewi_kadita.params import load_preset
    from dewi_kadita.files import write_run
    from dewi_kadita.pictures import animate_run
    import netCDF4
    name = "paper-highly-parallel"
    params, settings = load_preset(name)
    steps, save_every = 1000, 1
    run = tmp / "school.nc"
    t = time.perf_counter()
    write_run(run, params, steps, save_every=save_every, quiet=True)
    t_run = time.perf_counter() - t
    with netCDF4.Dataset(run) as nc: frames = len(nc.dimensions["time"])
    print(f"2. Animating the {name!r} preset ({params.n_fish} fish, {params.boundary}): {steps} steps, save_every = {save_every}, "
          f"{frames} frames, {run.stat().st_size / 1e6:.1f} MB (written in {t_run:.1f} s); animate_run(size=480, fps=30)")
    hdr = f"{'format':>6} {'frames':>7} {'seconds':>8} {'frames/s':>9} {'output MB':>10}"
    print(hdr); print("-" * len(hdr))
    for ext in ("gif", "mp4"):
        out = tmp / f"school.{ext}"
        t = time.perf_counter()
        animate_run(run, out, fps=30, size=480, quiet=True)
        dt = time.perf_counter() - t
        print(f"{ext:>6} {frames:>7} {dt:>8.1f} {frames / dt:>9.1f} {out.stat().st_size / 1e6:>10.2f}", flush=True)
        out.unlink()
    print('goal: "1000 frames of 250 fish in well under a minute"')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10^3 and 10^4 steps only (skip 10^5)")
    ap.add_argument("--only", choices=("memory", "netcdf4", "animation"), help="run one part alone")
    a = ap.parse_args()
    import dewi_kadita, numba, numpy, netCDF4, imageio
    print(f"bench_files.py  {datetime.datetime.now():%Y-%m-%d %H:%M}")
    print(f"CPU: {cpu_model()}; cores: {os.cpu_count()} (usable by this process: {len(os.sched_getaffinity(0))})")
    print(f"python {platform.python_version()}, dewi_kadita {dewi_kadita.__version__}, numpy {numpy.__version__}, "
          f"numba {numba.__version__} (threads {numba.config.NUMBA_NUM_THREADS}), netCDF4 {netCDF4.__version__}, imageio {imageio.__version__}")
    print()
    with tempfile.TemporaryDirectory(prefix="bench_files_") as d:
        tmp = Path(d)
        if a.only in (None, "memory"): bench_memory(tmp, (3, 4) if a.quick else (3, 4, 5))
        if a.only in (None, "netcdf4"): bench_netcdf4(tmp)
        if a.only in (None, "animation"): bench_animation(tmp)


if __name__ == "__main__":
    main()
