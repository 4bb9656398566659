"""The GPU path (`dewi_kadita.gpu`) against the CPU kernel on the same machine. Needs an NVIDIA GPU and numba-cuda;
without one it says so and stops.

Prints, each timed after a warm-up that compiles both paths (Numba compiles the CUDA kernels at first launch):

* W3's school on the GPU: N = 100 000 in open space, sphere start at density 0.1, r_r = 1, Δr_o = 2, Δr_a = 2,
  100 steps, a frame copied back every 10 steps (as W3 saves them): agent-updates per second.
* Scaling on the GPU at the same density: N = 10⁴, 10⁵, 10⁶, time per step.
* The same W3 school on the CPU kernel, with all the machine's cores, for the ratio.
* W2's school (N = 2000, periodic L = 60, r_o = 5, r_a = 10, 0.0.4 rules, 200 steps) on both.
* How far the GPU's run drifts from the CPU's over 1, 10 and 100 steps (they round cos, log and atan2 and fused
  multiply-adds differently), and the polarization of both after 100 steps.

    python bench/bench_gpu.py            # on a machine with a GPU
    python bench/bench_gpu.py --quick    # smaller, a smoke test
"""
import argparse, json, math, os, platform, sys, time
import numpy as np
import numba
from dewi_kadita import gpu, kernel
from dewi_kadita.params import SchoolParams
from dewi_kadita.simulate import initial_state
from dewi_kadita.box import polarization

DENSITY = 0.1

def w3_params(n):
    return SchoolParams(n_fish=n, r_repulsion=1.0, dr_orientation=2.0, dr_attraction=2.0, init="sphere",
                        init_size=(3 * n / (4 * math.pi * DENSITY)) ** (1 / 3))

def w2_params():
    return SchoolParams(n_fish=2000, boundary="periodic", box_size=60.0, r_repulsion=1.0, dr_orientation=4.0,
                        dr_attraction=5.0, speed=1.5, rules="dewi-kadita-0.0.4")

def timed(f, reps=3):
    "Median wall seconds of `reps` calls, and the last result."
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); out = f(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2], out

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller schools and fewer steps")
    a = ap.parse_args()
    if not gpu.available(): print("no CUDA GPU here (numba.cuda.is_available() is False): nothing to measure"); return
    from numba import cuda
    try: name = cuda.get_current_device().name
    except AttributeError: name = "the CUDA simulator"
    print(f"GPU: {name.decode() if isinstance(name, bytes) else name}; CPU: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Numba {numba.__version__} with {numba.get_num_threads()} threads")
    big, steps, every = (20_000, 20, 5) if a.quick else (100_000, 100, 10)
    res = {}

    p = w3_params(5000); pos, vel = initial_state(p, 1)
    t = time.perf_counter(); gpu.advance(pos, vel, p, 2, seed=1); kernel.advance(pos, vel, p, 2, seed=1)
    print(f"warm-up (compiles the CUDA kernels and the CPU kernel, or loads them): {time.perf_counter() - t:.1f} s", flush=True)

    p = w3_params(big); pos, vel = initial_state(p, 1)
    sec, _ = timed(lambda: gpu.advance_frames(pos, vel, p, list(range(0, steps + 1, every)), seed=1))
    res["w3_gpu_rate"] = big * steps / sec
    print(f"W3 on the GPU: N = {big}, {steps} steps, a frame back every {every}: {sec:.3f} s = {res['w3_gpu_rate']:.3e} agent-updates/s", flush=True)
    cpu_steps = max(2, steps // 10)
    sec_c, _ = timed(lambda: kernel.advance(pos, vel, p, cpu_steps, seed=1))
    res["w3_cpu_rate"] = big * cpu_steps / sec_c
    print(f"W3 on the CPU ({numba.get_num_threads()} threads): {cpu_steps} steps {sec_c:.3f} s = {res['w3_cpu_rate']:.3e} agent-updates/s; "
          f"GPU/CPU = {res['w3_gpu_rate'] / res['w3_cpu_rate']:.1f}x", flush=True)

    for n in ((10_000, 20_000) if a.quick else (10_000, 100_000, 1_000_000)):
        p = w3_params(n); pos, vel = initial_state(p, 2); k = 20 if n < 10 ** 6 else 10
        gpu.advance(pos, vel, p, 1, seed=2)
        sec, _ = timed(lambda: gpu.advance(pos, vel, p, k, seed=2))
        res[f"gpu_step_{n}"] = sec / k
        print(f"scaling on the GPU: N = {n:>8}: {sec / k * 1e3:8.3f} ms per step = {n * k / sec:.3e} agent-updates/s", flush=True)

    p = w2_params(); pos, vel = initial_state(p, 3); n2 = 50 if a.quick else 200
    sec_g, _ = timed(lambda: gpu.advance(pos, vel, p, n2, seed=3))
    sec_c, _ = timed(lambda: kernel.advance(pos, vel, p, n2, seed=3))
    res["w2_gpu"], res["w2_cpu"] = sec_g, sec_c
    print(f"W2's school ({n2} steps, simulation only): GPU {sec_g:.3f} s, CPU {sec_c:.3f} s, CPU/GPU = {sec_c / sec_g:.1f}x", flush=True)

    p = SchoolParams(n_fish=2000, boundary="periodic", box_size=60.0, r_repulsion=1.0, dr_orientation=4.0, dr_attraction=5.0)
    pos, vel = initial_state(p, 7)
    for k in (1, 10, 100):
        (gp, gv), (cp, cv) = gpu.advance(pos, vel, p, k, seed=7), kernel.advance(pos, vel, p, k, seed=7)
        res[f"drift_{k}"] = float(max(abs(gp - cp).max(), abs(gv - cv).max()))
        print(f"GPU vs CPU after {k:>3} steps: largest difference {res[f'drift_{k}']:.2e}; "
              f"polarization GPU {polarization(gv):.6f}, CPU {polarization(cv):.6f}", flush=True)
    print("RESULT " + json.dumps(res))

if __name__ == "__main__": main()
