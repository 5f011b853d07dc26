#!/usr/bin/env python3
"""Times Python's mmap on the files of the Overlay benchmarks (issue #2), for docs/benchmarks.md.

    mmap_bench.py DIR [--json OUT] [--bdn RESULTS_DIR] [--markdown OUT]

DIR holds data.bin (256 MiB), lines.txt (80-byte lines) and small.bin (4 KiB), as created by
benchmarks/Overlay.Benchmarks (benchmarks/run.sh runs both on the same directory). Each
measurement is repeated (a warm-up run, then --repeat timed runs); the table gives the mean and
the best run. With --bdn, BenchmarkDotNet's brief JSON reports in RESULTS_DIR are read as well and
a table of the ratios against the targets of issue #2 is printed.
"""

import argparse
import glob
import json
import mmap
import os
import platform
import statistics
import sys
import time

NEEDLE = bytes([0x4F, 0x56, 0x45, 0x52, 0x4C, 0x41, 0x59, 0x21])  # same as BenchFiles.Needle
LINE_BYTES = 80


def timed(function, repeat):
    """Runs function once to warm up, then `repeat` times; returns (result, [seconds...])."""
    result = function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        again = function()
        times.append((time.perf_counter_ns() - start) / 1e9)
        if again != result:
            raise SystemExit(f"{function.__name__}: result changed from {result!r} to {again!r}")
    return result, times


def warm(path):
    with open(path, "rb", buffering=0) as f:
        while f.read(1 << 20):
            pass


def bench_find(directory, repeat):
    path = os.path.join(directory, "data.bin")
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        size = len(m)

        def find_absent():
            return m.find(NEEDLE)

        result, times = timed(find_absent, repeat)
    if result != -1:
        raise SystemExit("the needle occurs in data.bin")
    return {"name": "mmap.find (absent 8-byte needle)", "unit": "GB/s", "work": size, "times": times}


def bench_lines(directory, repeat):
    path = os.path.join(directory, "lines.txt")
    rows = []
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        expected = len(m) // LINE_BYTES

        def readline_while():
            m.seek(0)
            readline = m.readline
            count = 0
            while True:
                line = readline()
                if not line:
                    break
                count += 1
            return count

        def readline_iter():
            m.seek(0)
            count = 0
            for _ in iter(m.readline, b""):
                count += 1
            return count

        for name, function in (("readline() while loop", readline_while), ("for _ in iter(m.readline, b'')", readline_iter)):
            result, times = timed(function, repeat)
            if result != expected:
                raise SystemExit(f"{name}: {result} lines, expected {expected}")
            rows.append({"name": name, "unit": "M lines/s", "work": result, "times": times})
    return rows


def bench_open_close(directory, repeat, loops):
    path = os.path.join(directory, "small.bin")

    def builtin_open():
        value = 0
        for _ in range(loops):
            f = open(path, "rb")
            m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            value = m[0]
            m.close()
            f.close()
        return value

    def os_open():
        value = 0
        for _ in range(loops):
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            m = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
            value = m[0]
            m.close()
            os.close(fd)
        return value

    rows = []
    for name, function in (("open() + mmap.mmap + m[0] + close", builtin_open), ("os.open + mmap.mmap + m[0] + close", os_open)):
        _, times = timed(function, repeat)
        rows.append({"name": name, "unit": "us/op", "work": loops, "times": times})
    return rows


def rate(row, seconds):
    if row["unit"] == "GB/s":
        return row["work"] / seconds / 1e9
    if row["unit"] == "M lines/s":
        return row["work"] / seconds / 1e6
    return seconds / row["work"] * 1e6  # us per op


def markdown_table(rows):
    lines = ["| Python | Mean | Best | Runs |", "|---|---:|---:|---:|"]
    for row in rows:
        mean = rate(row, statistics.mean(row["times"]))
        best = rate(row, min(row["times"]))
        unit = row["unit"]
        lines.append(f"| {row['name']} | {mean:.2f} {unit} | {best:.2f} {unit} | {len(row['times'])} |")
    return "\n".join(lines)


