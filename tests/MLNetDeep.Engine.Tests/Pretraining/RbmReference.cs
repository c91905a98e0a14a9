namespace MLNetDeep.Engine.Tests.Pretraining;

/// <summary>
/// The RBM conditionals written out in double precision, loop by loop, with W indexed [hidden, visible]:
/// the tests' own computation of what the engine should produce.
/// </summary>
internal static class RbmReference
{
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    /// <summary>p(h_j = 1 | v) = sigmoid(c_j + Σ_i W[j, i] v_i), per row of a batch.</summary>
    public static double[,] HiddenProbabilities(double[,] v, double[,] w, double[] c)
    {
        int batch = v.GetLength(0), hidden = c.Length, visible = v.GetLength(1);
        var p = new double[batch, hidden];
        for (int r = 0; r < batch; r++)
            for (int j = 0; j < hidden; j++)
            {
                double x = c[j];
                for (int i = 0; i < visible; i++) x += w[j, i] * v[r, i];
                p[r, j] = Sigmoid(x);
            }
        return p;
    }

    /// <summary>E[v_i | h] = b_i + Σ_j h_j W[j, i], through the sigmoid for Bernoulli visible units.</summary>
    public static double[,] VisibleMeans(double[,] h, double[,] w, double[] b, bool gaussian)
    {
        int batch = h.GetLength(0), hidden = h.GetLength(1), visible = b.Length;
        var v = new double[batch, visible];
        for (int r = 0; r < batch; r++)
            for (int i = 0; i < visible; i++)
            {
                double x = b[i];
                for (int j = 0; j < hidden; j++) x += h[r, j] * w[j, i];
                v[r, i] = gaussian ? x : Sigmoid(x);
            }
        return v;
    }

    /// <summary>h = 1 where u &lt; p, reading u row after row.</summary>
    public static double[,] Sample(double[,] p, float[] uniforms, int offset)
    {
        int rows = p.GetLength(0), cols = p.GetLength(1);
        var h = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) h[r, j] = uniforms[offset + r * cols + j] < p[r, j] ? 1 : 0;
        return h;
    }

    /// <summary>Σ_r a[r, j] b[r, i]: the [hidden, visible] statistic of a batch.</summary>
    public static double[,] Outer(double[,] hidden, double[,] visible)
    {
        int batch = hidden.GetLength(0), h = hidden.GetLength(1), v = visible.GetLength(1);
        var s = new double[h, v];
        for (int r = 0; r < batch; r++)
            for (int j = 0; j < h; j++)
                for (int i = 0; i < v; i++) s[j, i] += hidden[r, j] * visible[r, i];
        return s;
    }

    /// <summary>Σ_r a[r, i].</summary>
    public static double[] ColumnSums(double[,] a)
    {
        var s = new double[a.GetLength(1)];
        for (int r = 0; r < a.GetLength(0); r++)
            for (int i = 0; i < s.Length; i++) s[i] += a[r, i];
        return s;
    }

    public static double[,] Matrix(float[] values, int rows, int cols)
    {
        var m = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m[r, c] = values[r * cols + c];
        return m;
    }

    public static double[] Vector(float[] values) => values.Select(x => (double)x).ToArray();
}
