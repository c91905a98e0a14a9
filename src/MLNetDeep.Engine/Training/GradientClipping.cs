using System.Numerics.Tensors;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>Gradient clipping, which keeps one bad mini-batch from throwing the weights far (exploding gradients).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Clips by global norm (Pascanu, Mikolov and Bengio 2013, Algorithm 1): when the L2 norm of all gradients taken
    /// together exceeds <paramref name="maxNorm"/>, every gradient is multiplied by <c>maxNorm / norm</c>, which keeps
    /// the direction of the step. Returns the norm before clipping. A non-finite norm (a NaN or infinite gradient)
    /// is returned with the gradients left as they are: scaling cannot repair them, and the caller should see it.
    /// </summary>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        HyperParameter.Positive(maxNorm, nameof(maxNorm));
        double sumOfSquares = 0;
        for (int p = 0; p < parameters.Count; p++)
            sumOfSquares += TensorPrimitives.SumOfSquares<float>(parameters[p].Gradient);
        double norm = Math.Sqrt(sumOfSquares);
        if (norm > maxNorm && double.IsFinite(norm))
        {
            float scale = (float)(maxNorm / norm);
            for (int p = 0; p < parameters.Count; p++)
            {
                float[] gradient = parameters[p].Gradient;
                TensorPrimitives.Multiply(gradient, scale, gradient);
            }
        }
        return norm;
    }
}
