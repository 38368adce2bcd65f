#!/usr/bin/env python3
"""Whole-process benchmark of ntk4j's learning commands against a plain numpy/scipy peer.

Measured as a new user would: each side is one process started from the shell's point of view
(`java -jar ntk4j.jar predict ...` with the JVM's default heap; `python3 bench_whole.py peer ...`),
reading the same CSV files and writing its predictions to a file; wall time, CPU time (user +
system) and peak resident memory (ru_maxrss of the finished child, what `/usr/bin/time -v` calls
"Maximum resident set size") are taken for the whole process, JVM start and CSV parsing
included. The sides run alternately within each round (the order rotates round by round), so
they see the same machine load; the load average is recorded before every run. Per case and side
it prints the median and the spread [min-max] of each figure and the ratio of the medians to the
peer, and checks that the sides' predictions agree.

usage: /usr/bin/python3 src/test/python/bench_whole.py --jar target/ntk4j.jar [--base-jar OLD.jar]
           [--rounds 5] [--cases inf,t1,spectrum,falkon100k,falkon20k] [--work DIR] [--json OUT]

The cases (network: relu, depth 2, W_std 1.4, b_std 0.1, NTK; inputs standard normal, d = 20,
targets sin(x0) + x1/2 + 0.1 noise; seed 0):
  inf        predict --time inf --diag-reg 1e-3, N = 4,000, 500 test, mean and variance.
             Peer: the Grams (vectorised numpy recursion), cho_factor/cho_solve, the variance
             through solve_triangular (bench_learning.py's formulas), the training residual.
  t1         predict --time 1 --diag-reg 1e-3 --directions 0: peer eigh + products.
  spectrum   spectrum --input X.csv (all 4,000 eigenvalues): peer Gram + eigvalsh.
  falkon100k predict --solver falkon --centres 2000 --diag-reg 0.1, N = 100,000, 500 test.
  falkon20k  the same at N = 20,000.
             Peer: Nystrom kernel ridge regression with the same centres (java.util.Random's
             partial Fisher-Yates draw, replayed here), accumulating H = K_nM^T K_nM and
             K_nM^T y over row blocks of 2,000 rows (K_nM never held whole), then
             (H + r K_MM) alpha = K_nM^T y by Cholesky; the training residual's rms from
             the same sums (y^T y - 2 alpha^T K_nM^T y + alpha^T H alpha).
The peer's Python is the one running this script: run it with /usr/bin/python3 (Debian's numpy
1.24 / scipy 1.10 on OpenBLAS) to compare with the system's BLAS.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

import numpy as np



# ---------------------------------------------------------------- the peer (one process per run)

# the peer's Gram recursion is bench_learning.py's (one copy of the formulas)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_learning import gram, predict, DEPTH, W_STD, B_STD  # noqa: E402

NET = ["--activation", "relu", "--depth", str(DEPTH), "--w-std", str(W_STD), "--b-std", str(B_STD)]


def java_centres(n, m, seed):
    """FalkonRegressor.centreIndices: java.util.Random(seed), partial Fisher-Yates."""
    mask = (1 << 48) - 1
    state = [(seed ^ 0x5DEECE66D) & mask]

    def nxt(bits):
        state[0] = (state[0] * 0x5DEECE66D + 0xB) & mask
        r = state[0] >> (48 - bits)
        return r - (1 << 32) if r >= 1 << 31 else r  # Java's (int) cast

    def next_int(bound):
        if bound & -bound == bound:
            return (bound * nxt(31)) >> 31
        while True:
            bits = nxt(31)
            val = bits % bound
            if bits - val + (bound - 1) < 1 << 31:
                return val

    idx = list(range(n))
    for i in range(m):
        j = i + next_int(n - i)
        idx[i], idx[j] = idx[j], idx[i]
    return idx[:m]


def peer(case, train, targets, test, out, reg, centres):
    import scipy.linalg as sl
    x = np.loadtxt(train, delimiter=",", ndmin=2)
    if case == "spectrum":
        _, theta, _ = gram(x, x)
        np.savetxt(out, np.linalg.eigvalsh(theta)[::-1], delimiter=",")
        return
    y = np.loadtxt(targets, delimiter=",", ndmin=2)
    xs = np.loadtxt(test, delimiter=",", ndmin=2)
    if case.startswith("falkon"):
        c = x[java_centres(x.shape[0], centres, 0)]
        h = np.zeros((centres, centres))
        z = np.zeros((centres, y.shape[1]))
        for s in range(0, x.shape[0], 2000):
            _, kb, _ = gram(x[s:s + 2000], c)
            h += kb.T @ kb
            z += kb.T @ y[s:s + 2000]
        _, kmm, _ = gram(c, c)
        alpha = sl.cho_solve(sl.cho_factor(h + reg * kmm, lower=True), z)
        _, ksm, _ = gram(xs, c)
        mean = ksm @ alpha
        rss = np.sum(y * y) - 2 * np.sum(alpha * z) + np.sum(alpha * (h @ alpha))
        np.savetxt(out, mean, delimiter=",")
        out.write("# train residual rms %.6g\n" % np.sqrt(max(rss, 0) / y.size))
        return
    k, theta, _ = gram(x, x)
    k_s, theta_s, kss = gram(xs, x)
    mean, var, resid = predict(theta, k, theta_s, k_s, kss, y, "inf" if case == "inf" else 1.0, reg)
    np.savetxt(out, np.column_stack([mean, var]), delimiter=",")
    out.write("# train residual rms %.6g\n" % np.sqrt(np.mean(resid * resid)))


# ---------------------------------------------------------------- the driver

def write_data(work, n, test, d, name):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d))
    xs = rng.standard_normal((test, d))
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1] + 0.1 * rng.standard_normal(n)
    paths = [os.path.join(work, "%s-%s.csv" % (name, p)) for p in ("x", "y", "xs")]
    for p, a in zip(paths, (x, y[:, None], xs)):
        if not os.path.exists(p):
            np.savetxt(p + ".tmp", a, delimiter=",", fmt="%.17g")
            os.replace(p + ".tmp", p)
    return paths


def cases(work):
    small = write_data(work, 4000, 500, 20, "n4000")
    out = []
    for name, extra in (("inf", ["--time", "inf", "--diag-reg", "1e-3"]),
                        ("t1", ["--time", "1", "--diag-reg", "1e-3", "--directions", "0"])):
        out.append((name, ["predict", "--train", small[0], "--targets", small[1], "--test", small[2], "--format", "csv"]
                    + extra + NET, ["peer", name, small[0], small[1], small[2], "1e-3", "0"]))
    out.append(("spectrum", ["spectrum", "--input", small[0], "--format", "csv"] + NET,
                ["peer", "spectrum", small[0], "-", "-", "0", "0"]))
    for name, n in (("falkon100k", 100000), ("falkon20k", 20000)):
        f = write_data(work, n, 500, 20, "n%d" % n)
        out.append((name, ["predict", "--solver", "falkon", "--centres", "2000", "--diag-reg", "0.1", "--train", f[0],
                           "--targets", f[1], "--test", f[2], "--format", "csv"] + NET,
                    ["peer", name, f[0], f[1], f[2], "0.1", "2000"]))
    return out


def run(cmd, out_path):
    """Runs one whole process; (wall s, CPU s, max RSS bytes, error or None)."""
    with open(out_path, "w") as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            lines = err.read().decode(errors="replace").strip().splitlines()
            return wall, None, None, "exit %d: %s" % (p.returncode, lines[-1] if lines else "")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, None


def read_numbers(path):
    rows = [l for l in open(path) if l.strip() and not l.startswith("#")]
    return np.array([[float(v) for v in l.split(",")] for l in rows])


def fmt(xs, f="%.3g"):
    if not xs:
        return "—"
    return (f + " [" + f + "–" + f + "]") % (statistics.median(xs), min(xs), max(xs))


def table(a, sides, todo, res, diffs, load0, rounds, out):
    load1 = os.getloadavg()
    p_ = lambda *x: print(*x, file=out)
    p_("bench_whole.py, %d rounds alternating (%s); %s; load average %.2f %.2f %.2f before, %.2f %.2f %.2f after;"
          % (rounds, ", ".join(s for s, _ in sides), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), *load0, *load1))
    p_("peer: Python %s, numpy %s, scipy %s; %d processors" % (sys.version.split()[0], np.__version__,
          __import__("scipy").__version__, os.cpu_count()))
    p_()
    head = "| case | side | wall s, median [min–max] | CPU s | peak RSS MB | wall / peer | RSS / peer | load | max rel. diff to peer |"
    p_(head)
    p_("|---" * 9 + "|")
    for name, _, _ in todo:
        p = res[name]["peer"]
        for side, _ in sides:
            d = res[name][side]
            if d["err"] and not d["wall"]:
                p_("| %s | %s | %s | | | | | | |" % (name, side, d["err"]))
                continue
            ratio = "%.2f" % (statistics.median(d["wall"]) / statistics.median(p["wall"])) if p["wall"] else "—"
            rss = "%.2f" % (statistics.median(d["rss"]) / statistics.median(p["rss"])) if p["rss"] else "—"
            diff = diffs[name].get(side)
            p_("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                name, side, fmt(d["wall"]), fmt(d["cpu"]), fmt([v / 1e6 for v in d["rss"]], "%.0f"),
                ratio if side != "peer" else "1", rss if side != "peer" else "1",
                "%.1f–%.1f" % (min(d["load"]), max(d["load"])), "—" if diff is None else "%.1e" % diff))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "peer":
        a = sys.argv[2:]
        peer(a[0], a[1], a[2], a[3], sys.stdout, float(a[4]), int(a[5]))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default="target/ntk4j.jar", help="the ntk4j CLI jar")
    ap.add_argument("--base-jar", help="a second jar run in the same rounds (e.g. the previous main)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cases", default="inf,t1,spectrum,falkon100k,falkon20k")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ntk4j-bench-whole"),
                    help="where the data files are written (kept and reused)")
    ap.add_argument("--java", default="java")
    ap.add_argument("--json", help="also write every measurement to this file")
    ap.add_argument("--partial", help="rewrite the table of the rounds so far into this file after every round")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    wanted = a.cases.split(",")
    todo = [c for c in cases(a.work) if c[0] in wanted]
    sides = [("ntk4j", a.jar)] + ([("base", a.base_jar)] if a.base_jar else []) + [("peer", None)]
    res = {name: {s: {"wall": [], "cpu": [], "rss": [], "load": [], "err": None} for s, _ in sides} for name, _, _ in todo}
    diffs = {name: {} for name, _, _ in todo}
    load0 = os.getloadavg()
    script = os.path.abspath(__file__)
    for r in range(a.rounds):
        order = sides[r % len(sides):] + sides[:r % len(sides)]
        for name, jargs, pargs in todo:
            outs = {}
            for side, jar in order:
                cmd = ([a.java, "-jar", jar] + jargs) if jar else [sys.executable, script] + pargs
                outs[side] = os.path.join(a.work, "out-%s-%s.csv" % (name, side))
                d = res[name][side]
                d["load"].append(os.getloadavg()[0])
                wall, cpu, rss, err = run(cmd, outs[side])
                if err:
                    d["err"] = err
                    continue
                d["wall"].append(wall)
                d["cpu"].append(cpu)
                d["rss"].append(rss)
            line = "round %d %-10s" % (r + 1, name)
            for side, _ in sides:
                d = res[name][side]
                line += "  %s %s" % (side, d["err"] or "%.2f s %.2f CPU %.0f MB" % (d["wall"][-1], d["cpu"][-1],
                                                                                     d["rss"][-1] / 1e6))
            print(line, file=sys.stderr, flush=True)
            if r == 0:  # the predictions of each jar against the peer's
                try:
                    ref = read_numbers(outs["peer"])
                    for side, jar in sides:
                        if jar:
                            got = read_numbers(outs[side])
                            if name == "spectrum":  # ntk4j: index, eigenvalue
                                got, ref = got[:, -1:], ref[:, -1:]
                            diffs[name][side] = float(np.max(np.abs(got - ref)) / np.max(np.abs(ref)))
                except Exception as e:  # noqa: BLE001 - reported, not fatal
                    diffs[name]["error"] = str(e)
        if a.partial:  # the table so far, after every round
            with open(a.partial, "w") as f:
                table(a, sides, todo, res, diffs, load0, r + 1, f)
    table(a, sides, todo, res, diffs, load0, a.rounds, sys.stdout)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"results": res, "diffs": diffs, "load": [load0, os.getloadavg()]}, f, indent=1)


if __name__ == "__main__":
    main()
