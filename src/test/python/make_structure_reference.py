"""Generates src/test/resources/reference/structure-kernels.json: NNGP and NTK values for networks
with standard-parameterisation dense layers, residual blocks and other sums and products of
branches, and layer normalisation, at random, identical, collinear, anti-collinear, nearly
collinear and zero inputs.

Independent of ntk4j's Java code: the naive textbook rules evaluated with mpmath at 80
significant digits, so the cancellation that double precision suffers near collinearity is
irrelevant here. The activations' dual maps are those of make_extra_reference.py (naive arccos
and arcsin closed forms). The structural rules, as neural-tangents' stax defines them:
  Dense, standard parameterisation (Dense.kernel_fn, parameterization='standard'):
      K <- W^2 K + b^2,  Theta <- N K_old + W^2 Theta + 1, N = d for the first layer, else the width
  FanInSum (weights w_i):  K = sum w_i^2 K_i,  Theta = sum w_i^2 Theta_i
  FanInProd:               K = prod K_i,       Theta = sum_i Theta_i prod_{j != i} K_j
  LayerNorm (eps = 0):     K(x,y) <- K(x,y)/sqrt(K(x,x)K(y,y)), Theta likewise
Inputs are the exact binary64 values the Java test passes. Run: python3 make_structure_reference.py > file.
"""
import json
import random
import mpmath as mp

from make_extra_reference import ACTS

mp.mp.dps = 80


def run(layers, st, first, d, width):
    """st = (sxx, sxy, syy, ntk); returns the state after the layers."""
    sxx, sxy, syy, ntk = st
    for i, layer in enumerate(layers):
        kind = layer[0]
        if kind == "dense":
            _, w, b, param = layer
            w, b = mp.mpf(w), mp.mpf(b)
            old = sxy
            sxx, syy, sxy = w * w * sxx + b * b, w * w * syy + b * b, w * w * sxy + b * b
            if param == "standard":
                n = d if (first and i == 0) else width
                ntk = n * old + w * w * ntk + 1
            else:
                ntk = sxy + w * w * ntk
        elif kind == "act":
            rule = ACTS[layer[1]]
            t, tdot = rule(sxx, sxy, syy)
            txx, _ = rule(sxx, sxx, sxx)
            tyy, _ = rule(syy, syy, syy)
            sxx, syy, sxy = txx, tyy, t
            ntk = ntk * tdot
        elif kind == "layernorm":
            if sxx == 0 or syy == 0:
                sxx = mp.mpf(1) if sxx != 0 else mp.mpf(0)
                syy = mp.mpf(1) if syy != 0 else mp.mpf(0)
                sxy, ntk = mp.mpf(0), mp.mpf(0)
            else:
                n = mp.sqrt(sxx * syy)
                sxy, ntk = sxy / n, ntk / n
                sxx, syy = mp.mpf(1), mp.mpf(1)
        elif kind == "sum":
            _, weights, branches = layer
            outs = [run(br, (sxx, sxy, syy, ntk), False, d, width) for br in branches]
            ws = [mp.mpf(v) ** 2 for v in weights]
            sxx = sum(c * o[0] for c, o in zip(ws, outs))
            sxy = sum(c * o[1] for c, o in zip(ws, outs))
            syy = sum(c * o[2] for c, o in zip(ws, outs))
            ntk = sum(c * o[3] for c, o in zip(ws, outs))
        elif kind == "prod":
            outs = [run(br, (sxx, sxy, syy, ntk), False, d, width) for br in layer[1]]
            kxx, kxy, kyy, t = mp.mpf(1), mp.mpf(1), mp.mpf(1), mp.mpf(0)
            for o in outs:
                t = t * o[1] + kxy * o[3]
                kxx, kxy, kyy = kxx * o[0], kxy * o[1], kyy * o[2]
            sxx, sxy, syy, ntk = kxx, kxy, kyy, t
        else:
            raise ValueError(kind)
    return sxx, sxy, syy, ntk


def kernels(layers, x, y, width):
    d = len(x)
    x = [mp.mpf(v) for v in x]
    y = [mp.mpf(v) for v in y]
    sxx = mp.fsum(v * v for v in x) / d
    syy = mp.fsum(v * v for v in y) / d
    sxy = mp.fsum(u * v for u, v in zip(x, y)) / d
    _, k, _, t = run(layers, (sxx, sxy, syy, mp.mpf(0)), True, d, width)
    return k, t


