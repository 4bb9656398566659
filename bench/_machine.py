"""Helpers shared by the benchmark scripts: what machine this is, how busy other work keeps it, and a worker
process for dewi-kadita 0.0.4 (which must run in its own virtual environment: its import name is ours too)."""
import json, os, platform, resource, subprocess, sys
from pathlib import Path

REF_VERSION = "0.0.4"
REF_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dewi-kadita-bench" / f"reference-{REF_VERSION}"


def _ref_version(python):
    "The dewi-kadita version installed for `python`, or None."
    try: out = subprocess.run([str(python), "-I", "-c", "import importlib.metadata as m; print(m.version('dewi-kadita'))"],
                              capture_output=True, text=True, timeout=60)
    except OSError: return None
    return out.stdout.strip() if out.returncode == 0 else None


def reference_python(python=None):
    """The Python of a virtual environment holding dewi-kadita 0.0.4: `python` if given (checked), else the cached
    environment REF_VENV, created and filled with `pip install dewi-kadita==0.0.4` the first time it is needed."""
    if python is not None:
        v = _ref_version(python)
        if v != REF_VERSION: raise SystemExit(f"--ref-python {python}: dewi-kadita {REF_VERSION} is not installed there (found {v}); "
                                              f"leave --ref-python out and the benchmark makes its own environment in {REF_VENV}")
        return str(python)
    py = REF_VENV / "bin" / "python"
    if _ref_version(py) != REF_VERSION:
        print(f"making the reference environment {REF_VENV} (pip install dewi-kadita=={REF_VERSION}; once, then cached)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(REF_VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", f"dewi-kadita=={REF_VERSION}"], check=True)
        if _ref_version(py) != REF_VERSION: raise SystemExit(f"could not install dewi-kadita {REF_VERSION} into {REF_VENV}")
    return str(py)


def cpu_model():
    "The CPU's model name (Linux), else what platform knows."
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"): return line.split(":", 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()


def loadavg():
    "The 1, 5 and 15 minute load averages as text."
    try: return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError: return "?"


def busy_seconds():
    "CPU seconds the whole machine has spent busy (user, nice, system, irq, softirq, steal), or None."
    try:
        with open("/proc/stat") as f: c = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError): return None
    return (c[0] + c[1] + c[2] + c[5] + c[6] + (c[7] if len(c) > 7 else 0)) / os.sysconf("SC_CLK_TCK")


class OtherLoad:
    """CPU seconds used by processes other than this one, the given pids and this script's finished children
    (Linux /proc; None elsewhere). The difference of two readings over the wall time between them is the average
    number of cores that other work kept busy: on a shared machine that inflates timings, parallel ones most."""
    def __init__(self, *pids):
        self.pids, self.tick = ("self",) + pids, os.sysconf("SC_CLK_TCK")

    def _own(self, pid):
        with open(f"/proc/{pid}/stat") as f: s = f.read()
        fields = s[s.rindex(")") + 2:].split()
        return int(fields[11]) + int(fields[12])  # utime + stime, all threads

    def read(self):
        busy = busy_seconds()
        if busy is None: return None
        try:
            ch = resource.getrusage(resource.RUSAGE_CHILDREN)  # reaped children
            return busy - sum(self._own(p) for p in self.pids) / self.tick - ch.ru_utime - ch.ru_stime
        except (OSError, ValueError, IndexError): return None


class Reference:
    "The reference worker subprocess: one JSON request per line in, one JSON reply per line out."
    def __init__(self, argv, cwd=None, env=None, timeout=120):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=cwd, env=env)
        self.timeout = timeout
        self.info = self._read()

    def _read(self):
        line = self.p.stdout.readline()
        if not line: raise RuntimeError(f"reference worker exited (rc={self.p.wait()}); see its stderr above")
        return json.loads(line)

    def ask(self, **req):
        self.p.stdin.write(json.dumps(req) + "\n"); self.p.stdin.flush()
        return self._read()

    def close(self):
        try: self.p.stdin.write(json.dumps({"cmd": "quit"}) + "\n"); self.p.stdin.flush()
        except BrokenPipeError: pass
        self.p.wait(timeout=self.timeout)
