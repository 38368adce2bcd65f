"""Independent reference for ntk4j's discrete path kernel (finite.PathKernel).

usage: python3 src/test/python/make_pathkernel_reference.py
writes src/test/resources/reference/pathkernel/{relu,erf}-weights.json (the initial raw
parameters, in the --init format) and pathkernel-reference.json (the run's values).

The networks: one hidden layer, NTK parameterisation (neural-tangents' stax.Dense),
    h = W_std1/sqrt(d) W x + b_std1 b,   f = W_std2/sqrt(m) v . phi(h) + b_std2 c,
with phi = relu or erf, raw parameters N(0, 1) from numpy's default_rng(seed). Full-batch
gradient descent on L = 1/2 sum_i (f(x_i) - y_i)^2 with step eta for T steps, gradients by
hand-written back-propagation (numpy, vectorised over inputs: nothing shared with ntk4j).

The path kernel K_t(x, x') = gbar_t(x) . g_x'(t), gbar_t(x) = int_0^1 grad f(x; w_t + s D_t) ds,
with D_t = w_{t+1} - w_t, is integrated differently from ntk4j:
  relu: h(s) = h(0) + s (h(1) - h(0)) is affine in s, so the kinks are s_j = h_j(0)/(h_j(0) - h_j(1))
        in closed form; [0, 1] is split at all of them and each piece integrated with 4-point
        Gauss-Legendre (the gradient is a polynomial of degree <= 1 in s on a piece: exact);
  erf:  32-point Gauss-Legendre on [0, 1] (the integrand is entire; the step is small).
ntk4j instead splits adaptively where its quadrature misses f(w_{t+1}) - f(w_t) and finds kinks by
regula falsi. Outputs: K^p = eta sum_t K_t and the naive eta sum_t g_x(t).g_x'(t) (test x train and
train x train), f(x; w_0), f(x; w_T) and the kernel machine f(x; w_0) - eta sum_t sum_i r_i K_t.
"""
import json, os
import numpy as np
from math import erf as _erf

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "reference", "pathkernel")
W1, B1, W2, B2 = 1.4, 0.1, 1.4, 0.1
WIDTH, STEPS, ETA = 16, 12, 0.25
verf = np.vectorize(_erf)


def phi(h, act):
    return np.maximum(h, 0.0) if act == "relu" else verf(h)


def dphi(h, act):
    return (h >= 0).astype(float) if act == "relu" else 2 / np.sqrt(np.pi) * np.exp(-h * h)


def unpack(theta, d, m):
    o = 0
    W = theta[o:o + m * d].reshape(m, d); o += m * d
    b = theta[o:o + m]; o += m
    v = theta[o:o + m]; o += m
    c = theta[o:o + 1]
    return W, b, v, c


def forward(theta, X, act, d, m):
    W, b, v, c = unpack(theta, d, m)
    h = W1 / np.sqrt(d) * X @ W.T + B1 * b
    return h, W2 / np.sqrt(m) * phi(h, act) @ v + B2 * c[0]


def grads(theta, X, act, d, m):
    """Per-input gradient of f with respect to the raw parameters (rows = inputs), and f."""
    W, b, v, c = unpack(theta, d, m)
    h, f = forward(theta, X, act, d, m)
    a2 = W2 / np.sqrt(m)
    gv = a2 * phi(h, act)                          # df/dv
    dh = a2 * v[None, :] * dphi(h, act)            # df/dh
    gW = (W1 / np.sqrt(d)) * dh[:, :, None] * X[:, None, :]
    gb = B1 * dh
    gc = B2 * np.ones((X.shape[0], 1))
    return np.concatenate([gW.reshape(X.shape[0], -1), gb, gv, gc], axis=1), f


def gl(n, a, b):
    x, w = np.polynomial.legendre.leggauss(n)
    return a + (b - a) * (x + 1) / 2, w * (b - a) / 2


