#!/usr/bin/env python3
"""Runs a command and prints, once a second, how many cores it kept busy (user + system time
of the process and its threads, from /proc/PID/stat), then the `phase` lines it printed.

    python3 scripts/cpu-timeline.py archive --verbose build --content CORPUS --output OUT

Says whether a phase is bound by the CPU (about 2.0 on this 2-core machine) or waits on
something else (a single-threaded step, the disk). Linux only.
"""
import os
import subprocess
import sys
import threading
import time

if len(sys.argv) < 2:
    sys.exit(__doc__)
proc = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
start = time.time()
ticks = os.sysconf("SC_CLK_TCK")
samples = []


def sample():
    while proc.poll() is None:
        try:
            fields = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            break
        # utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
        samples.append((time.time() - start, int(fields[11]) + int(fields[12])))
        time.sleep(1.0)


sampler = threading.Thread(target=sample)
sampler.start()
errors = proc.stderr.read()
proc.wait()
sampler.join()
print(" ".join(f"{b[0]:.0f}s:{(b[1] - a[1]) / ticks / (b[0] - a[0]):.2f}"
               for a, b in zip(samples, samples[1:])))
print(" ".join(line for line in errors.splitlines() if line.startswith("phase")))
print(f"exit {proc.returncode}, {time.time() - start:.2f} s")
