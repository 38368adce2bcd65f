# numpy peer of `ntk4j bench gram` (copied into the repository from the project's shared baselines;
# unchanged below this header). Run it in the same session as ntk4j so the ratio is fair.
"""Vectorised numpy NNGP/NTK Gram matrices (NTK parameterisation, neural-tangents
conventions): the quick implementation a researcher would otherwise write. A baseline
for benchmarks. Needs python3 with numpy (Debian: apt-get install python3-numpy).

usage: python3 numpy_gram.py '{"n": 4000, "d": 100, "depth": 5, "act": "relu", "w_std": 1.4, "b_std": 0.1}'
Prints JSON: seconds spent on the Gram computation and two entries of the NTK."""
import sys, time, json
import numpy as np

def gram(X, depth, act, w_std, b_std):
    d = X.shape[1]
    nngp = X @ X.T / d
    ntk = np.zeros_like(nngp)
    for l in range(depth + 1):
        nngp = w_std**2 * nngp + b_std**2
        ntk = nngp + w_std**2 * ntk
        if l == depth:
            break
        diag = np.diag(nngp).copy()
        if act == "relu":
            norms = np.sqrt(np.outer(diag, diag))
            cos = np.clip(nngp / norms, -1, 1)
            th = np.arccos(cos)
            tdot = (np.pi - th) / (2 * np.pi)
            nngp = norms / (2 * np.pi) * (np.sin(th) + (np.pi - th) * cos)
        else:
            p = 1 + 2 * diag
            prod = np.outer(p, p)
            tdot = 4 / np.pi / np.sqrt(prod - 4 * nngp**2)
            nngp = 2 / np.pi * np.arcsin(2 * nngp / np.sqrt(prod))
        ntk = ntk * tdot
    return nngp, ntk

if __name__ == "__main__":
    a = json.loads(sys.argv[1])
    rng = np.random.default_rng(0)
    X = rng.standard_normal((a["n"], a["d"]))
    t = time.time()
    nngp, ntk = gram(X, a["depth"], a["act"], a["w_std"], a["b_std"])
    print(json.dumps({"seconds": time.time() - t, "ntk00": ntk[0, 0], "ntk01": ntk[0, 1]}))
