namespace MLNetDeep.Tests;

/// <summary>
/// The stand-in for a trained network: a fixed affine map (the library's AffineScorer), so that every
/// expected number in the tests can be worked out by hand.
/// </summary>
internal static class StandIn
{
    /// <summary>Model parameters for outputs = W · features + b (W row-major, outputs × inputs).</summary>
    public static NetworkModelParameters Model(int inputSize, float[] weights, float[] bias) =>
        new(AffineScorerFactory.CreatePayload(inputSize, weights, bias), new AffineScorerFactory());

    /// <summary>Class k's score is feature k (k = 0, 1, 2); the fourth feature is ignored.</summary>
    public static NetworkModelParameters ThreeClasses() => Model(4,
        [1, 0, 0, 0,
         0, 1, 0, 0,
         0, 0, 1, 0],
        [0, 0, 0]);

    /// <summary>Score = x0 − x1.</summary>
    public static NetworkModelParameters Binary() => Model(2, [1, -1], [0]);

    /// <summary>Score = 2·x0 + x1 + 0.5.</summary>
    public static NetworkModelParameters Regression() => Model(2, [2, 1], [0.5f]);
}
