using System.Numerics.Tensors;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// The max-norm constraint of Srebro and Shraibman (2005), used with dropout by Hinton et al. (2012) and
/// Srivastava et al. (2014, section 5.1): after each update, the vector of incoming weights of each unit is
/// projected back onto the ball of radius <c>maxNorm</c>, which bounds the weights without a penalty and so lets
/// dropout training use large learning rates.
/// </summary>
public static class MaxNormConstraint
{
    /// <summary>
    /// Rescales each row of each weight parameter (one unit's incoming weights, since weights are stored
    /// <c>[outputs, inputs]</c>; for a convolution, one filter) whose L2 norm exceeds <paramref name="maxNorm"/> to norm
    /// <paramref name="maxNorm"/>. Biases are left alone, and so is a row whose norm is not finite. Returns how many rows
    /// were rescaled.
    /// </summary>
    public static int Apply(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        HyperParameter.Positive(maxNorm, nameof(maxNorm));
        int rescaled = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter parameter = parameters[p];
            if (!parameter.IsWeight) continue;
            for (int r = 0; r < parameter.Rows; r++)
            {
                Span<float> row = parameter.Value.AsSpan(r * parameter.Cols, parameter.Cols);
                double norm = Math.Sqrt(TensorPrimitives.SumOfSquares<float>(row));
                if (norm > maxNorm && double.IsFinite(norm))
                {
                    TensorPrimitives.Multiply(row, (float)(maxNorm / norm), row);
                    rescaled++;
                }
            }
        }
        return rescaled;
    }
}
