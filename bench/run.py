"""Run every benchmark in bench/ in turn (each prints its own table)."""
import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
for script in sorted(here.glob("*.py")):
    if script.name != "run.py":
        print(f"\n== {script.name} ==", flush=True)
        subprocess.run([sys.executable, str(script), *sys.argv[1:]], check=False)