def all_bias_free(layers):
    for layer in layers:
        if layer[0] == "dense" and layer[2] != 0:
            return False
        if layer[0] in ("sum", "prod"):
            if not all(all_bias_free(b) for b in layer[-1]):
                return False
    return True


def num(v):
    return repr(int(v)) if v == int(v) else repr(v)


def spec(layers):
    out = []
    for layer in layers:
        kind = layer[0]
        if kind == "dense":
            _, w, b, param = layer
            out.append("dense(%s,%s%s)" % (num(w), num(b), ",standard" if param == "standard" else ""))
        elif kind == "act":
            out.append(layer[1])
        elif kind == "layernorm":
            out.append("layernorm")
        elif kind == "sum":
            _, weights, branches = layer
            if len(branches) == 2 and branches[0] == []:
                ws = "" if weights == [1, 1] else "; %s,%s" % (num(weights[0]), num(weights[1]))
                out.append("residual(%s%s)" % (spec(branches[1]), ws))
            else:
                ws = "" if all(v == 1 for v in weights) else "; " + ",".join(num(v) for v in weights)
                out.append("sum(%s%s)" % (" | ".join(spec(b) if b else "identity" for b in branches), ws))
        elif kind == "prod":
            out.append("prod(%s)" % " | ".join(spec(b) if b else "identity" for b in layer[1]))
    return " ".join(out)


