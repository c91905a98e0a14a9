using Microsoft.ML;

namespace MLNetDeep.Tests;

public class SchemaErrorTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void AMissingFeaturesColumnIsNamed()
    {
        NetworkPredictionTransformer transformer = NetworkPredictionTransformer.CreateRegression(_ml, StandIn.Regression(), "Pixels");
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Regression());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Transform(data));

        Assert.Contains("Features column 'Pixels' was not found", error.Message);
        Assert.Contains("known-size vector of Single of size 2", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => transformer.GetOutputSchema(data.Schema));
    }

    [Fact]
    public void AFeaturesColumnOfTheWrongSizeIsNamedWithWhatWasFound()
    {
        NetworkPredictionTransformer transformer = NetworkPredictionTransformer.CreateMulticlass(_ml, StandIn.ThreeClasses(), "Features", null);
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Regression()); // two features, the network wants four

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.GetRowToRowMapper(data.Schema));

        Assert.Contains("Features column 'Features' must be a known-size vector of Single of size 4; found Vector<Single, 2>", error.Message);
    }

    [Fact]
    public void ANetworkWhoseOutputsDoNotFitTheTaskIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkPredictionTransformer.CreateBinary(_ml, StandIn.ThreeClasses(), "Features"));

        Assert.Contains("1 outputs", error.Message);
    }
}
