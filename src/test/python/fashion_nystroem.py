"""A training-only proxy of ntk4j's full Fashion-MNIST run (docs/LEARNING.md §10), to choose the
levers of the Nystroem/FALKON model without the test file (which this script never reads):
the very validation split of `classify --validation 0.1 --seed S` (fashion_sklearn.java_split),
sqrt-sphere inputs, a subset of the 54,000 training rows (--train) and M centres; the Nystroem
normal equations (K_nM^T K_nM + r K_MM) a = K_nM^T Y (r = ridge x mean kernel diagonal, ntk4j's
FALKON system) solved exactly (scipy), or by FALKON's preconditioned conjugate gradient with a
given number of iterations from zero (ntk4j's iteration, to see whether 20 iterations converge);
scored on the 6,000 validation images.

usage: python3 fashion_nystroem.py [--train 54000] [--centres 4000] [--ridges 1e-4,1e-3,1e-2]
           [--iterations 0,20,50] [--seed 0] [--centre-draw uniform,kpp,kpp-java,rpc,rls] [--draw-seeds 0,1,2] KERNEL...
  KERNEL = ntk:DEPTH:W:B[:relu|erf] | nngp:DEPTH:W:B[:relu|erf] | rbf:GAMMA_TIMES_1_OVER_D
  --iterations 0 means the exact solve.
Prints one line per (kernel, centre draw): validation accuracy per ridge and solve, and seconds.
The kernel pass is made in row blocks, so memory is O(M^2 + block x M).
"""
import argparse
import os
import sys
import time

import numpy as np
import scipy.linalg as sl

sys.path.insert(0, os.path.dirname(__file__))
from fashion_sklearn import JavaRandom, idx, java_split, sphere  # noqa: E402
from fashion_preprocess import kernel as nt_kernel  # noqa: E402


def make_kernel(spec):
    parts = spec.split(":")
    if parts[0] == "rbf":
        g = float(parts[1])

        def k(a, b):
            d = a.shape[1]
            sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
            return np.exp(-g / d * np.maximum(sq, 0)), np.ones(len(a))
        return k
    kind, depth, w, bias = parts[0], int(parts[1]), float(parts[2]), float(parts[3])
    act = parts[4] if len(parts) > 4 else "relu"
    return lambda a, b: nt_kernel(a, b, depth, act, w, bias, kind)


def java_next_double(rnd):
    """java.util.Random.nextDouble: ((next(26) << 27) + next(27)) * 2^-53."""
    return ((rnd.next(26) << 27) + rnd.next(27)) * 2.0 ** -53


