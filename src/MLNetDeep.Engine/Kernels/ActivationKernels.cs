using System.Numerics;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Element-wise forward and backward passes of the activation functions. Whatever
/// <see cref="TensorPrimitives"/> offers is used as is; the conditional ones (ReLU family, ELU)
/// are written with <see cref="Vector{T}"/> because TensorPrimitives has no element-wise select.
/// </summary>
internal static class ActivationKernels
{
    /// <summary>y = 1 / (1 + e^-x).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sigmoid(x, y);

    /// <summary>dx = dy * y * (1 - y), from the forward output y.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        TensorPrimitives.Subtract(1f, y, dx);   // 1 - y
        TensorPrimitives.Multiply(dx, y, dx);   // y (1 - y)
        TensorPrimitives.Multiply(dx, dy, dx);
    }

    /// <summary>y = tanh(x).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);

    /// <summary>dx = dy * (1 - y^2), from the forward output y.</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        TensorPrimitives.Multiply(y, y, dx);
        TensorPrimitives.Subtract(1f, dx, dx);
        TensorPrimitives.Multiply(dx, dy, dx);
    }

    /// <summary>y = max(0, x); large arrays are shared among <paramref name="compute"/>'s threads.</summary>
    public static void Relu(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => LeakyRelu(compute, x, y, 0f);

    /// <summary>dx = dy where x &gt; 0, else 0 (the subgradient at 0 is taken as 0).</summary>
    public static void ReluBackward(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) => LeakyReluBackward(compute, x, dy, dx, 0f);

    /// <summary>y = x where x &gt; 0, else alpha * x; large arrays are shared among <paramref name="compute"/>'s threads.</summary>
    public static unsafe void LeakyRelu(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        CheckLengths(x.Length, y.Length);
        if (x.Length < ElementwiseJob.ParallelThreshold)
        {
            LeakyReluRange(x, y, alpha);
            return;
        }
        fixed (float* px = x, py = y)
            ElementwiseJob.ForCurrentThread.Run(compute.Pool, ElementwiseJob.Operation.LeakyRelu, px, null, py, x.Length, alpha);
    }

    /// <summary>dx = dy where x &gt; 0, else alpha * dy; large arrays are shared among <paramref name="compute"/>'s threads.</summary>
    public static unsafe void LeakyReluBackward(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        CheckLengths(x.Length, dy.Length, dx.Length);
        if (x.Length < ElementwiseJob.ParallelThreshold)
        {
            LeakyReluBackwardRange(x, dy, dx, alpha);
            return;
        }
        fixed (float* px = x, pdy = dy, pdx = dx)
            ElementwiseJob.ForCurrentThread.Run(compute.Pool, ElementwiseJob.Operation.LeakyReluBackward, px, pdy, pdx, x.Length, alpha);
    }

    /// <summary><see cref="LeakyRelu"/> on the calling thread. With alpha 0 it is max(0, x), -0 and NaN included.</summary>
    internal static void LeakyReluRange(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        if (alpha == 0)
        {
            TensorPrimitives.Max(x, 0f, y);
            return;
        }
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        var a = new Vector<float>(alpha);
        for (int i = 0; i < xv.Length; i++)
            yv[i] = Vector.ConditionalSelect(Vector.GreaterThan(xv[i], Vector<float>.Zero), xv[i], xv[i] * a);
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            y[i] = x[i] > 0 ? x[i] : alpha * x[i];
    }

    /// <summary><see cref="LeakyReluBackward"/> on the calling thread.</summary>
    internal static void LeakyReluBackwardRange(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dx);
        var a = new Vector<float>(alpha);
        for (int i = 0; i < xv.Length; i++)
            dv[i] = Vector.ConditionalSelect(Vector.GreaterThan(xv[i], Vector<float>.Zero), gv[i], gv[i] * a);
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            dx[i] = x[i] > 0 ? dy[i] : alpha * dy[i];
    }

    /// <summary>y = x where x &gt; 0, else alpha * (e^x - 1).</summary>
    public static void Elu(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        CheckLengths(x.Length, y.Length);
        TensorPrimitives.Min(x, 0f, y);          // exp of the negative part only: never overflows
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Subtract(y, 1f, y);
        TensorPrimitives.Multiply(y, alpha, y);
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (int i = 0; i < xv.Length; i++)
            yv[i] = Vector.ConditionalSelect(Vector.GreaterThan(xv[i], Vector<float>.Zero), xv[i], yv[i]);
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            if (x[i] > 0) y[i] = x[i];
    }

    /// <summary>dx = dy where x &gt; 0, else dy * (y + alpha), using y = alpha (e^x - 1).</summary>
    public static void EluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dx);
        var a = new Vector<float>(alpha);
        for (int i = 0; i < xv.Length; i++)
            dv[i] = Vector.ConditionalSelect(Vector.GreaterThan(xv[i], Vector<float>.Zero), gv[i], gv[i] * (yv[i] + a));
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + alpha);
    }

    /// <summary>Row-wise softmax of <paramref name="rows"/> rows of <paramref name="width"/>, stable (the row maximum is subtracted first).</summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int rows, int width)
    {
        // TensorPrimitives.SoftMax does not subtract the maximum, so e^1000 overflows there.
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * width, width);
            TensorPrimitives.Divide(yr, ShiftedExp(x.Slice(r * width, width), yr, out _), yr);
        }
    }

    /// <summary>
    /// The first half of one row's softmax: y = e^(x - max x). Returns their sum, which the softmax divides by (and
    /// whose log a cross-entropy adds to <paramref name="max"/>), so a loss computed beside the softmax shares its bits.
    /// </summary>
    public static float ShiftedExp(ReadOnlySpan<float> x, Span<float> y, out float max)
    {
        max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        return TensorPrimitives.Sum(y);
    }

    /// <summary>Softmax backward per row: dx = y * (dy - sum(dy * y)).</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int width)
    {
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * width, width);
            var dyr = dy.Slice(r * width, width);
            var dxr = dx.Slice(r * width, width);
            float dot = TensorPrimitives.Dot(yr, dyr);
            TensorPrimitives.Subtract(dyr, dot, dxr);
            TensorPrimitives.Multiply(dxr, yr, dxr);
        }
    }

    /// <summary>
    /// Maxout over groups of <paramref name="pieces"/> consecutive inputs: y[u] = max_j x[u*k + j].
    /// Records the winning input index per output for the backward pass.
    /// </summary>
    public static void Maxout(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int pieces)
    {
        if (x.Length != y.Length * pieces || argmax.Length < y.Length)
            throw new ArgumentException($"Maxout with {pieces} pieces needs {y.Length * pieces} inputs for {y.Length} outputs; got {x.Length}.");
        for (int u = 0; u < y.Length; u++)
        {
            int best = u * pieces;
            float max = x[best];
            for (int j = best + 1; j < (u + 1) * pieces; j++)
                if (x[j] > max) { max = x[j]; best = j; }
            y[u] = max;
            argmax[u] = best;
        }
    }

    /// <summary>Routes each output gradient to the input that won the maximum; the others get 0.</summary>
    public static void MaxoutBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        dx.Clear();
        for (int u = 0; u < dy.Length; u++) dx[argmax[u]] = dy[u];
    }

    internal static void CheckLengths(int first, params ReadOnlySpan<int> others)
    {
        foreach (int length in others)
            if (length != first) throw new ArgumentException($"Spans must have equal lengths; got {first} and {length}.");
    }
}
