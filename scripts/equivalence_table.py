"""Print the fixture x backend x max-abs-difference table of the equivalence suite
(predictions and probes; then, for compiled fixtures, the training steps' losses).

    python scripts/equivalence_table.py
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
rows = {}
for backend in ("tensorflow", "torch"):
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "equivalence" / "check_equivalence.py")],
                         cwd=ROOT, env={**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"},
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    for name, paths in json.loads(out).items():
        for path, r in paths.items():
            diffs = r["max_abs_diff"]
            cell = (f"{max(diffs):.1e}" if diffs and r["ok"] else
                    f"FAIL {max(diffs):.1e}" if diffs else "error")
            if "train_ok" in r:
                cell += f"; train {'' if r['train_ok'] else 'FAIL '}{r['train_loss_diff']:.1e}"
            rows.setdefault((name, path), {})[backend] = cell
print("| fixture | path | tensorflow | torch |\n|---|---|---|---|")
for (name, path), cells in sorted(rows.items()):
    print(f"| {name} | {path} | {cells.get('tensorflow', '-')} | {cells.get('torch', '-')} |")
