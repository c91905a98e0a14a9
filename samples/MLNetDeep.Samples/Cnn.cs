// The course's lab-11: a convolutional network on the digits. Two 3x3 convolutions with
// max-pooling see strokes wherever they are in the image, where a dense layer sees pixels at
// fixed places; on MNIST the course reached 98.85% with this design (and 99.38% deeper). The third
// and fourth networks are the same two stages as built today: batch normalisation, random shifts, label
// smoothing and a one-cycle schedule, the fourth with a residual block.
using Microsoft.ML;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Cnn
{
    /// <summary>Conv 32 3x3 - max-pool 2 - conv 64 3x3 - max-pool 2 - dropout 0.3 - softmax: lab-11's network.</summary>
    public static DeepNetOptions Options(int epochs) => new()
    {
        Layers = [DeepNetLayer.Conv2D(32, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Conv2D(64, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Dropout(0.3f)],
        Initializer = InitializerKind.He, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, Epochs = epochs, BatchSize = 100, Seed = 1,
    };

    /// <summary>
    /// A modern CNN of the same two stages: each convolution (its ReLU fused in) followed by max-pooling and batch
    /// normalisation, then a dense layer of 256, dropout 0.4 and softmax; trained with label smoothing 0.1 and a
    /// one-cycle schedule up to 0.003, on random shifts of up to 2 pixels for digits and on left-right flips alone for
    /// clothes (<paramref name="clothes"/>: a garment flipped is still that garment, and Fashion-MNIST's garments are
    /// centred). Normalising after the pooling rather than before it normalises a quarter of the values: about 2,300
    /// samples a second on two cores, where <see cref="ResidualOptions"/> trains at 1,150.
    /// </summary>
    public static DeepNetOptions ModernOptions(int epochs, bool clothes = false) => new()
    {
        Layers =
        [
            Convolution(32), DeepNetLayer.MaxPool(2), DeepNetLayer.BatchNorm(),
            Convolution(64), DeepNetLayer.MaxPool(2), DeepNetLayer.BatchNorm(),
            DeepNetLayer.Dense(256), DeepNetLayer.Dropout(0.4f),
        ],
        Initializer = InitializerKind.He, Optimizer = OptimizerKind.Adam, LearningRate = 3e-3f, LearningRateSchedule = new OneCycleSchedule(),
        LabelSmoothing = 0.1f, Augmentation = clothes ? new ImageAugmentation { MaxShift = 0, HorizontalFlip = true } : new ImageAugmentation { MaxShift = 2 },
        Epochs = epochs, BatchSize = 128, Seed = 1,
    };

    /// <summary>
    /// A residual CNN: each convolution followed by batch normalisation and then its ReLU, a residual block of two
    /// convolutions between the two stages, trained as <see cref="ModernOptions"/> on the digits (shifts of up to 2
    /// pixels, label smoothing 0.1, one-cycle up to 0.003). Three convolutions at full channel count and normalisation
    /// before pooling make it half as fast for no more accuracy here.
    /// </summary>
    public static DeepNetOptions ResidualOptions(int epochs) => new()
    {
        Layers =
        [
            LinearConvolution(32), DeepNetLayer.BatchNorm(), DeepNetLayer.Activation(ActivationKind.ReLU), DeepNetLayer.MaxPool(2),
            DeepNetLayer.Residual(LinearConvolution(32), DeepNetLayer.BatchNorm(), DeepNetLayer.Activation(ActivationKind.ReLU), LinearConvolution(32), DeepNetLayer.BatchNorm()),
            DeepNetLayer.Activation(ActivationKind.ReLU),
            LinearConvolution(64), DeepNetLayer.BatchNorm(), DeepNetLayer.Activation(ActivationKind.ReLU), DeepNetLayer.MaxPool(2), DeepNetLayer.Dropout(0.3f),
        ],
        Initializer = InitializerKind.He, Optimizer = OptimizerKind.Adam, LearningRate = 3e-3f, LearningRateSchedule = new OneCycleSchedule(),
        LabelSmoothing = 0.1f, Augmentation = new ImageAugmentation { MaxShift = 2 },
        Epochs = epochs, BatchSize = 128, Seed = 1,
    };

    /// <summary>A 3x3 convolution with ReLU keeping the image's size.</summary>
    private static DeepNetLayer Convolution(int filters) => DeepNetLayer.Conv2D(filters, 3, ConvPadding.Same);

    /// <summary>A 3x3 convolution keeping the image's size, without its own activation: batch normalisation comes between.</summary>
    private static DeepNetLayer LinearConvolution(int filters) => DeepNetLayer.Conv2D(filters, 3, ConvPadding.Same, activation: ActivationKind.Identity);

    /// <summary>The modern CNN's target on the embedded digits, as a test accuracy.</summary>
    public const double ModernTarget = 0.99;

    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, description) = context.Quick ? Digits.Load(ml, context, 600, 300) : Digits.Load(ml, context);
        AnsiConsole.MarkupLine(Markup.Escape(description));
        int epochs = context.Quick ? 2 : 15;

        var rows = new List<(string Name, DeepNetOptions Options)>
        {
            ("MLP 784-256-256-10 (lab-10, Xavier)", new DeepNetOptions { HiddenLayers = [256, 256], Initializer = InitializerKind.Xavier, Epochs = epochs, BatchSize = 100, Seed = 1 }),
            ("CNN conv32-pool-conv64-pool (lab-11)", Options(epochs)),
            ("modern CNN: batch norm, shifts, label smoothing", ModernOptions(epochs)),
            ("residual CNN: batch norm, a residual block", ResidualOptions(epochs)),
        };
        var table = new Table().AddColumns("network", "test accuracy", "training samples/s", "training time");
        var accuracies = new List<double>();
        for (int i = 0; i < rows.Count; i++)
        {
            var options = rows[i].Options;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (trainer, model) = TrainingProgress.Show(rows[i].Name, progress =>
            {
                options.Progress = progress;
                var deepNet = ml.MulticlassClassification.Trainers.DeepNet(options);
                return (deepNet, ml.Transforms.Conversion.MapValueToKey("Label").Append(deepNet).Fit(train));
            });
            double seconds = watch.Elapsed.TotalSeconds;
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            var history = trainer.LastTrainingResult!.History;
            table.AddRow(Markup.Escape(rows[i].Name), $"{metrics.MicroAccuracy:P2}", $"{history[^1].SamplesPerSecond:F0}", $"{seconds:F1} s");
            accuracies.Add(metrics.MicroAccuracy);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[dim]The course (TensorFlow, full MNIST): lab-11 CNN 98.85%, deeper CNN 99.38%.[/]");
        // The CNN's training loss stays above the MLP's (dropout, fewer weights) while its test
        // accuracy is higher: the chart shows what matters, accuracy on digits neither has seen.
        var plot = Charts.New($"Test accuracy after {epochs} epochs: {description}", "", "test accuracy");
        plot.Add.Bars(accuracies.Select((a, i) => new ScottPlot.Bar { Position = i, Value = a, FillColor = Charts.ColorAt(i), Label = $"{a:P2}" }).ToList());
        plot.Axes.Bottom.SetTicks([0, 1, 2, 3], ["MLP 784-256-256-10\n(lab-10)", "CNN conv32-conv64\n(lab-11)", "modern CNN\n(batch norm)", "residual CNN\n(batch norm)"]);
        plot.Axes.SetLimitsY(Math.Floor(accuracies.Min() * 20) / 20 - 0.05, 1.0);
        Charts.Save(plot, context.ChartPath("cnn.png"));
        int lab11 = Claim.Check(accuracies[1] > accuracies[0], "the CNN's test accuracy is above the MLP's", $"{accuracies[1]:P2} against {accuracies[0]:P2}");
        const string modernClaim = "the modern CNN reaches 99.0 % test accuracy on the embedded digits";
        int modern = context.Quick || context.DataDirectory is not null
            ? Claim.Skipped(modernClaim, $"it reached {accuracies[2]:P2} here, on other rows or fewer epochs than the claim is made for")
            : Claim.Check(accuracies[2] >= ModernTarget, modernClaim, $"{accuracies[2]:P2}");
        return Claim.All(lab11, modern);
    }
}