def load_bdn(results_dir):
    """Mean in ns of every BenchmarkDotNet benchmark, keyed by (class, method, Bytes parameter or None)."""
    means = {}
    for path in glob.glob(os.path.join(results_dir, "*-report-brief.json")):
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        for bench in report.get("Benchmarks", []):
            params = bench.get("Parameters") or ""
            key = (bench["Type"], bench["Method"], params)
            stats = bench.get("Statistics") or {}
            if "Mean" in stats:
                means[key] = stats["Mean"]
    return means


def targets_table(rows, means):
    """The ratios of issue #2, computed from means (Python: mean of its runs)."""

    def bdn(type_name, method, params=""):
        return means.get((type_name, method, params))

    python = {row["name"]: row for row in rows}
    find_py = python["mmap.find (absent 8-byte needle)"]
    find_py_gbs = rate(find_py, statistics.mean(find_py["times"]))
    lines_py = max(rate(python[name], statistics.mean(python[name]["times"])) for name in ("readline() while loop", "for _ in iter(m.readline, b'')"))
    open_py = rate(python["open() + mmap.mmap + m[0] + close"], statistics.mean(python["open() + mmap.mmap + m[0] + close"]["times"]))

    out = ["| Target | Measured | Met |", "|---|---:|:---:|"]

    def add(label, value, ok, text):
        out.append(f"| {label} | {text} | {'yes' if ok else '**no**'} |" if value is not None else f"| {label} | not measured | - |")

    find = bdn("FindBenchmarks", "MemoryMapFind")
    index_of = bdn("FindBenchmarks", "SpanIndexOf")
    if find and index_of:
        speed = index_of / find
        add("Find >= 0.8x Span.IndexOf (speed)", speed, speed >= 0.8, f"{speed:.2f}x")
    if find:
        gbs = 268435456 / find
        add("Find >= 4x Python mmap.find", gbs, gbs >= 4 * find_py_gbs, f"{gbs:.2f} GB/s / {find_py_gbs:.2f} GB/s = {gbs / find_py_gbs:.2f}x")
    line_count = 268435456 // LINE_BYTES
    for method, label, factor in (("ReadLineLoop", "ReadLine() >= 2x Python readline loop", 2), ("EnumerateLines", "EnumerateLines() >= 5x Python readline loop", 5)):
        mean = bdn("LinesBenchmarks", method)
        if mean:
            mls = line_count / mean * 1e3
            add(label, mls, mls >= factor * lines_py, f"{mls:.1f} / {lines_py:.1f} M lines/s = {mls / lines_py:.2f}x")
    open_mm = bdn("OpenCloseBenchmarks", "MemoryMapOpen")
    open_bare = bdn("OpenCloseBenchmarks", "BareCalls")
    if open_mm and open_bare:
        ratio = open_mm / open_bare
        add("MemoryMap.Open <= 1.25x bare calls (time)", ratio, ratio <= 1.25, f"{open_mm / 1e3:.2f} / {open_bare / 1e3:.2f} us = {ratio:.2f}x")
    if open_mm:
        add("(context) MemoryMap.Open vs Python open+mmap", open_mm, open_mm / 1e3 < open_py, f"{open_mm / 1e3:.2f} / {open_py:.2f} us = {open_mm / 1e3 / open_py:.2f}x")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--open-loops", type=int, default=20000)
    parser.add_argument("--json", help="write the raw timings here")
    parser.add_argument("--bdn", help="BenchmarkDotNet results directory (*-report-brief.json)")
    parser.add_argument("--markdown", help="write the tables here too")
    args = parser.parse_args()

    for name in ("data.bin", "lines.txt", "small.bin"):
        path = os.path.join(args.directory, name)
        if not os.path.exists(path):
            raise SystemExit(f"{path} is missing: run benchmarks/run.sh (or the C# benchmarks) first")
        warm(path)

    rows = [bench_find(args.directory, args.repeat)]
    rows += bench_lines(args.directory, args.repeat)
    rows += bench_open_close(args.directory, args.repeat, args.open_loops)

    header = f"Python {platform.python_version()} ({platform.python_implementation()}), {args.repeat} runs after a warm-up"
    text = header + "\n\n" + markdown_table(rows)
    if args.bdn:
        text += "\n\nTargets of issue #2 (BenchmarkDotNet means against the Python means; lines against the faster Python loop)\n\n"
        text += targets_table(rows, load_bdn(args.bdn))
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"python": platform.python_version(), "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
