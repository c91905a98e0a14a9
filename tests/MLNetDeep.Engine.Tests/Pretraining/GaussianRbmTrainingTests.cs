using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Tensors;
using Xunit.Abstractions;

namespace MLNetDeep.Engine.Tests.Pretraining;

public class GaussianRbmTrainingTests(ITestOutputHelper output)
{
    /// <summary>Three clusters in 20 dimensions, each feature then standardised to mean 0 and variance 1.</summary>
    private static float[] StandardisedClusters(int count, int dims, ulong seed)
    {
        var rng = new Rng(seed);
        var centres = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, dims).Select(_ => 2f * rng.NextGaussian()).ToArray()).ToArray();
        var x = new float[count * dims];
        for (int i = 0; i < count; i++)
        {
            var c = centres[rng.NextInt(3)];
            for (int j = 0; j < dims; j++) x[i * dims + j] = c[j] + 0.5f * rng.NextGaussian();
        }
        for (int j = 0; j < dims; j++)
        {
            double mean = 0, sq = 0;
            for (int i = 0; i < count; i++) mean += x[i * dims + j];
            mean /= count;
            for (int i = 0; i < count; i++) sq += Math.Pow(x[i * dims + j] - mean, 2);
            double std = Math.Sqrt(sq / count);
            for (int i = 0; i < count; i++) x[i * dims + j] = (float)((x[i * dims + j] - mean) / std);
        }
        return x;
    }

    [Fact]
    public void GaussianRbmLearnsStandardisedRealData()
    {
        var data = StandardisedClusters(2000, 20, seed: 3);
        var rbm = new GaussianBernoulliRbm(20, 16, seed: 1);
        float before = rbm.ReconstructionError(data, 2000);
        var reports = new List<RbmEpochReport>();
        rbm.Train(data, new RbmTrainingOptions { Epochs = 10, LearningRate = 0.01f, BatchSize = 50, Seed = 2 }, new ReportCollector(reports, output));
        output.WriteLine($"before training: {before:F4}");
        // Untrained, the reconstruction is about b = 0, so the error is the data's variance, 1.
        Assert.Equal(1.0, before, 0.05);
        Assert.True(reports[^1].ReconstructionError < 0.5 * before, $"reconstruction error {before:F4} before, {reports[^1].ReconstructionError:F4} after");
    }

    [Fact]
    public void TrainingStopsWhenCancelled()
    {
        var data = StandardisedClusters(200, 20, seed: 3);
        using var cancel = new CancellationTokenSource();
        var reports = new List<RbmEpochReport>();
        var progress = new ReportCollector(reports);
        var stopAfterOne = new Progress(r => { progress.Report(r); cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new GaussianBernoulliRbm(20, 8).Train(data, new RbmTrainingOptions { Epochs = 5, LearningRate = 0.01f }, stopAfterOne, cancel.Token));
        Assert.Single(reports);
    }

    private sealed class Progress(Action<RbmEpochReport> report) : IProgress<RbmEpochReport>
    {
        public void Report(RbmEpochReport value) => report(value);
    }
}
