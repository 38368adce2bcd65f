"""Peer benchmark for ntk4j's dense kernel learning: the same linear algebra in scipy/numpy
(the OpenBLAS/LAPACK that numpy and scipy wheels ship), run in the same invocation as
`ntk4j bench predict` / `ntk4j bench spectrum`, alternating, so both see the same machine load.

usage: python3 src/test/python/bench_learning.py [--jar target/ntk4j.jar] [--n 4000] [--test 500]
           [--d 20] [--rounds 3] [--what inf,1,spectrum] [--xmx 1g]
Prints one line per case: best seconds of each side over the rounds, their ratio, the load average.

The computation (ntk mode, network relu, depth 2, W_std 1.4, b_std 0.1, diag-reg 1e-3, one target):
  t = inf : G = Θ + rI; L = cho_factor(G); alpha = cho_solve(L, Y); mean = Θ* alpha;
            P = L⁻¹Θ*ᵀ, Q = L⁻¹K*ᵀ, W = L⁻ᵀP; var = diag K** − 2 Σ P∘Q + Σ W∘(K W)
  t finite: λ, V = eigh(G); g = −expm1(−λt)/λ; B = Θ*V, C = K*V; mean = B (g ∘ VᵀY);
            W = V (g ∘ Bᵀ); var = diag K** − 2 Σ g∘B∘C + Σ W∘(K W)
  spectrum: eigvalsh(Θ)
The Gram matrices are computed first and not timed (the same formulas as ntk4j's, vectorised;
random standard-normal inputs: the same distribution as the Java side, not the same numbers).
"""
import argparse, json, os, subprocess, sys, time
import numpy as np
import scipy.linalg as sl

DEPTH, W_STD, B_STD, REG = 2, 1.4, 0.1, 1e-3


def gram(X, Z):
    """NNGP and NTK of a relu network between the rows of X and Z (NTK parameterisation)."""
    d = X.shape[1]
    kxz = X @ Z.T / d
    kxx = np.sum(X * X, 1) / d
    kzz = np.sum(Z * Z, 1) / d
    ntk = np.zeros_like(kxz)
    for l in range(DEPTH + 1):
        kxz = W_STD**2 * kxz + B_STD**2
        kxx = W_STD**2 * kxx + B_STD**2
        kzz = W_STD**2 * kzz + B_STD**2
        ntk = kxz + W_STD**2 * ntk
        if l == DEPTH:
            break
        norms = np.sqrt(np.outer(kxx, kzz))
        cos = np.clip(kxz / norms, -1, 1)
        th = np.arccos(cos)
        ntk = ntk * (np.pi - th) / (2 * np.pi)
        kxz = norms / (2 * np.pi) * (np.sin(th) + (np.pi - th) * cos)
        kxx = kxx / 2
        kzz = kzz / 2
    return kxz, ntk, kxx


def predict(theta, k, theta_s, k_s, kss_diag, y, t, reg=REG):
    """Mean and variance of gradient flow at time t (or "inf"), and the training residual
    Θ·(gain applied)·Y − Y whose rms ntk4j reports (bench_whole.py's peer prints it)."""
    n = theta.shape[0]
    g = theta + reg * np.eye(n)
    if t == "inf":
        c = sl.cho_factor(g, lower=True)
        alpha = sl.cho_solve(c, y)
        mean = theta_s @ alpha
        p = sl.solve_triangular(c[0], theta_s.T, lower=True)
        q = sl.solve_triangular(c[0], k_s.T, lower=True)
        w = sl.solve_triangular(c[0], p, lower=True, trans="T")
        var = kss_diag - 2 * np.sum(p * q, 0) + np.sum(w * (k @ w), 0)
        resid = -reg * alpha  # Θ(Θ + rI)⁻¹Y − Y
    else:
        lam, v = np.linalg.eigh(g)
        lam = np.maximum(lam, 0)
        tt = float(t)
        gain = np.where(lam > 0, -np.expm1(-lam * tt) / np.where(lam > 0, lam, 1), tt)
        b = theta_s @ v
        c = k_s @ v
        vy = v.T @ y
        mean = b @ (gain[:, None] * vy)
        w = v @ (gain[:, None] * b.T)
        var = kss_diag - 2 * np.sum(gain[None, :] * b * c, 1) + np.sum(w * (k @ w), 0)
        resid = v @ (((lam - reg) * gain)[:, None] * vy) - y
    return mean, var, resid


def best(f, rounds):
    f()  # warm-up
    out = float("inf")
    for _ in range(rounds):
        s = time.perf_counter()
        f()
        out = min(out, time.perf_counter() - s)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/ntk4j.jar")
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--test", type=int, default=500)
    ap.add_argument("--d", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--what", default="inf,1,spectrum")
    ap.add_argument("--xmx", default="1g")
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((a.n, a.d))
    xs = rng.standard_normal((a.test, a.d))
    y = (np.sin(x[:, 0]) + 0.5 * x[:, 1])[:, None]
    k, theta, _ = gram(x, x)
    k_s, theta_s, kss = gram(xs, x)
    net = ["--activation", "relu", "--depth", str(DEPTH), "--w-std", str(W_STD), "--b-std", str(B_STD)]
    rows = []
    for what in a.what.split(","):
        java_best, peer_best, java_heap, loads = float("inf"), float("inf"), 0, []
        for _ in range(a.rounds):  # alternate the two sides so both see the same load
            loads.append(os.getloadavg()[0])
            if what == "spectrum":
                cmd = ["bench", "spectrum", "--n", str(a.n), "--d", str(a.d), "--repeat", "1"]
            else:
                cmd = ["bench", "predict", "--n", str(a.n), "--test", str(a.test), "--d", str(a.d), "--time", what,
                       "--diag-reg", str(REG), "--repeat", "1"]
            r = subprocess.run(["java", "-Xmx" + a.xmx, "-jar", a.jar] + cmd + net, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit("java failed: " + r.stderr)
            j = json.loads(r.stdout)
            java_best = min(java_best, j["seconds"])
            java_heap = max(java_heap, j["heap_peak_bytes"])
            if what == "spectrum":
                peer_best = min(peer_best, best(lambda: np.linalg.eigvalsh(theta), 1))
            else:
                peer_best = min(peer_best, best(lambda: predict(theta, k, theta_s, k_s, kss, y, what), 1))
        row = {"case": what, "ntk4j_seconds": round(java_best, 3), "peer_seconds": round(peer_best, 3),
                     "ratio": round(java_best / peer_best, 2), "ntk4j_heap_peak_mib": round(java_heap / 2**20),
                     "load_min": min(loads), "load_max": max(loads)}
        print(json.dumps(row), flush=True)
        rows.append(row)
    print(json.dumps({"n": a.n, "test": a.test, "d": a.d, "rounds": a.rounds, "numpy": np.__version__,
                      "scipy": __import__("scipy").__version__, "cases": rows}, indent=1))


if __name__ == "__main__":
    main()
