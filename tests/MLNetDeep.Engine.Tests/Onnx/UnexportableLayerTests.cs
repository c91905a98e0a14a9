using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Onnx;

/// <summary>A layer or loss with no ONNX form stops the export with an exception naming it, and nothing is written.</summary>
public sealed class UnexportableLayerTests
{
    [Fact]
    public void ALayerWithoutAnOnnxFormIsNamedAndNothingIsWritten()
    {
        var network = new Network(TensorShape.Vector(4), [new Dense(3), new Doubling(), new Dense(2)], new SoftmaxCrossEntropy());
        using var stream = new MemoryStream();

        var e = Assert.Throws<NotSupportedException>(() => network.ExportOnnx(stream));

        Assert.Contains("Doubling()", e.Message);
        Assert.Contains("Layer 1", e.Message);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void ALossWithoutAnOnnxFormIsNamedUnlessTheRawOutputsAreAsked()
    {
        var network = new Network(TensorShape.Vector(4), [new Dense(2)], new HalvedSquaredError());
        using var stream = new MemoryStream();

        var e = Assert.Throws<NotSupportedException>(() => network.ExportOnnx(stream));
        Assert.Contains(nameof(HalvedSquaredError), e.Message);
        Assert.Equal(0, stream.Length);

        network.ExportOnnx(stream, activate: false);
        Assert.True(stream.Length > 0);
    }

    /// <summary>A layer from outside the engine, which cannot have an ONNX form.</summary>
    private sealed class Doubling : Layer
    {
        protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder) => inputShape;

        public override Tensor Forward(Tensor input, bool training, ComputeContext compute) => input;

        public override Tensor Backward(Tensor gradOutput, ComputeContext compute) => gradOutput;

        public override string ToString() => "Doubling()";
    }

    private sealed class HalvedSquaredError : Loss
    {
        private readonly MeanSquaredError _inner = new();

        public override int TargetSize(int outputSize) => outputSize;

        public override float Compute(Tensor output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, Tensor? gradient) =>
            _inner.Compute(output, targets, weights, gradient) / 2;

        public override void Activate(Span<float> outputs, int batch, int width) { }

        public override int CountCorrect(Tensor output, ReadOnlySpan<float> targets) => -1;

        public override string ToString() => nameof(HalvedSquaredError);
    }
}
