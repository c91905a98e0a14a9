using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Pretraining;

namespace MLNetDeep.Tests.DeepBelief;

/// <summary>Bad inputs and options of DeepBeliefFeatures, each named in its exception.</summary>
public sealed class DeepBeliefErrorTests
{
    private readonly MLContext _ml = new(seed: 1);

    public sealed class Row
    {
        public float Label { get; set; }

        [VectorType(3)]
        public float[] Pixels { get; set; } = [];

        public float Other { get; set; }
    }

    private IDataView Rows(params float[][] pixels) =>
        _ml.Data.LoadFromEnumerable(pixels.Select(p => new Row { Label = 1, Pixels = p, Other = 1 }).ToList());

    private IDataView Good() => Rows([0, 1, 0.5f], [1, 0, 0.2f], [0.3f, 0.3f, 0.3f]);

    private DeepBeliefFeaturesEstimator Dbn(string input) =>
        _ml.Transforms.DeepBeliefFeatures("Hidden", input, [2], new PretrainingOptions { Epochs = 1 });

    [Fact]
    public void MissingInputColumn()
    {
        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => Dbn("Image").Fit(Good()));
        Assert.Contains("'Image'", fit.Message);
        var schema = Assert.Throws<ArgumentOutOfRangeException>(() => Dbn("Image").GetOutputSchema(Shapes.Of(Good().Schema)));
        Assert.Contains("'Image'", schema.Message);
    }

    [Fact]
    public void InputColumnOfTheWrongType()
    {
        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => Dbn("Other").Fit(Good()));
        Assert.Contains("'Other'", fit.Message);
        Assert.Contains("vector of Single", fit.Message);
        var schema = Assert.Throws<ArgumentOutOfRangeException>(() => Dbn("Other").GetOutputSchema(Shapes.Of(Good().Schema)));
        Assert.Contains("'Other'", schema.Message);
    }

    [Fact]
    public void InputColumnOfTheWrongSizeAtTransform()
    {
        var transformer = Dbn("Pixels").Fit(Good());
        var wide = _ml.Data.LoadFromEnumerable(new[] { new Wide { Pixels = [1, 2, 3, 4] } });
        var e = Assert.ThrowsAny<ArgumentException>(() => transformer.Transform(wide));
        Assert.Contains("'Pixels'", e.Message);
        Assert.Contains("size 3", e.Message);
    }

    public sealed class Wide
    {
        [VectorType(4)]
        public float[] Pixels { get; set; } = [];
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteInputInTraining(float bad)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Dbn("Pixels").Fit(Rows([0, 1, 0], [1, bad, 0])));
        Assert.Contains("'Pixels'", e.Message);
        Assert.Contains("Row 1", e.Message);
    }

    [Fact]
    public void InvalidSizesAndOptionsAreNamed()
    {
        Assert.Equal("hiddenLayerSizes", Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.DeepBeliefFeatures("H", "Pixels", [4, 0])).ParamName);
        Assert.Equal("hiddenLayerSizes", Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.DeepBeliefFeatures("H", "Pixels", [])).ParamName);
        Assert.Equal("CdSteps", Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.DeepBeliefFeatures("H", "Pixels", [4], new PretrainingOptions { CdSteps = 0 })).ParamName);
    }
}
