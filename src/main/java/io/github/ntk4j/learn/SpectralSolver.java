package io.github.ntk4j.learn;

/**
 * The spectral side of kernel learning, shared by gradient-flow prediction
 * ({@link GradientFlowPredictor} at finite time and for the residual) and model selection
 * ({@link KernelModelSelection}, every ridge and time of a grid from one decomposition): the
 * eigen-decomposition G = V diag(λ) Vᵀ of a training kernel (eigenvalues from rounding below 0
 * set to 0), the projection VᵀY of the targets and the coefficients V diag(g) VᵀY for the gains g
 * of {@link Gains}; the Cholesky side (t = ∞ with one regulariser, GP inference) is
 * {@link CholeskySolver}. Also the mean diagonal that relative ridges are scaled by.
 */
final class SpectralSolver {
    private final double[] lambda;
    /** V column-major: eigenvector i is v[i·n .. i·n + n) */
    private final double[] v;
    private final int n;

    private SpectralSolver(double[] lambda, double[] v) {
        this.lambda = lambda;
        this.v = v;
        this.n = lambda.length;
    }

    /**
     * @param s a decomposition with eigenvectors
     * @param what the matrix's name, to refuse one that is not positive semi-definite; null to
     *     clip negative eigenvalues to 0 without a check
     * @return the solver
     */
    static SpectralSolver of(KernelSpectrum s, String what) {
        if (what != null) {
            s.requirePositiveSemiDefinite(what);
        }
        double[] lambda = s.eigenvalues();
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = Math.max(lambda[i], 0.0);
        }
        return new SpectralSolver(lambda, s.vectorsColumnMajor());
    }

    /** As {@link #of(KernelSpectrum, String)} without the check, for a row-major Gram matrix. */
    static SpectralSolver of(double[][] g) {
        return of(KernelSpectrum.of(g, true), null);
    }

    /** @return the eigenvalues (decreasing, ≥ 0); the array itself */
    double[] lambda() {
        return lambda;
    }

    /** @return V column-major; the array itself */
    double[] vectors() {
        return v;
    }

    /** @return VᵀY, n×k column-major */
    double[] project(double[][] y) {
        return Lapack.gemm(true, false, n, y[0].length, n, v, Lapack.colMajor(y));
    }

    /**
     * @param vty VᵀY (n×k column-major, from {@link #project})
     * @param k columns
     * @param shift added to every eigenvalue (a ridge r: the gains of G + rI)
     * @param s the scaled time (+∞: ridge regression)
     * @return diag(g) VᵀY, n×k column-major
     */
    double[] scale(double[] vty, int k, double shift, double s) {
        double[] w = new double[n * k];
        for (int i = 0; i < n; i++) {
            double gi = Gains.flow(lambda[i] + shift, s);
            for (int c = 0; c < k; c++) {
                w[c * n + i] = gi * vty[c * n + i];
            }
        }
        return w;
    }

    /**
     * @return V diag(g) VᵀY, the coefficients α of the predictor f(X*) = G(X*, X) α (n×k rows)
     */
    double[][] coefficients(double[][] y, double shift, double s) {
        int k = y[0].length;
        return Lapack.rows(Lapack.gemm(false, false, n, k, n, v, scale(project(y), k, shift, s)), n, k);
    }

    /**
     * @param g a square matrix
     * @return the mean of its diagonal
     */
    static double meanDiagonal(double[][] g) {
        double s = 0;
        for (int i = 0; i < g.length; i++) {
            s += g[i][i];
        }
        return s / g.length;
    }

    /**
     * @param d values
     * @return their mean
     */
    static double mean(double[] d) {
        double s = 0;
        for (double x : d) {
            s += x;
        }
        return s / d.length;
    }
}
