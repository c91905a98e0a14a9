using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Gradients;

namespace MLNetDeep.Engine.Tests.Layers;

public class FlattenTests
{
    [Fact]
    public void ImagesBecomeVectorsWithTheSameValues()
    {
        var flatten = new Flatten();
        Assert.Equal(TensorShape.Vector(70), flatten.Initialize(TensorShape.Image(2, 7, 5), new Rng(1)));
        var values = Direct.Random(3 * 70, 5);
        var y = flatten.Forward(new Tensor((float[])values.Clone(), 3, flatten.InputShape), training: true);
        Assert.Equal(TensorShape.Vector(70), y.SampleShape);
        Assert.Equal(3, y.Batch);
        Assert.Equal(values, y.Span.ToArray());

        var dyValues = Direct.Random(3 * 70, 6);
        var dx = flatten.Backward(new Tensor((float[])dyValues.Clone(), 3, flatten.OutputShape));
        Assert.Equal(flatten.InputShape, dx.SampleShape);
        Assert.Equal(dyValues, dx.Span.ToArray());
    }

    public static TheoryData<int> Batches => new() { 1, 3 };

    [Theory, MemberData(nameof(Batches))]
    public void PassesTheGradientCheck(int batch) => GradientCheck.Layer(new Flatten(), TensorShape.Image(2, 3, 4), batch);

    [Fact]
    public void ATrainingStepAllocatesNothingOnceWarm()
    {
        var flatten = new Flatten();
        flatten.Initialize(TensorShape.Image(2, 3, 4), new Rng(1));
        Direct.AssertTrainingStepAllocatesNothing(flatten, 4);
    }
}