def kpp_java(xs, m, seed, kern, rounds=50):
    """ntk4j's CentreDraw.KPP, step for step (its javadoc states the draw): k-means++ (D^2
    sampling) in the kernel's feature space in rounds of max(1, m // rounds) rows, one
    java.util.Random(seed), running sums in row order, redraws of rows taken (or of weight 0)."""
    n = len(xs)
    diag = np.concatenate([kern(xs[s:s + 8000], xs[:1])[1] for s in range(0, n, 8000)])
    w = np.ones(n)
    taken = np.zeros(n, bool)
    chosen = []
    per = max(1, m // rounds)
    rnd = JavaRandom(seed)
    first = True
    while len(chosen) < m:
        t = min(per, m - len(chosen))
        sums = np.cumsum(w)  # sequential, as the Java loop
        total = sums[-1]
        if (w > 0).sum() < t:
            for j in range(n):
                if len(chosen) < m and not taken[j]:
                    taken[j] = True
                    chosen.append(j)
            break
        start = len(chosen)
        while len(chosen) < start + t:
            u = java_next_double(rnd) * total
            j = min(int(np.searchsorted(sums, u, side="right")), n - 1)
            if not taken[j] and w[j] > 0:
                taken[j] = True
                chosen.append(j)
        if len(chosen) == m:
            break
        new = np.array(chosen[start:])
        for s in range(0, n, 8000):
            kb, _ = kern(xs[s:s + 8000], xs[new])
            d = (diag[s:s + 8000, None] + diag[new][None, :] - 2 * kb).min(1)
            if not first:
                d = np.minimum(d, w[s:s + 8000])
            w[s:s + 8000] = np.maximum(d, 0)
        w[np.array(chosen)] = 0
        first = False
    return np.array(chosen)


def draw_centres(method, xs, y, m, seed, kern):
    rng = np.random.RandomState(seed)
    if method == "kpp-java":
        return kpp_java(xs, m, seed, kern)
    n = len(xs)
    if method == "uniform":
        return rng.choice(n, m, replace=False)
    if method == "stratified":
        out = []
        for c in range(10):
            mem = np.flatnonzero(y == c)
            out.extend(rng.choice(mem, int(round(m * len(mem) / n)), replace=False))
        return np.array(out[:m])
    if method.startswith("kpp"):
        # k-means++ (D^2 sampling) in the kernel's feature space, drawn in rounds of B centres
        # (each round one N x B kernel block): d(x) = min_c k(x,x) + k(c,c) - 2 k(x,c)
        bsz = max(1, m // 50)
        first = rng.choice(n, bsz, replace=False)
        chosen = list(first)
        diag = kern(xs[:1], xs[:1])[1][0]
        dist = np.full(n, np.inf)
        new = first
        while True:
            for s in range(0, n, 8000):
                kb, _ = kern(xs[s:s + 8000], xs[new])
                dist[s:s + 8000] = np.minimum(dist[s:s + 8000], (2 * diag - 2 * kb).min(1))
            dist[np.array(chosen)] = 0
            if len(chosen) >= m:
                break
            p = np.maximum(dist, 0)
            take = min(bsz, m - len(chosen))
            new = rng.choice(n, take, replace=False, p=p / p.sum())
            chosen.extend(new)
        return np.array(chosen[:m])
    if method == "rpc":
        # block randomly pivoted Cholesky (Chen, Epperly, Tropp and Webber 2023): each round draws
        # B pivots with probability proportional to the diagonal of the residual K - F F^T, then
        # adds their (residual) columns to the factor F; the pivots are the centres.
        bsz = max(1, m // 50)
        f = np.zeros((n, m))
        resid = kern(xs[:1], xs[:1])[1][0] * np.ones(n)
        for s in range(0, n, 8000):
            resid[s:s + 8000] = kern(xs[s:s + 8000], xs[:1])[1]
        chosen = []
        while len(chosen) < m:
            p = np.maximum(resid, 0)
            p[np.array(chosen, dtype=int)] = 0
            take = min(bsz, m - len(chosen), int((p > 0).sum()))
            new = rng.choice(n, take, replace=False, p=p / p.sum())
            k0 = len(chosen)
            g = np.empty((n, take))
            for s in range(0, n, 8000):
                g[s:s + 8000] = kern(xs[s:s + 8000], xs[new])[0]
            g -= f[:, :k0] @ f[new, :k0].T
            gss = g[new]
            w, v = np.linalg.eigh((gss + gss.T) / 2)
            keep = w > w.max() * 1e-12
            fn = g @ (v[:, keep] / np.sqrt(w[keep]))
            f[:, k0:k0 + keep.sum()] = fn
            new = new[:keep.sum()] if keep.all() else new[np.argsort(-np.diag(gss))[:keep.sum()]]
            chosen.extend(new)
            resid -= (fn * fn).sum(1)
        return np.array(chosen[:m])
    if method.startswith("rls"):
        # approximate ridge leverage scores (Rudi et al. 2018): half the centres uniform (J), the
        # rest drawn without replacement with probability proportional to
        # k(x,x) - k(x,J) (K_JJ + r I)^-1 k(J,x), r = 1e-3 x n x mean diagonal / ... (kernel ridge r)
        m0 = m // 2
        j = rng.choice(n, m0, replace=False)
        kjj, dj = kern(xs[j], xs[j])
        lam = float(method[3:] or "1e-3") * dj.mean() * m0
        ch = sl.cho_factor(kjj + lam * np.eye(m0), lower=True)
        score = np.empty(n)
        for s in range(0, n, 8000):
            kb, da = kern(xs[s:s + 8000], xs[j])
            score[s:s + 8000] = da - (kb * sl.cho_solve(ch, kb.T).T).sum(1)
        score = np.maximum(score, 0)
        score[j] = 0
        rest = rng.choice(n, m - m0, replace=False, p=score / score.sum())
        return np.concatenate([j, rest])
    raise ValueError(method)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--train", type=int, default=54000)
    ap.add_argument("--centres", type=int, default=4000)
    ap.add_argument("--ridges", default="1e-4,1e-3,1e-2")
    ap.add_argument("--iterations", default="0,20")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--centre-draw", default="uniform")
    ap.add_argument("--preprocess", default="sqrt-sphere")
    ap.add_argument("--single", action="store_true",
                    help="also solve with K_nM (training and validation rows) rounded to float32, as "
                         "classify --kernel-storage single keeps it (K_MM in double), and count the validation "
                         "predictions that change (exact solve, and the CG iterations given)")
    ap.add_argument("--intercept", default="none",
                    help="none,fit: 'fit' adds an unpenalised constant b to f(x) = k(x, C) a + b, i.e. the "
                         "Nystroem normal equations with K_nM's columns and Y centred over the rows (exact solve only)")
    ap.add_argument("--draw-seeds", default=None,
                    help="seeds of the centre draw (default: --seed); the split stays that of --seed")
    ap.add_argument("kernels", nargs="+")
    a = ap.parse_args()
    x = idx(os.path.join(a.dir, "train-images-idx3-ubyte.gz")).reshape(60000, -1).astype(np.float64)
    y = idx(os.path.join(a.dir, "train-labels-idx1-ubyte.gz")).astype(int)
    val = java_split(y, 0.1, a.seed)
    xs = sphere(np.sqrt(x)) if a.preprocess == "sqrt-sphere" else sphere(x)
    tr = np.flatnonzero(~val)
    tr = tr[np.random.RandomState(a.seed + 1).permutation(len(tr))[:a.train]]
    xtr, ytr, xva, yva = xs[tr], y[tr], xs[val], y[val]
    t1 = -np.ones((len(ytr), 10))
    t1[np.arange(len(ytr)), ytr] = 1
    n = len(ytr)
    for spec in a.kernels:
        kern = make_kernel(spec)
        draw_seeds = [int(v) for v in (a.draw_seeds or str(a.seed)).split(",")]
        first = {}
        hits_by = {}
        pooled = {}
        for ds, method in [(ds, mt) for ds in draw_seeds for mt in a.centre_draw.split(",")]:
            t0 = time.time()
            ci = draw_centres(method, xtr, ytr, a.centres, ds, kern)
            c = xtr[ci]
            m = len(c)
            h = np.zeros((m, m))
            kty = np.zeros((m, 10))
            dsum = 0.0
            ksum = np.zeros(m)
            h32 = np.zeros((m, m)) if a.single else None
            kty32 = np.zeros((m, 10)) if a.single else None
            for s in range(0, n, 6000):
                kb, da = kern(xtr[s:s + 6000], c)
                if a.single:
                    k32 = kb.astype(np.float32).astype(np.float64)
                    h32 += k32.T @ k32
                    kty32 += k32.T @ t1[s:s + 6000]
                h += kb.T @ kb
                kty += kb.T @ t1[s:s + 6000]
                ksum += kb.sum(0)
                dsum += da.sum()
            mu = ksum / n
            ybar = t1.mean(0)
            kv, _ = kern(xva, c)
            kv32 = kv.astype(np.float32).astype(np.float64)
            kmm, _ = kern(c, c)
            mean_diag = dsum / n
            tk = time.time() - t0
            out = []
            jit = m * np.finfo(float).eps * np.abs(np.diag(kmm)).max()
            tmat = sl.cholesky(kmm + jit * np.eye(m), lower=False)  # kmm = T^T T

            def cg(h, kty, r, it):
                lam = r / n
                amat = sl.cholesky(tmat @ tmat.T / m + lam * np.eye(m), lower=False)

                def op(u):  # A^-T (T^-T H T^-1 / n + lam I) A^-1 u
                    v = sl.solve_triangular(amat, u)
                    w = sl.solve_triangular(tmat, v)
                    q = sl.solve_triangular(tmat, h @ w, trans="T") / n + lam * v
                    return sl.solve_triangular(amat, q, trans="T")
                rhs = sl.solve_triangular(amat, sl.solve_triangular(tmat, kty, trans="T") / n, trans="T")
                beta = np.zeros_like(rhs)
                res = rhs.copy()
                p = res.copy()
                rs = (res * res).sum(0)
                for _ in range(it):
                    ap_ = op(p)
                    step = rs / (p * ap_).sum(0)
                    beta += p * step
                    res -= ap_ * step
                    rs2 = (res * res).sum(0)
                    p = res + p * (rs2 / rs)
                    rs = rs2
                return sl.solve_triangular(tmat, sl.solve_triangular(amat, beta))

            for r0 in [float(v) for v in a.ridges.split(",")]:
                r = r0 * mean_diag
                for it, icpt in [(int(v), ic) for v in a.iterations.split(",") for ic in a.intercept.split(",")]:
                    if it != 0 and icpt != "none":
                        continue
                    offset = 0.0
                    if it == 0 and icpt == "fit":
                        # min |Y - K a - 1 b^T|^2 + r a^T K_MM a: b = ybar - K^T-mean a, so K and Y centred
                        hc = h - n * np.outer(mu, mu)
                        alpha = sl.solve(hc + r * kmm + jit * r * np.eye(m), kty - n * np.outer(mu, ybar),
                                         assume_a="pos")
                        offset = ybar - mu @ alpha
                    elif it == 0:
                        alpha = sl.solve(h + r * kmm + jit * r * np.eye(m), kty, assume_a="pos")
                    else:
                        alpha = cg(h, kty, r, it)
                    hit = (kv @ alpha + offset).argmax(1) == yva
                    if a.single and icpt == "none":
                        if it == 0:
                            a32 = sl.solve(h32 + r * kmm + jit * r * np.eye(m), kty32, assume_a="pos")
                        else:
                            a32 = cg(h32, kty32, r, it)
                        p64 = (kv @ alpha).argmax(1)
                        p32 = (kv32 @ a32).argmax(1)
                        print(f"  single vs double, ridge {r0:g} {'exact' if it == 0 else it}: accuracy "
                              f"{(p32 == yva).mean():.4f} vs {(p64 == yva).mean():.4f}, {(p32 != p64).sum()} of "
                              f"{len(yva)} predictions differ, max |alpha32 - alpha| / max |alpha| "
                              f"{np.abs(a32 - alpha).max() / np.abs(alpha).max():.2e}", flush=True)
                    if it == 0 and icpt == a.intercept.split(",")[0]:
                        hits_by[(ds, method, r0)] = hit.astype(float)
                    acc = hit.mean()
                    key = (ds, r0, it, icpt)
                    txt = f"{r0:g}/{'exact' if it == 0 else it}{'+b' if icpt == 'fit' else ''}={acc:.4f}"
                    if icpt == "fit" and (ds, r0, it, "none") in first and key not in first:
                        dlt = hit.astype(float) - first[(ds, r0, it, "none")]
                        txt += f" (vs no intercept {dlt.mean():+.4f} se {dlt.std(ddof=1) / np.sqrt(len(dlt)):.4f})"
                    if key in first:  # paired with the first draw method of this seed
                        dlt = hit.astype(float) - first[key]
                        txt += f" (diff {dlt.mean():+.4f} se {dlt.std(ddof=1) / np.sqrt(len(dlt)):.4f})"
                    else:
                        first[key] = hit.astype(float)
                    out.append(txt)
            for r0 in [float(v) for v in a.ridges.split(",")]:
                pooled.setdefault((method, r0), []).append(hits_by[(ds, method, r0)])
            print(f"{spec} {method} seed={ds} n={n} M={m}", " ".join(out), f"kernel {tk:.0f}s total {time.time() - t0:.0f}s",
                  flush=True)
        methods = a.centre_draw.split(",")
        if len(draw_seeds) > 1 and len(methods) > 1:
            # over all seeds: per validation image the mean over seeds of (hit - hit of the first
            # draw method); its mean and standard error over the images (paired, seeds pooled)
            for (method, r0), hs in pooled.items():
                if method == methods[0] or (methods[0], r0) not in pooled:
                    continue
                dlt = np.mean(hs, 0) - np.mean(pooled[(methods[0], r0)], 0)
                print(f"{spec} {method} - {methods[0]} over seeds {a.draw_seeds} ridge {r0:g} exact: mean "
                      f"{np.mean(hs):.4f} vs {np.mean(pooled[(methods[0], r0)]):.4f}, diff {dlt.mean():+.4f} "
                      f"se {dlt.std(ddof=1) / np.sqrt(len(dlt)):.4f}", flush=True)


if __name__ == "__main__":
    main()
