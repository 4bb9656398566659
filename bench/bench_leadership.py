"""Speed of `dewi_kadita.leadership` on the workload of issue 29: 200 fish x 2000 frames of 3D headings, all ordered pairs.

Workload: independent random walks of unit headings (`leadership.random_walks(2000, 200, seed=1)`; the cost does
not depend on the data). A warm-up call on 20 fish x 200 frames compiles the Numba kernel (or loads it from the
cache) first, so the times below exclude compilation. Then, each repeated `--repeats` times (median reported):
  - `transfer_entropy(h)`: lag 1, history 1, 100 time-shifted surrogates per ordered pair (39 800 pairs);
  - `correlation_delay(h)`: delays -20..20 frames.
Wall time by `time.perf_counter`; the load other processes put on the machine meanwhile is printed beside each,
since on a shared machine it inflates the times. The script asserts nothing about speed.

    python bench/bench_leadership.py            # about 30 s on 2 cores
"""
import argparse, os, statistics, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import cpu_model, loadavg, OtherLoad
import numba
from dewi_kadita.leadership import random_walks, transfer_entropy, correlation_delay

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--fish", type=int, default=200); ap.add_argument("--frames", type=int, default=2000)
ap.add_argument("--surrogates", type=int, default=100); ap.add_argument("--repeats", type=int, default=3)
a = ap.parse_args()

print(f"machine: {cpu_model()}, {os.cpu_count()} cores, Numba {numba.__version__} with {numba.get_num_threads()} threads, load average {loadavg()}")
t0 = time.perf_counter(); small = random_walks(200, 20, seed=0); transfer_entropy(small, surrogates=5); correlation_delay(small)
print(f"warm-up (compile or load from cache): {time.perf_counter() - t0:.1f} s")
h = random_walks(a.frames, a.fish, seed=1)
print(f"workload: {a.fish} fish x {a.frames} frames, {a.fish * (a.fish - 1)} ordered pairs")
for name, f in [(f"transfer_entropy, {a.surrogates} surrogates", lambda: transfer_entropy(h, surrogates=a.surrogates)),
                ("correlation_delay, max_lag 20", lambda: correlation_delay(h, max_lag=20))]:
    times = []
    for _ in range(a.repeats):
        load = OtherLoad(); b0, t0 = load.read(), time.perf_counter(); f(); dt = time.perf_counter() - t0; b1 = load.read()
        other = f"{(b1 - b0) / dt:.2f}" if b0 is not None and b1 is not None else "?"
        times.append(dt); print(f"  {name}: {dt:.2f} s (other processes kept {other} cores busy)", flush=True)
    print(f"{name}: median {statistics.median(times):.2f} s")
