"""Compares `ntk4j interpolate` (ridge exactly 0, Cholesky with extra-precise refinement) with an
independent interpolant computed by numpy/scipy from the same kernel values (exported by
`ntk4j gram`) on the same split: scipy.linalg.solve(K, Y, assume_a='pos') (LAPACK dposv, no
refinement), numpy.linalg.lstsq (SVD, minimum norm) and kernel ridge regression at alpha -> 0
(solve(K + alpha I, Y) for alpha = 1e-4 ... 1e-12 times the mean diagonal; scikit-learn's
KernelRidge(kernel='precomputed') solves the same system, but scikit-learn is not installed here).

The split (stratified 75/25, numpy RandomState(seed)) and the standardisation (training mean and
standard deviation with divisor n, constant columns set to 0) are made here; the standardised
rows are written with 17 significant digits and given to both `ntk4j gram` and
`ntk4j interpolate --test-data` (which standardises them once more: mean ~1e-17, sd 1 +- 1e-16,
so its kernel values agree with the exported ones to rounding).

usage: python3 src/test/python/compare_interpolation.py [--jar target/ntk4j.jar] [--seed 0]
           [--data examples/data/digits.csv.gz] [--kernel ntk|nngp]
Prints one JSON object: the test and training accuracy and the relative training residual
max|Y - K a| / max|Y| of every method, and the condition number (numpy.linalg.cond, 2-norm)."""
import argparse, gzip, json, os, subprocess, sys, tempfile
import numpy as np
import scipy.linalg


def load(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt") as f:
        a = np.array([[float(v) for v in l.split(",")] for l in f if l.strip()])
    return a[:, :-1], a[:, -1].astype(int)


def write(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(",".join(repr(float(v)) for v in r) + "\n")


def gram(jar, kernel, a, b=None):
    cmd = ["java", "-jar", jar, "gram", "--kernel", kernel, "--input", a] + (["--input2", b] if b else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("gram: " + r.stderr)
    return np.array([[float(v) for v in l.split(",")] for l in r.stdout.splitlines() if l.strip()])


def scores(alpha, k, ks, y, ytr, yte):
    res = np.max(np.abs(y - k @ alpha)) / np.max(np.abs(y))
    return {"train_accuracy": float(np.mean(np.argmax(k @ alpha, 1) == ytr)),
            "test_accuracy": float(np.mean(np.argmax(ks @ alpha, 1) == yte)),
            "relative_residual": float(res)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/ntk4j.jar")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default="examples/data/digits.csv.gz")
    ap.add_argument("--kernel", default="ntk")
    a = ap.parse_args()
    x, lab = load(a.data)
    rng = np.random.RandomState(a.seed)
    test = np.zeros(len(lab), bool)
    for c in np.unique(lab):
        idx = np.flatnonzero(lab == c)
        rng.shuffle(idx)
        test[idx[:int(round(0.25 * len(idx)))]] = True
    xtr, xte, ytr, yte = x[~test], x[test], lab[~test], lab[test]
    mean = xtr.mean(0)
    sd = np.sqrt(((xtr - mean) ** 2).mean(0))
    inv = np.where((sd > 0) & np.all(xtr == xtr[0], 0) == False, 1 / np.where(sd > 0, sd, 1), 0.0)
    ztr, zte = (xtr - mean) * inv, (xte - mean) * inv
    with tempfile.TemporaryDirectory() as d:
        ftr, fte = os.path.join(d, "xtr.csv"), os.path.join(d, "xte.csv")
        write(ftr, ztr)
        write(fte, zte)
        write(os.path.join(d, "train.csv"), np.column_stack([ztr, ytr]))
        write(os.path.join(d, "test.csv"), np.column_stack([zte, yte]))
        k = gram(a.jar, a.kernel, ftr)
        ks = gram(a.jar, a.kernel, fte, ftr)
        r = subprocess.run(["java", "-jar", a.jar, "interpolate", "--data", os.path.join(d, "train.csv"), "--test-data",
                            os.path.join(d, "test.csv"), "--noise", "0", "--kernel", a.kernel, "--format", "json",
                            "--seed", str(a.seed)], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("interpolate: " + r.stderr)
        nt = json.loads(r.stdout)
    classes = np.unique(lab)
    y = (ytr[:, None] == classes[None, :]).astype(float)
    ytr_i = np.searchsorted(classes, ytr)
    yte_i = np.searchsorted(classes, yte)
    out = {"data": a.data, "kernel": a.kernel, "train_rows": int(len(ytr)), "test_rows": int(len(yte)),
           "numpy_condition_number": float(np.linalg.cond(k)),
           "ntk4j": {"condition_number": nt["condition_number"], **{kk: nt["levels"][0]["interpolant"][kk] for kk in (
               "train_accuracy", "test_accuracy", "relative_residual", "refinement_steps")}},
           "scipy_solve_pos": scores(scipy.linalg.solve(k, y, assume_a="pos"), k, ks, y, ytr_i, yte_i),
           "numpy_lstsq": scores(np.linalg.lstsq(k, y, rcond=None)[0], k, ks, y, ytr_i, yte_i)}
    s = np.mean(np.diag(k))
    for alpha in (1e-4, 1e-8, 1e-12):
        out["kernel_ridge_alpha_%g" % alpha] = scores(scipy.linalg.solve(k + alpha * s * np.eye(len(k)), y,
                                                                          assume_a="pos"), k, ks, y, ytr_i, yte_i)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
