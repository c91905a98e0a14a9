using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Tests.Kernels;

public class DropoutKernelTests
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    [Fact]
    public void MaskBitsAreSplitMix64Outputs()
    {
        // With key = golden, element pair j is SplitMix64's output j + 1 from seed 0, whose first three
        // published values are 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f (Vigna's
        // reference splitmix64.c). Rate 0.5 drops exactly the 32-bit halves below 2^31: low half first.
        float[] input = [1, 1, 1, 1, 1, 1];
        var mask = new float[6];
        var output = new float[6];
        DropoutKernels.Apply(Golden, DropoutKernels.Threshold(0.5f), 2f, input, mask, output);
        // 0x7b1dcdaf drop, 0xe220a839 keep; 0xa1b965f4 keep, 0x6e789e6a drop; 0x8009454f keep, 0x06c45d18 drop.
        Assert.Equal([0f, 2f, 2f, 0f, 2f, 0f], mask);
        Assert.Equal(mask, output);
    }

    [Fact]
    public void VectorAndScalarPathsGiveTheSameMask()
    {
        // The first 96 of 100 elements go through the widest vectors; a short call is all scalar.
        var rng = new Random(5);
        var input = Enumerable.Range(0, 100).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var fullMask = new float[100];
        var fullOutput = new float[100];
        uint threshold = DropoutKernels.Threshold(0.3f);
        DropoutKernels.Apply(12345, threshold, 1 / 0.7f, input, fullMask, fullOutput);
        for (int n = 1; n <= 40; n++)
        {
            var mask = new float[n];
            var output = new float[n];
            DropoutKernels.Apply(12345, threshold, 1 / 0.7f, input.AsSpan(0, n), mask, output);
            Assert.Equal(fullMask.AsSpan(0, n).ToArray(), mask);
            Assert.Equal(fullOutput.AsSpan(0, n).ToArray(), output);
        }
        for (int i = 0; i < 100; i++) Assert.Equal(input[i] * fullMask[i], fullOutput[i]);
    }

    [Theory]
    [InlineData(0f, 0u)]
    [InlineData(0.5f, 0x80000000u)]
    [InlineData(0.25f, 0x40000000u)]
    public void ThresholdIsRateTimesTwoToThe32(float rate, uint expected) =>
        Assert.Equal(expected, DropoutKernels.Threshold(rate));

    [Fact]
    public void RateZeroKeepsEverything()
    {
        var input = Enumerable.Range(0, 50).Select(i => (float)i).ToArray();
        var mask = new float[50];
        var output = new float[50];
        DropoutKernels.Apply(7, DropoutKernels.Threshold(0f), 1f, input, mask, output);
        Assert.All(mask, m => Assert.Equal(1f, m));
        Assert.Equal(input, output);
    }
}
