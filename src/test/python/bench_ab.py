#!/usr/bin/env python3
"""A/B benchmark of two ntk4j builds, whole processes, alternating, in one invocation.

Builds (or takes) two CLI jars, the working tree's and a given commit's (built in a temporary
`git worktree`), and runs the Gram (relu, erf, tanh, gelu), empirical-NTK, predict and FALKON
benchmarks of both, alternating A/B/A/B... round by round (the order flips every round), together
with the numpy peer numpy_gram.py (relu and erf) in the same rounds; bench_learning.py remains
the peer benchmark of the learning path. Prints per benchmark the median and the
spread (min–max) of each side and the ratio of the medians, plus the load average before and after.

usage: python3 src/test/python/bench_ab.py [--base COMMIT] [--base-jar JAR] [--new-jar JAR]
           [--rounds R] [--repeat K] [--only gram,empirical,predict,falkon,pair] [--quick]

Needs: java 17, mvn (offline builds), git, python3 with numpy for the numpy peer (skipped if
missing). Exit status 0; the table goes to stdout, build noise to stderr.
"""
import argparse, json, os, resource, shutil, statistics, subprocess, sys, tempfile, time

ROOT = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                      cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()


def build(tree):
    subprocess.run(["mvn", "-q", "-o", "package", "-DskipTests"], cwd=tree, check=True,
                   stdout=sys.stderr, stderr=sys.stderr)
    return os.path.join(tree, "target", "ntk4j.jar")


def base_jar(commit, keep):
    tmp = tempfile.mkdtemp(prefix="ntk4j-ab-")
    tree = os.path.join(tmp, "tree")
    subprocess.run(["git", "worktree", "add", "--detach", tree, commit], cwd=ROOT, check=True,
                   stdout=sys.stderr, stderr=sys.stderr)
    try:
        jar = build(tree)
        dest = os.path.join(keep, "base-%s.jar" % commit[:12])
        shutil.copy(jar, dest)
        return dest
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=ROOT,
                       stdout=sys.stderr, stderr=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


def benchmarks(quick, repeat):
    n_gram = "1500" if quick else "4000"
    gram = ["--n", n_gram, "--d", "100", "--depth", "5", "--threads", "2", "--repeat", str(repeat)]
    out = []
    for act in ("relu", "erf", "tanh", "gelu"):
        out.append(("gram " + act, ["bench", "gram"] + gram + ["--activation", act],
                    ["numpy_gram.py", json.dumps({"n": int(n_gram), "d": 100, "depth": 5, "act": act,
                                                  "w_std": 1.4, "b_std": 0.1})] if act in ("relu", "erf") else None))
    out.append(("empirical", ["bench", "empirical", "--n", "64", "--d", "10", "--threads", "2"], None))
    out.append(("pair relu", ["bench", "pair", "--activation", "relu", "--depth", "5"], None))
    out.append(("predict inf", ["bench", "predict", "--n", "1000" if quick else "4000", "--test", "500",
                                "--time", "inf", "--threads", "2", "--repeat", "1"], None))
    out.append(("falkon", ["bench", "falkon", "--n", "5000" if quick else "20000", "--centres", "1000",
                           "--threads", "2"], None))
    return out


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_java(jar, args):
    """(reported seconds, CPU seconds of the whole process, error)."""
    c0 = child_cpu()
    p = subprocess.run(["java", "-jar", jar] + args, capture_output=True, text=True)
    cpu = child_cpu() - c0
    if p.returncode != 0:
        return None, None, p.stderr.strip().splitlines()[-1:] or ["exit %d" % p.returncode]
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    return json.loads(lines[-1])["seconds"], cpu, None


def run_numpy(args):
    p = subprocess.run([sys.executable, os.path.join(ROOT, "src", "test", "python", args[0])] + args[1:],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None
    return json.loads(p.stdout.strip().splitlines()[-1])["seconds"]


def fmt(xs):
    if not xs:
        return "—"
    return "%.4g [%.4g–%.4g]" % (statistics.median(xs), min(xs), max(xs))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="main", help="commit to compare against (default: main)")
    ap.add_argument("--base-jar", help="use this jar as the base instead of building --base")
    ap.add_argument("--new-jar", help="use this jar as the new build instead of building the working tree")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", help="comma-separated prefixes of the benchmarks to run")
    ap.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    ap.add_argument("--repeat", type=int, default=3, help="--repeat of bench gram (best of, after a warm-up)")
    a = ap.parse_args()
    keep = tempfile.mkdtemp(prefix="ntk4j-ab-jars-")
    new = a.new_jar or shutil.copy(build(ROOT), os.path.join(keep, "new.jar"))
    base = a.base_jar or base_jar(subprocess.run(["git", "rev-parse", a.base], cwd=ROOT, capture_output=True,
                                                  text=True, check=True).stdout.strip(), keep)
    benches = benchmarks(a.quick, a.repeat)
    if a.only:
        prefixes = a.only.split(",")
        benches = [b for b in benches if any(b[0].startswith(p) for p in prefixes)]
    load0 = os.getloadavg()
    res = {name: {"base": [], "new": [], "numpy": [], "base_cpu": [], "new_cpu": [], "error": None}
           for name, _, _ in benches}
    for r in range(a.rounds):
        for name, args, peer in benches:
            order = [("base", base), ("new", new)] if r % 2 == 0 else [("new", new), ("base", base)]
            for side, jar in order:
                s, cpu, err = run_java(jar, args)
                if s is None:
                    res[name]["error"] = "%s: %s" % (side, err[0] if err else "failed")
                else:
                    res[name][side].append(s)
                    res[name][side + "_cpu"].append(cpu)
            if peer:
                s = run_numpy(peer)
                if s is not None:
                    res[name]["numpy"].append(s)
            print("round %d %-12s base %s new %s numpy %s" % (r + 1, name, fmt(res[name]["base"][-1:]),
                  fmt(res[name]["new"][-1:]), fmt(res[name]["numpy"][-1:])), file=sys.stderr, flush=True)
    load1 = os.getloadavg()
    print("base %s (%s), new %s; %d rounds alternating; load average %.2f %.2f %.2f before, %.2f %.2f %.2f after"
          % (a.base, os.path.basename(base), os.path.basename(new), a.rounds, *load0, *load1))
    print()
    print("Timed seconds as each benchmark reports them; CPU s = user + system time of the whole java process")
    print("(warm-up and JIT included), less sensitive to the load than the wall clock.")
    print()
    print("| benchmark | base s, median [min–max] | new s | base/new | base CPU s | new CPU s | CPU base/new"
          " | numpy s | numpy/new |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, _, _ in benches:
        d = res[name]
        ratio = "%.2f" % (statistics.median(d["base"]) / statistics.median(d["new"])) if d["base"] and d["new"] else "—"
        peer = "%.2f" % (statistics.median(d["numpy"]) / statistics.median(d["new"])) if d["numpy"] and d["new"] else "—"
        note = " (%s)" % d["error"] if d["error"] else ""
        cpu = ("%.2f" % (statistics.median(d["base_cpu"]) / statistics.median(d["new_cpu"]))
               if d["base_cpu"] and d["new_cpu"] else "—")
        print("| %s%s | %s | %s | %s | %s | %s | %s | %s | %s |" % (name, note, fmt(d["base"]), fmt(d["new"]), ratio,
              fmt(d["base_cpu"]), fmt(d["new_cpu"]), cpu, fmt(d["numpy"]), peer))


if __name__ == "__main__":
    main()
