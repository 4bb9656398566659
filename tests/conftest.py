import os, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(scope="session")
def cli_exe():
    "The installed `dewi-kadita` console script (the one a user would run)."
    exe = shutil.which("dewi-kadita", path=str(Path(sys.executable).parent)) or shutil.which("dewi-kadita")
    assert exe, "the dewi-kadita console script is not installed: pip install -e '.[dev]'"
    return exe

def run_cli(exe, *args, cwd=None, env=None):
    "Run the console script; return the CompletedProcess with text output."
    return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
