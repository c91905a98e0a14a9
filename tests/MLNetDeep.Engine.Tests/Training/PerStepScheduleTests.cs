using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;
using static MLNetDeep.Engine.Tests.Training.NetworkTrainerTests;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>
/// Per-step schedules: the rate at chosen steps against the formulas (hand values, and PyTorch's OneCycleLR written
/// out here in double), the trainer asking before every step, and a resumed run getting the same rates and bits.
/// </summary>
public sealed class PerStepScheduleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-schedule-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertRate(double expected, float actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-6 * expected, $"expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(0, 0.025)]  // 0.1 * 1/4
    [InlineData(1, 0.05)]
    [InlineData(3, 0.1)]    // the last warm-up step reaches the base rate
    [InlineData(4, 0.1)]
    [InlineData(500, 0.1)]
    public void AWarmupOfFourStepsRisesLinearlyToTheBaseRate(long step, double expected) =>
        AssertRate(expected, new ConstantSchedule().WithWarmup(steps: 4).RateAtStep(step, (int)(step / 10), 10, 0.1f));

    [Theory]
    [InlineData(0, 0, 0.01)]   // two epochs of 5 steps: W = 10, rate (step + 1) / 10 of the base
    [InlineData(4, 0, 0.05)]
    [InlineData(9, 1, 0.1)]
    [InlineData(10, 2, 0.05)]  // then the step schedule's own: halved from epoch 2
    public void AWarmupInEpochsCountsTheRunsStepsAndThenFollowsTheWrappedSchedule(long step, int epoch, double expected) =>
        AssertRate(expected, new StepSchedule(2, 0.5f).WithWarmup(epochs: 2).RateAtStep(step, epoch, 5, 0.1f));

    [Fact]
    public void AWarmupMultipliesTheWrappedScheduleWithoutShiftingIt()
    {
        // Cosine over 10 epochs from 0.1 to 0, 10 steps an epoch, 20 warm-up steps: step 15 is epoch 1,
        // cosine 0.1 * (1 + cos(pi / 10)) / 2, times 16 / 20.
        var schedule = new CosineSchedule(10).WithWarmup(steps: 20);
        AssertRate(0.1 * (1 + Math.Cos(Math.PI / 10)) / 2 * 16 / 20, schedule.RateAtStep(15, 1, 10, 0.1f));
        AssertRate(0.1 * (1 + Math.Cos(Math.PI * 3 / 10)) / 2, schedule.RateAtStep(35, 3, 10, 0.1f));
    }

    /// <summary>torch.optim.lr_scheduler.OneCycleLR's _get_lr with its defaults (pct_start 0.3, cos, div 25, final div 1e4), in double.</summary>
    private static double PyTorchOneCycle(long step, long total, double maxRate)
    {
        double initial = maxRate / 25, min = initial / 1e4;
        (double End, double Start, double To)[] phases = [(0.3 * total - 1, initial, maxRate), (total - 1, maxRate, min)];
        double startStep = 0;
        for (int i = 0; i < phases.Length; i++)
        {
            if (step <= phases[i].End || i == phases.Length - 1)
            {
                double pct = (step - startStep) / (phases[i].End - startStep);
                return phases[i].To + (phases[i].Start - phases[i].To) / 2 * (Math.Cos(Math.PI * pct) + 1);
            }
            startStep = phases[i].End;
        }
        throw new InvalidOperationException();
    }

    [Theory]
    [InlineData(0, 0.004)]       // max / 25
    [InlineData(29, 0.1)]        // the end of the rise: 0.3 * 100 - 1
    [InlineData(64, 0.0500002)]  // half way down (35 of 70 steps): (0.1 + 4e-7) / 2
    [InlineData(99, 4e-7)]       // the last step: max / 25 / 1e4
    public void OneCycleAtHandChosenSteps(long step, double expected) =>
        AssertRate(expected, new OneCycleSchedule(totalSteps: 100).RateAtStep(step, 0, 0, 0.1f));

    [Fact]
    public void OneCycleFollowsPyTorchsOneCycleLrAtEveryStep()
    {
        var schedule = (OneCycleSchedule)new OneCycleSchedule().ForRun(epochs: 7, stepsPerEpoch: 13);
        Assert.Equal(91, schedule.TotalSteps);
        for (long step = 0; step < 91; step++)
            AssertRate(PyTorchOneCycle(step, 91, 0.003), schedule.RateAtStep(step, (int)(step / 13), 13, 0.003f));
    }

    [Fact]
    public void SchedulesThatCountStepsSayWhatTheyMiss()
    {
        Assert.Throws<InvalidOperationException>(() => new OneCycleSchedule().RateAtStep(0, 0, 10, 0.1f));
        Assert.Throws<InvalidOperationException>(() => new OneCycleSchedule().ForRun(5, stepsPerEpoch: 0));
        Assert.Throws<InvalidOperationException>(() => new ConstantSchedule().WithWarmup(epochs: 1).RateAtStep(0, 0, 0, 0.1f));
        Assert.Throws<InvalidOperationException>(() => new OneCycleSchedule(100).RateAt(0, 0.1f));
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule().WithWarmup()).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule().WithWarmup(steps: 3, epochs: 1)).ParamName);
        Assert.Equal("warmupFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleSchedule(warmupFraction: 1f)).ParamName);
    }

    /// <summary>Records every question the trainer asks, and answers with a rate that names the step.</summary>
    private sealed class RecordingSchedule : LearningRateSchedule
    {
        public List<(long Step, int Epoch, int StepsPerEpoch)> Asked { get; } = [];

        public override float RateAt(int epoch, float baseRate) => throw new InvalidOperationException("The trainer asks per step.");

        public override float RateAtStep(long step, int epoch, int stepsPerEpoch, float baseRate)
        {
            Asked.Add((step, epoch, stepsPerEpoch));
            return baseRate / (step + 1);
        }
    }

    private static InMemoryDataset Data(int n = 50)
    {
        var rng = new Rng(3);
        var x = Enumerable.Range(0, n * 4).Select(_ => rng.NextFloat(-1, 1)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => (float)(i % 3)).ToArray();
        return new InMemoryDataset(x, y, TensorShape.Vector(4));
    }

    [Fact]
    public void TheTrainerSetsTheRateBeforeEveryStep()
    {
        var schedule = new RecordingSchedule();
        var network = new Network(TensorShape.Vector(4), [new Dense(5), new Tanh(), new Dense(3)], new SoftmaxCrossEntropy(), seed: 2);
        var result = new NetworkTrainer(network, new Sgd(0.1f), new TrainerOptions { Epochs = 3, BatchSize = 16, Schedule = schedule }).Fit(Data());
        // 50 samples in batches of 16: 4 steps an epoch (16, 16, 16, 2).
        Assert.Equal(Enumerable.Range(0, 12).Select(s => ((long)s, s / 4, 4)), schedule.Asked);
        // The report gives the rate of the epoch's last step.
        Assert.Equal([0.1f / 4, 0.1f / 8, 0.1f / 12], result.History.Select(h => h.LearningRate));
    }

    [Fact]
    public void PerEpochSchedulesGiveEveryStepOfAnEpochTheEpochsRate()
    {
        var network = new Network(TensorShape.Vector(4), [new Dense(5), new Tanh(), new Dense(3)], new SoftmaxCrossEntropy(), seed: 2);
        var schedule = new StepSchedule(1, 0.5f);
        var result = new NetworkTrainer(network, new Sgd(0.1f), new TrainerOptions { Epochs = 3, BatchSize = 16, Schedule = schedule }).Fit(Data());
        Assert.Equal([0.1f, schedule.RateAt(1, 0.1f), schedule.RateAt(2, 0.1f)], result.History.Select(h => h.LearningRate));
    }

    private static NetworkTrainer NewTrainer(string? checkpoint) => new(
        new Network(TensorShape.Vector(4), [new Dense(8), new Relu(), new Dropout(0.2f), new Dense(3)], new SoftmaxCrossEntropy(), seed: 4),
        new Adam(0.01f),
        new TrainerOptions { Epochs = 4, BatchSize = 8, Seed = 9, Schedule = new OneCycleSchedule().WithWarmup(steps: 5), CheckpointPath = checkpoint });

    [Fact]
    public void ARunResumedFromItsCheckpointGetsTheSameRatesAndBits()
    {
        var data = Data(60);
        var straight = NewTrainer(null);
        var expected = straight.Fit(data);

        string path = Path.Combine(_directory, "run.ckpt");
        using var cts = new CancellationTokenSource();
        var stopAfterTwo = new SyncProgress<EpochReport>(r => { if (r.Epoch == 2) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => NewTrainer(path).Fit(data, progress: stopAfterTwo, cancellationToken: cts.Token));
        var resumed = NewTrainer(path);
        var result = resumed.Fit(data);

        Assert.Equal(2, result.ResumedAfterEpoch);
        Assert.Equal(expected.History.Select(h => h.LearningRate), result.History.Select(h => h.LearningRate));
        Assert.Equal(NetworkSerializer.ToBytes(straight.Network), NetworkSerializer.ToBytes(resumed.Network));
    }
}
