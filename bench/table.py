#!/usr/bin/env python3
"""Markdown tables from bench/sweep.sh output: images/s per net and mode for PyTorch and each DL4J
configuration, with the ratio to PyTorch in brackets. PyTorch is taken at its better layout for each net and
mode when the output has both (torch_ref.py with and without --channels-last). Usage: python3 bench/table.py sweep.jsonl"""
import json, sys

rows, cols, cells, torch = [], [], {}, {}
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    if "net" not in r:
        continue
    key = (r["net"], r["mode"])
    if key not in rows:
        rows.append(key)
    if r["engine"].startswith("pytorch"):
        if r["images_per_s"] > torch.get(key, (0, ""))[0]:
            torch[key] = (r["images_per_s"], r.get("layout", "NCHW"))
        continue
    col = r.get("config", "dl4j")
    if col not in cols:
        cols.append(col)
    cells[key, col] = r["images_per_s"]

print("DL4J columns:")
for i, c in enumerate(cols):
    print(f"- ({chr(65 + i)}) {c}")
print()
print("| net | mode | PyTorch, better layout | " + " | ".join(f"({chr(65 + i)})" for i in range(len(cols))) + " |")
print("| --- | --- | --- | " + " | ".join("---" for _ in cols) + " |")
for key in rows:
    t, layout = torch.get(key, (None, ""))
    out = []
    for c in cols:
        v = cells.get((key, c))
        out.append("-" if v is None else f"{v:.1f}" + (f" ({v / t:.2f}×)" if t else ""))
    print(f"| {key[0]} | {key[1]} | {'-' if t is None else f'{t:.1f} ({layout})'} | " + " | ".join(out) + " |")
