using System.Runtime.Intrinsics;
using MLNetDeep.Datasets;
using MLNetDeep.Engine.Kernels;

/// <summary>
/// How much of the MLP's two largest products a kernel could skip for zero pixels without changing
/// a bit: in X W1ᵀ, the steps k of a micro-tile whose rows of X (its samples) are all zero at
/// pixel k; in dW1 = dY1ᵀ X, the steps k (samples) whose pixels in the tile's columns are all
/// zero. Counted over the training set's batches of 128 in file order.
/// </summary>
internal static class ZeroTiles
{
    public static void Run(string directory)
    {
        var pixels = IdxFile.ReadImages(Path.Combine(directory, "train-images-idx3-ubyte.gz")).Pixels;
        // The AVX2 path's micro-tile (6 x 16).
        int rows = GemmMicroKernel<Vector256Ops, Vector256<float>>.Rows, columns = GemmMicroKernel<Vector256Ops, Vector256<float>>.Columns, batch = 128, inputs = 784;
        long forwardSteps = 0, all = 0, forwardZero = 0, gradientSteps = 0, gradientZero = 0, nonZero = 0;
        for (int first = 0; first + batch <= pixels.Length / inputs; first += batch)
        {
            // Whether the block of samples [s0, s1) by pixels [p0, p1) is all zero.
            bool AllZero(int s0, int s1, int p0, int p1)
            {
                for (int s = s0; s < s1; s++)
                    for (int p = p0; p < p1; p++)
                        if (pixels[(first + s) * inputs + p] != 0) return false;
                return true;
            }
            for (int s = 0; s < batch; s++)
                for (int p = 0; p < inputs; p++, all++) nonZero += AllZero(s, s + 1, p, p + 1) ? 0 : 1;
            for (int panel = 0; panel < batch; panel += rows)
                for (int p = 0; p < inputs; p++, forwardSteps++) forwardZero += AllZero(panel, Math.Min(batch, panel + rows), p, p + 1) ? 1 : 0;
            for (int panel = 0; panel < inputs; panel += columns)
                for (int s = 0; s < batch; s++, gradientSteps++) gradientZero += AllZero(s, s + 1, panel, Math.Min(inputs, panel + columns)) ? 1 : 0;
        }
        Console.WriteLine($"Micro-tile {rows} x {columns}; pixels non-zero: {(double)nonZero / all:P1}");
        Console.WriteLine($"X W1ᵀ: steps whose {rows} samples are all zero at the pixel: {(double)forwardZero / forwardSteps:P1}");
        Console.WriteLine($"dW1 = dY1ᵀ X: steps whose sample is zero at all {columns} pixels of the tile: {(double)gradientZero / gradientSteps:P1}");
    }
}
