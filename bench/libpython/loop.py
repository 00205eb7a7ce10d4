"""The same pure-Python loop, best of 5 by thread CPU time, printed 3 times.

Run by each build's own interpreter (Debian's statically linked /usr/bin/python3.13, which
Debian's gunicorn runs on; /usr/local/bin/python3 of the python images) and by `embed` (a C
program linked against the build's shared libpython3.13.so, as mod_wsgi is).
"""

import os
import time


def work():
    s = 0
    d = {}
    for i in range(300000):
        s += i * i
        d[i % 1000] = str(i)
    return s


def best_of(n):
    times = []
    for _ in range(n):
        start = time.thread_time()
        work()
        times.append(time.thread_time() - start)
    return min(times)


for _ in range(3):
    print(f"{os.environ['KIND']}: {best_of(5) * 1000:.1f} ms")
