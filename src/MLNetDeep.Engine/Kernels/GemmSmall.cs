namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Products too small to pay for packing: one dot product an element, straight from the
/// operands. Also the rule for the degenerate cases (k = 0 or alpha = 0): C = beta * C.
/// </summary>
internal static unsafe class GemmSmall
{
    /// <summary>At or below this many multiply-adds, packing and tile set-up cost more than they save.</summary>
    public const long Threshold = 2048;

    public static void Multiply(in GemmOperands g)
    {
        for (int i = 0; i < g.M; i++)
        {
            float* c = g.C + (long)i * g.Ldc;
            for (int j = 0; j < g.N; j++)
            {
                float sum = 0;
                for (int p = 0; p < g.K; p++) sum += g.OpA(i, p) * g.OpB(p, j);
                c[j] = g.Beta == 0 ? sum * g.Alpha : sum * g.Alpha + c[j] * g.Beta;
            }
        }
    }

    /// <summary>C = beta * C, with beta = 0 writing zeros without reading C (NaN does not survive).</summary>
    public static void Scale(in GemmOperands g)
    {
        if (g.Beta == 1) return;
        for (int i = 0; i < g.M; i++)
        {
            var row = new Span<float>(g.C + (long)i * g.Ldc, g.N);
            if (g.Beta == 0) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, g.Beta, row);
        }
    }
}
