namespace MLNetDeep.Engine.Training;

/// <summary>
/// A validation split that keeps each class's share: the held-out samples of a class are as many as its share
/// of the training set says (largest remainders settle the rounding), so that a rare class is neither left out
/// of validation nor over-represented in it. Used when <see cref="TrainerOptions.StratifyValidationSplit"/> is set.
/// </summary>
internal static class StratifiedSplit
{
    /// <summary>The most distinct target values stratification accepts: beyond it the targets are not classes.</summary>
    public const int MaxStrata = 1_000_000;

    /// <summary>Each sample's stratum: the index of its target value among the distinct values, in increasing order.</summary>
    /// <exception cref="ArgumentException">The targets are not one value per sample, or take too many values to be classes.</exception>
    public static int[] Strata(Dataset data)
    {
        if (data.TargetSize != 1)
            throw new ArgumentException($"A stratified split needs one class value per sample; the data has {data.TargetSize} targets per sample.", nameof(data));
        var values = new float[data.Count];
        Span<float> target = stackalloc float[1];
        for (int i = 0; i < values.Length; i++)
        {
            data.ReadTargets(i, target);
            values[i] = target[0];
        }
        var distinct = values.Distinct().Order().ToArray();
        if (distinct.Length > MaxStrata)
            throw new ArgumentException($"A stratified split needs classes; the targets take {distinct.Length} distinct values.", nameof(data));
        var index = new Dictionary<float, int>(distinct.Length);
        for (int i = 0; i < distinct.Length; i++) index[distinct[i]] = i;
        return values.Select(v => index[v]).ToArray();
    }

    /// <summary>
    /// Splits <paramref name="shuffled"/> (a permutation of the samples) into training and validation samples,
    /// <paramref name="held"/> of them held out, each class giving its last members in the permutation. Both
    /// parts keep the permutation's order.
    /// </summary>
    public static (int[] Train, int[] Valid) HoldOut(int[] shuffled, int[] strata, int held)
    {
        int classes = strata.Length == 0 ? 0 : strata.Max() + 1;
        var counts = new int[classes];
        foreach (int s in strata) counts[s]++;
        var quota = new int[classes];
        var remainders = new (double Fraction, int Class)[classes];
        int given = 0;
        for (int c = 0; c < classes; c++)
        {
            double exact = (double)held * counts[c] / strata.Length;
            quota[c] = (int)Math.Floor(exact);
            given += quota[c];
            remainders[c] = (exact - quota[c], c);
        }
        // Largest remainders first; equal ones go to the lower class index, so the split is the same every run.
        foreach (var (_, c) in remainders.OrderByDescending(r => r.Fraction).ThenBy(r => r.Class).Take(held - given))
            quota[c]++;

        var isHeld = new bool[shuffled.Length];
        var taken = new int[classes];
        for (int k = shuffled.Length - 1; k >= 0; k--)
        {
            int s = strata[shuffled[k]];
            if (taken[s] < quota[s])
            {
                taken[s]++;
                isHeld[k] = true;
            }
        }
        var train = new int[shuffled.Length - held];
        var valid = new int[held];
        int t = 0, v = 0;
        for (int k = 0; k < shuffled.Length; k++)
        {
            if (isHeld[k]) valid[v++] = shuffled[k];
            else train[t++] = shuffled[k];
        }
        return (train, valid);
    }
}
