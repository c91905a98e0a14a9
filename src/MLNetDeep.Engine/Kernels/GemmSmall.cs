namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Products too small to pay for packing: one dot product an element, straight from the
/// operands. Also the rule for the degenerate cases (k = 0 or alpha = 0): C = beta * C.
/// </summary>
internal static unsafe class GemmSmall
{
    /// <summary>At or below this many multiply-adds, packing and tile set-up cost more than they save.</summary>
    public const long Threshold = 2048;

    /// <summary>
    /// Computes the product with each element summed exactly as the packed path sums it: the same
    /// blocks of k, a multiply-add chain from zero within each block (fused on the vector paths,
    /// as their micro-kernels are), then alpha and beta applied as the micro-kernel stores them.
    /// So an element's bits do not depend on whether its product was small: a row scored alone
    /// and the same row inside a batch agree.
    /// </summary>
    public static void Multiply(in GemmOperands g, bool fused)
    {
        int kcMax = GemmBlocking.KBlock(g.K, GemmDriver<GemmMicroKernel<Vector512Ops, System.Runtime.Intrinsics.Vector512<float>>>.Kc);
        for (int i = 0; i < g.M; i++)
        {
            float* c = g.C + (long)i * g.Ldc;
            for (int j = 0; j < g.N; j++)
            {
                for (int pc = 0; pc < g.K; pc += kcMax)
                {
                    int end = Math.Min(g.K, pc + kcMax);
                    float sum = 0;
                    if (fused)
                    {
                        for (int p = pc; p < end; p++) sum = MathF.FusedMultiplyAdd(g.OpA(i, p), g.OpB(p, j), sum);
                    }
                    else
                    {
                        for (int p = pc; p < end; p++) sum = float.MultiplyAddEstimate(g.OpA(i, p), g.OpB(p, j), sum);
                    }
                    float beta = pc == 0 ? g.Beta : 1f;
                    c[j] = beta == 0 ? sum * g.Alpha : sum * g.Alpha + c[j] * beta;
                }
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