def main():
    rng = random.Random(20261127)
    cases = []

    def add(layers, width, x, y, kind):
        nngp, ntk = kernels(layers, x, y, width)
        kxx, txx = kernels(layers, x, x, width)
        kyy, tyy = kernels(layers, y, y, width)
        net = ("width(%d) " % width if width else "") + spec(layers)
        cases.append({"net": net, "kind": kind, "x": x, "y": y,
                      "nngp": float(nngp), "ntk": float(ntk),
                      "nngp_scale": float(mp.sqrt(abs(kxx * kyy))), "ntk_scale": float(mp.sqrt(abs(txx * tyy)))})

    def vec(d, scale=1.0):
        return [round(rng.gauss(0, scale), 4) for _ in range(d)]

    def wb():
        w = round(rng.uniform(0.6, 1.5), 3)
        b = rng.choice([0.0, round(rng.uniform(0.05, 0.5), 3)])
        return w, b

    def dense(w, b, param="ntk"):
        return ("dense", w, b, param)

    nets = []  # (layers, width)
    # standard parameterisation: plain chains, every dense standard or only the hidden ones
    for act in ("relu", "erf", "abs", "erf(2,0.5,0.3)"):
        for depth in (1, 2, 3, 5):
            w, b = wb()
            width = rng.choice([1, 7, 64, 512, 4096])
            mixed = depth == 3
            layers = []
            for l in range(depth):
                layers += [dense(w, b, "ntk" if (mixed and l == 0) else "standard"), ("act", act)]
            layers.append(dense(w, b, "standard"))
            nets.append((layers, width))
    # residual blocks x + block(x), weighted, stacked and nested
    for act in ("relu", "erf", "leaky_relu(0.2)"):
        for blocks in (1, 2, 5):
            w, b = wb()
            layers = [dense(w, b)]
            for _ in range(blocks):
                layers.append(("sum", [1, 1], [[], [("act", act), dense(w, b)]]))
            layers += [("act", act), dense(w, b)]
            nets.append((layers, 0))
        w, b = wb()
        alpha, beta = round(rng.uniform(0.3, 1.0), 3), round(rng.uniform(0.3, 1.0), 3)
        nets.append(([dense(w, b), ("sum", [alpha, beta], [[], [("act", act), dense(w, b), ("act", act), dense(w, b)]]),
                      ("act", act), dense(w, b)], 0))
        # a residual block whose skip input is post-activation (non-Gaussian) and feeds a dense readout
        nets.append(([dense(w, b), ("act", act), ("sum", [1, 1], [[], [dense(w, b)]]), dense(w, b)], 0))
    # nested residual, residual with a layernorm inside, residual in standard parameterisation
    nets.append(([dense(1.2, 0.1), ("sum", [1, 1], [[], [("act", "relu"), dense(1.1, 0.0),
                 ("sum", [1, 1], [[], [("act", "erf"), dense(0.9, 0.2)]])]]), ("act", "relu"), dense(1.0, 0.0)], 0))
    nets.append(([dense(1.3, 0.0), ("sum", [1, 1], [[], [("act", "relu"), dense(1.4, 0.0), ("layernorm",)]]),
                  ("act", "relu"), dense(1.0, 0.1)], 0))
    nets.append(([dense(1.4, 0.1, "standard"), ("sum", [1, 1], [[], [("act", "relu"), dense(1.4, 0.1, "standard")]]),
                  ("act", "relu"), dense(1.4, 0.1, "standard")], 256))
    # layer normalisation
    for act in ("relu", "erf", "abrelu(-0.5,2)"):
        for depth in (1, 2, 5, 10):
            w, b = wb()
            layers = []
            for _ in range(depth):
                layers += [dense(w, b), ("layernorm",), ("act", act)]
            layers.append(dense(w, b))
            nets.append((layers, 0))
    nets.append(([dense(0.8, 0.3), ("layernorm",), dense(1.2, 0.0), ("act", "relu"), dense(1.0, 0.0), ("layernorm",),
                  dense(1.0, 0.1)], 0))
    # general sums (three weighted branches) and products
    nets.append(([dense(1.1, 0.1), ("sum", [0.5, 1.5, 0.7], [[], [("act", "relu"), dense(1.2, 0.0)],
                 [("act", "erf"), dense(0.9, 0.3)]]), ("act", "relu"), dense(1.0, 0.0)], 0))
    nets.append(([dense(1.2, 0.2), ("prod", [[dense(1.0, 0.1)], [("act", "relu"), dense(1.3, 0.0)]]), dense(1.0, 0.0)], 0))
    nets.append(([dense(1.0, 0.0), ("prod", [[], [("act", "erf"), dense(1.1, 0.2)]]), dense(1.0, 0.1)], 0))

    for layers, width in nets:
        d = rng.choice([1, 2, 3, 5, 8])
        x = vec(d)
        add(layers, width, x, vec(d), "random")
        add(layers, width, x, list(x), "identical")
        add(layers, width, x, [2 * v for v in x], "collinear x2")
        add(layers, width, x, [0.75 * v for v in x], "collinear x0.75")
        add(layers, width, x, [-v for v in x], "anti-collinear")
        add(layers, width, x, [-3 * v for v in x], "anti-collinear x3")
        add(layers, width, x, [v + 1e-7 * rng.gauss(0, 1) for v in x], "nearly collinear 1e-7")
        add(layers, width, x, [1.5 * v + 1e-5 * rng.gauss(0, 1) for v in x], "nearly collinear 1e-5")
        add(layers, width, x, [-v + 1e-7 * rng.gauss(0, 1) for v in x], "nearly anti-collinear 1e-7")
        add(layers, width, [1.0] + x[1:], [1.0 + 2.0 ** -40] + x[1:], "nearly identical 2^-40")
        if all_bias_free(layers):
            add(layers, width, [0.0] * d, vec(d), "zero vector")
    # a zero input through abrelu whose larger slope is not within [1, 2) in size, in standard
    # parameterisation (whose "+ 1" leaves the zero input a non-zero NTK): the engine's zero-pair rule
    # missed a factor 2 per zero input (abrelu(-0.5,2))
    zl = [dense(1.1, 0.0, "standard"), ("act", "abrelu(-0.5,2)"), dense(0.9, 0.0, "standard"), ("act", "relu"),
          dense(1.2, 0.3, "standard")]
    add(zl, 16, [0.0] * 3, [0.8, -0.3, 1.1], "zero vector")
    add(zl, 16, [0.8, -0.3, 1.1], [0.0] * 3, "zero vector second")
    add(zl, 16, [0.0] * 3, [0.0] * 3, "two zero vectors")
    print(json.dumps({"description": __doc__.strip().split("\n\n")[0].replace("\n", " "),
                      "generator": "src/test/python/make_structure_reference.py (mpmath %s, %d digits)"
                                   % (mp.__version__, mp.mp.dps),
                      "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