def gbar(theta0, delta, x, act, d, m):
    X = x[None, :]
    if act == "relu":
        h0, _ = forward(theta0, X, act, d, m)
        h1, _ = forward(theta0 + delta, X, act, d, m)
        dh = h1[0] - h0[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            s = -h0[0] / dh
        cuts = np.sort(s[(dh != 0) & (s > 0) & (s < 1)])
        edges = np.concatenate([[0.0], cuts, [1.0]])
        acc = np.zeros(theta0.size)
        for a, b in zip(edges[:-1], edges[1:]):
            if b > a:
                nodes, weights = gl(4, a, b)
                for s_, w_ in zip(nodes, weights):
                    acc += w_ * grads(theta0 + s_ * delta, X, act, d, m)[0][0]
        return acc
    nodes, weights = gl(32, 0.0, 1.0)
    acc = np.zeros(theta0.size)
    for s_, w_ in zip(nodes, weights):
        acc += w_ * grads(theta0 + s_ * delta, X, act, d, m)[0][0]
    return acc


def run(act, seed):
    rng = np.random.default_rng(seed)
    n, nt, d, m = 6, 4, 2, WIDTH
    a = 2 * np.pi * np.arange(n) / n
    X = np.stack([np.cos(a), np.sin(a)], 1)
    Y = np.sin(2 * a) + 0.5 * np.cos(3 * a)
    at = 2 * np.pi * (np.arange(nt) + 0.3) / nt
    Xt = np.stack([np.cos(at), np.sin(at)], 1)
    W = rng.standard_normal((m, d)); b = rng.standard_normal(m)
    v = rng.standard_normal((1, m)); c = rng.standard_normal(1)
    weights = {"parameterization": "ntk", "layers": [
        {"W": W.tolist(), "b": b.tolist()}, {"W": v.tolist(), "b": c.tolist()}]}
    theta = np.concatenate([W.ravel(), b, v.ravel(), c])
    XA = np.concatenate([X, Xt])
    K = np.zeros((len(XA), n)); Kn = np.zeros((len(XA), n)); RK = np.zeros((len(XA), n))
    f0 = forward(theta, XA, act, d, m)[1]
    for t in range(STEPS):
        G, f = grads(theta, XA, act, d, m)
        r = f[:n] - Y
        new = theta - ETA * (r @ G[:n])
        delta = new - theta
        for p in range(len(XA)):
            gb = gbar(theta, delta, XA[p], act, d, m)
            kt = G[:n] @ gb
            K[p] += kt; RK[p] += r * kt
            Kn[p] += G[:n] @ G[p]
        theta = new
    fT = forward(theta, XA, act, d, m)[1]
    machine = f0 - ETA * RK.sum(1)
    return weights, {
        "network": "dense(%g,%g) %s dense(%g,%g)" % (W1, B1, act, W2, B2), "width": m, "steps": STEPS, "lr": ETA,
        "x_train": X.tolist(), "y_train": Y.tolist(), "x_test": Xt.tolist(),
        "path_kernel_test": (ETA * K[n:]).tolist(), "path_kernel_train": (ETA * K[:n]).tolist(),
        "naive_path_kernel_test": (ETA * Kn[n:]).tolist(), "naive_path_kernel_train": (ETA * Kn[:n]).tolist(),
        "initial_output_test": f0[n:].tolist(), "final_output_test": fT[n:].tolist(),
        "final_output_train": fT[:n].tolist(), "machine_output_test": machine[n:].tolist(),
        "machine_relative_gap": float(np.max(np.abs(machine - fT) / np.abs(fT - f0)))}


def main():
    os.makedirs(OUT, exist_ok=True)
    ref = {"generator": "src/test/python/make_pathkernel_reference.py", "numpy": np.__version__, "cases": {}}
    for act, seed in (("relu", 11), ("erf", 12)):
        w, r = run(act, seed)
        with open(os.path.join(OUT, act + "-weights.json"), "w") as fh:
            json.dump(w, fh)
            fh.write("\n")
        r["weights"] = act + "-weights.json"
        ref["cases"][act] = r
        print(act, "kernel-machine gap", r["machine_relative_gap"])
    with open(os.path.join(OUT, "pathkernel-reference.json"), "w") as fh:
        json.dump(ref, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
