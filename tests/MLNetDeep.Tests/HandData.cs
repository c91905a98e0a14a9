namespace MLNetDeep.Tests;

/// <summary>Small data sets whose metrics under the stand-in models are worked out by hand in the comments.</summary>
internal static class HandData
{
    // Stand-in: predicted class = the largest of the first three features (cat, dog, bird).
    // Rows 5, 7 and 9 are wrong: accuracy 7/10. Recall: cat 3/4, dog 2/3, bird 2/3.
    // Confusion (actual → predicted): cat → 3 cat, 1 dog; dog → 1 cat, 2 dog; bird → 1 dog, 2 bird.
    public static MulticlassRow[] Multiclass() =>
    [
        new() { Label = "cat", Features = [3, 1, 0, 9] },
        new() { Label = "dog", Features = [0, 2, 1, 9] },
        new() { Label = "bird", Features = [1, 0, 2, 9] },
        new() { Label = "cat", Features = [2, 1, 0, 0] },
        new() { Label = "cat", Features = [0, 3, 1, 0] },  // → dog
        new() { Label = "dog", Features = [1, 4, 0, 0] },
        new() { Label = "dog", Features = [5, 1, 0, 0] },  // → cat
        new() { Label = "bird", Features = [0, 1, 6, 0] },
        new() { Label = "bird", Features = [0, 7, 1, 0] }, // → dog
        new() { Label = "cat", Features = [4, 0, 1, 0] },
    ];

    // Stand-in: score = x0 − x1, predicted true when score > 0.
    // Rows 2 (false negative) and 4 (false positive) are wrong: accuracy 6/8; precision and recall 3/4.
    // AUC: of the 16 (positive, negative) score pairs, 14 are ordered right: 0.875.
    public static BinaryRow[] Binary() =>
    [
        new() { Label = true, Features = [3, 1] },     // 2
        new() { Label = true, Features = [1, 2] },     // −1
        new() { Label = false, Features = [0, 2] },    // −2
        new() { Label = false, Features = [2, 1] },    // 1
        new() { Label = true, Features = [4, 0] },     // 4
        new() { Label = false, Features = [1, 3] },    // −2
        new() { Label = true, Features = [2, 0.5f] },  // 1.5
        new() { Label = false, Features = [0, 0.5f] }, // −0.5
    ];

    // Stand-in: score = 2·x0 + x1 + 0.5. Errors 0.5, 0.5, 0.5, 1.5: MAE 0.75, MSE (3·0.25 + 2.25)/4 = 0.75.
    public static RegressionRow[] Regression() =>
    [
        new() { Label = 3, Features = [1, 0] },  // 2.5
        new() { Label = 5, Features = [1, 2] },  // 4.5
        new() { Label = 1, Features = [0, 0] },  // 0.5
        new() { Label = 9, Features = [3, 1] },  // 7.5
    ];

    /// <summary>Many rows with a fixed seed, for batching, persistence and parallel cursors.</summary>
    public static MulticlassRow[] ManyMulticlass(int count)
    {
        var random = new Random(7);
        string[] labels = ["cat", "dog", "bird"];
        return Enumerable.Range(0, count).Select(i => new MulticlassRow
        {
            Label = labels[i % 3],
            Features = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray(),
        }).ToArray();
    }
}
