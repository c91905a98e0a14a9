using System.Diagnostics;
using System.Numerics.Tensors;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Pretraining;

/// <summary>
/// A restricted Boltzmann machine: visible units v, binary hidden units h, weights W stored
/// [hidden, visible] (the layout of a <see cref="Layers.Dense"/> layer's weight, so that W maps onto
/// the dense layer that reads v), visible bias b and hidden bias c. Its energy is
/// <c>E(v, h) = E_v(v) - c·h - hᵀWv</c>, where the visible term E_v depends on the kind of visible
/// unit (<see cref="BernoulliRbm"/>, <see cref="GaussianBernoulliRbm"/>); the hidden units are
/// independent given v, with <c>p(h_j = 1 | v) = sigmoid(c_j + W_j·v)</c>.
/// Not thread-safe: the machine owns the buffers of its batches.
/// </summary>
/// <remarks>
/// <para>
/// Training is contrastive divergence, CD-k (Hinton 2002, "Training products of experts by minimizing
/// contrastive divergence"), or persistent CD (Tieleman 2008), with the choices of Hinton (2010),
/// "A Practical Guide to Training Restricted Boltzmann Machines" (UTML TR 2010-003). For a batch v0 of
/// B samples, with <c>n = B * hidden</c> and the uniforms u read in consecutive blocks of n values:
/// </para>
/// <list type="number">
/// <item>P0 = p(h | v0), probabilities.</item>
/// <item>The chain's start h: for CD, h = [u &lt; P0] from the next block (§3.1: hidden states driven by
/// data are sampled, so that the reconstruction cannot carry more information than a binary code).
/// For PCD, h is the persistent state of the chains, initialised in the same way from the first
/// batch that has more rows than the chains hold.</item>
/// <item>For t = 1..k: v_t = E[v | h], the mean-field reconstruction (probabilities for Bernoulli
/// visible units, §3.2; the mean b + Wᵀh for Gaussian ones: no visible noise is drawn);
/// P_t = p(h | v_t); then h = [u &lt; P_t] from the next block when t &lt; k, and for PCD also at
/// t = k (that sample is the chain's next state).</item>
/// <item>The statistics use probabilities on both sides (§3.3: less sampling noise):
/// positive <c>P0ᵀ v0</c>, negative <c>P_kᵀ v_k</c>, each divided by B (§6).</item>
/// <item>Each parameter's <see cref="Parameter.Gradient"/> is set to the descent direction
/// (negative minus positive: W: <c>(P_kᵀ v_k - P0ᵀ v0) / B</c>, b: column means of v_k - v0, c: of
/// P_k - P0), and the step is heavy-ball momentum with an L2 weight cost on W only (§9, §10):
/// <c>velocity = momentum * velocity + (gradient + weightDecay * W); W -= learningRate * velocity</c>,
/// which is Hinton's <c>Δ = momentum * Δ + ε (positive - negative - weightCost * W)</c>.</item>
/// </list>
/// <para>
/// So CD-k draws k blocks of uniforms per batch; PCD-k draws k, plus one when its chains are
/// (re)initialised. <see cref="Train(Dataset, RbmTrainingOptions, IProgress{RbmEpochReport}?, CancellationToken, ComputeContext)"/>
/// seeds <c>new Rng(Seed)</c>, takes its first <see cref="Rng.Fork"/> for the shuffling and its second for the
/// draws, and fills each batch's uniforms with <see cref="Rng.NextFloat()"/> from the latter, in that order,
/// batch after batch.
/// </para>
/// </remarks>
public abstract class Rbm
{
    /// <summary>The standard deviation of the initial weights, N(0, 0.01²) (Hinton 2010, §8); the biases start at 0.</summary>
    public const float InitialWeightStd = 0.01f;

    private readonly float[] _weightVelocity, _visibleVelocity, _hiddenVelocity;
    private float[] _batch = [], _uniforms = [], _p0 = [], _h = [], _vk = [], _pk = [], _chain = [];
    private float[] _scratchHidden = [], _scratchHidden2 = [], _scratchVisible = [], _energies = [];
    private int _chainRows;

    private protected Rbm(int visibleCount, int hiddenCount, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(visibleCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenCount);
        ArgumentNullException.ThrowIfNull(rng);
        VisibleCount = visibleCount;
        HiddenCount = hiddenCount;
        Weight = new Parameter("weight", hiddenCount, visibleCount, isWeight: true);
        VisibleBias = new Parameter("visibleBias", 1, visibleCount, isWeight: false);
        HiddenBias = new Parameter("hiddenBias", 1, hiddenCount, isWeight: false);
        Initializer.Normal(InitialWeightStd).Fill(Weight.Value, visibleCount, hiddenCount, rng);
        _weightVelocity = new float[Weight.Length];
        _visibleVelocity = new float[visibleCount];
        _hiddenVelocity = new float[hiddenCount];
    }

    /// <summary>The number of visible units (inputs).</summary>
    public int VisibleCount { get; }

    /// <summary>The number of hidden units (features).</summary>
    public int HiddenCount { get; }

    /// <summary>The weights W, [hidden, visible]: row j holds the weights of hidden unit j.</summary>
    public Parameter Weight { get; }

    /// <summary>The visible bias b, [1, visible].</summary>
    public Parameter VisibleBias { get; }

    /// <summary>The hidden bias c, [1, hidden].</summary>
    public Parameter HiddenBias { get; }

    /// <summary>Writes <c>p(h = 1 | v) = sigmoid(c + W v)</c> for <paramref name="batch"/> samples, row after row.</summary>
    public void HiddenProbabilities(ReadOnlySpan<float> visible, int batch, Span<float> hidden, ComputeContext? compute = null)
    {
        CheckBatch(visible, batch, VisibleCount, nameof(visible));
        CheckBatch(hidden, batch, HiddenCount, nameof(hidden));
        HiddenInputs(visible, batch, hidden, compute);
        ActivationKernels.Sigmoid(hidden, hidden);
    }

    /// <summary>
    /// Writes the mean of the visible units given hidden states or probabilities, <c>E[v | h]</c>:
    /// <c>sigmoid(b + Wᵀh)</c> for Bernoulli units, <c>b + Wᵀh</c> for Gaussian ones.
    /// </summary>
    public void VisibleMeans(ReadOnlySpan<float> hidden, int batch, Span<float> visible, ComputeContext? compute = null)
    {
        CheckBatch(hidden, batch, HiddenCount, nameof(hidden));
        CheckBatch(visible, batch, VisibleCount, nameof(visible));
        Gemm.Multiply(compute ?? ComputeContext.Default, false, false, batch, VisibleCount, HiddenCount, 1f, hidden, HiddenCount, Weight.Value, VisibleCount, 0f, visible, VisibleCount);
        AddToRows(visible, batch, VisibleBias.Value);
        ActivateVisible(visible);
    }

    /// <summary>
    /// The free energy of each of <paramref name="batch"/> samples,
    /// <c>F(v) = -log Σ_h e^-E(v, h) = E_v(v) - Σ_j softplus(c_j + W_j·v)</c>, so that p(v) = e^-F(v) / Z.
    /// </summary>
    public void FreeEnergy(ReadOnlySpan<float> visible, int batch, Span<float> energies, ComputeContext? compute = null)
    {
        CheckBatch(visible, batch, VisibleCount, nameof(visible));
        CheckBatch(energies, batch, 1, nameof(energies));
        var inputs = Grow(ref _scratchHidden, batch * HiddenCount);
        HiddenInputs(visible, batch, inputs, compute);
        FreeEnergyFromInputs(visible, inputs, batch, energies);
    }

    /// <summary>The free energy of one sample; see <see cref="FreeEnergy(ReadOnlySpan{float}, int, Span{float}, ComputeContext)"/>.</summary>
    public float FreeEnergy(ReadOnlySpan<float> visible)
    {
        Span<float> energy = stackalloc float[1];
        FreeEnergy(visible, 1, energy);
        return energy[0];
    }

    /// <summary>
    /// The mean over samples and visible units of <c>(v - v̂)²</c>, where <c>v̂ = E[v | h = p(h | v)]</c> is
    /// the mean-field reconstruction (no sampling). Hinton (2010, §5) warns that it is not the function
    /// CD optimises, but it is the usual running check that learning goes on.
    /// </summary>
    public float ReconstructionError(ReadOnlySpan<float> visible, int batch, ComputeContext? compute = null)
    {
        CheckBatch(visible, batch, VisibleCount, nameof(visible));
        var probabilities = Grow(ref _scratchHidden, batch * HiddenCount);
        HiddenProbabilities(visible, batch, probabilities, compute);
        return (float)(SquaredReconstructionError(visible, probabilities, batch, compute) / ((double)batch * VisibleCount));
    }

    /// <summary>
    /// Trains on <paramref name="data"/>, <see cref="VisibleCount"/> values per sample, by CD-k or PCD
    /// as <paramref name="options"/> say, reporting each epoch. Returns the reports.
    /// </summary>
    public IReadOnlyList<RbmEpochReport> Train(float[] data, RbmTrainingOptions options, IProgress<RbmEpochReport>? progress = null,
        CancellationToken cancellationToken = default, ComputeContext? compute = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length % VisibleCount != 0)
            throw new ArgumentException($"{data.Length} values are not a whole number of samples of {VisibleCount} visible units.", nameof(data));
        var dataset = new InMemoryDataset(data, new float[data.Length / VisibleCount], TensorShape.Vector(VisibleCount));
        return Train(dataset, options, progress, cancellationToken, compute);
    }

    /// <summary>
    /// Trains on the features of <paramref name="data"/> (its targets are ignored); see the remarks on
    /// <see cref="Rbm"/> for the sampling order. Starts with zero momentum and fresh persistent chains.
    /// </summary>
    public IReadOnlyList<RbmEpochReport> Train(Dataset data, RbmTrainingOptions options, IProgress<RbmEpochReport>? progress = null,
        CancellationToken cancellationToken = default, ComputeContext? compute = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.SampleShape.Size != VisibleCount)
            throw new ArgumentException($"The samples have {data.SampleShape.Size} values ({data.SampleShape}); the RBM has {VisibleCount} visible units.", nameof(data));
        if (data.Count == 0) throw new ArgumentException("The training set is empty: there is nothing to learn from.", nameof(data));

        var rng = new Rng(options.Seed);
        var orderRng = rng.Fork();
        var drawRng = rng.Fork();
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        int[] inOrder = (int[])order.Clone();
        var targets = new float[data.TargetSize];
        Array.Clear(_weightVelocity);
        Array.Clear(_visibleVelocity);
        Array.Clear(_hiddenVelocity);
        _chainRows = 0;

        var history = new List<RbmEpochReport>(options.Epochs);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            if (options.Shuffle) orderRng.Shuffle(order);
            int steps = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int batch = Math.Min(options.BatchSize, order.Length - start);
                var v0 = ReadBatch(data, order.AsSpan(start, batch), targets);
                var uniforms = Grow(ref _uniforms, UniformsNeeded(batch, options));
                for (int i = 0; i < uniforms.Length; i++) uniforms[i] = drawRng.NextFloat();
                ContrastiveDivergenceStep(v0, batch, options, uniforms, compute);
                steps++;
            }
            double seconds = watch.Elapsed.TotalSeconds;
            var (energy, error) = Measure(data, inOrder, options.BatchSize, targets, compute);
            if (!double.IsFinite(energy) || !double.IsFinite(error)) throw new TrainingDivergedException(epoch, steps, (float)error);
            var report = new RbmEpochReport(epoch, options.Epochs, energy, error, order.Length / Math.Max(seconds, 1e-9), watch.Elapsed);
            history.Add(report);
            progress?.Report(report);
        }
        return history;
    }

    /// <summary>
    /// The number of uniforms the next <see cref="ContrastiveDivergenceStep"/> of <paramref name="batch"/>
    /// samples reads: k blocks of batch * hidden, one more for PCD when its chains must be (re)initialised.
    /// </summary>
    internal int UniformsNeeded(int batch, RbmTrainingOptions options)
    {
        int blocks = options.CdSteps + (options.Persistent && _chainRows < batch ? 1 : 0);
        return checked(blocks * batch * HiddenCount);
    }

    /// <summary>
    /// One CD-k or PCD-k update on the batch <paramref name="v0"/>, with every random draw taken from
    /// <paramref name="uniforms"/> in the order documented on <see cref="Rbm"/>. Allocates nothing once
    /// its buffers have grown to the batch.
    /// </summary>
    internal void ContrastiveDivergenceStep(ReadOnlySpan<float> v0, int batch, RbmTrainingOptions options, ReadOnlySpan<float> uniforms, ComputeContext? compute = null)
    {
        compute ??= ComputeContext.Default;
        CheckBatch(v0, batch, VisibleCount, nameof(v0));
        int needed = UniformsNeeded(batch, options);
        if (uniforms.Length != needed) throw new ArgumentException($"The step needs {needed} uniforms; got {uniforms.Length}.", nameof(uniforms));
        int n = batch * HiddenCount;
        var p0 = Grow(ref _p0, n);
        HiddenProbabilities(v0, batch, p0, compute);

        int used = 0;
        Span<float> h;
        if (options.Persistent)
        {
            if (_chainRows < batch)
            {
                if (_chain.Length < n) _chain = new float[n];
                RbmKernels.SampleBernoulli(p0, uniforms.Slice(used, n), _chain.AsSpan(0, n));
                used += n;
                _chainRows = batch;
            }
            h = _chain.AsSpan(0, n);
        }
        else
        {
            h = Grow(ref _h, n);
            RbmKernels.SampleBernoulli(p0, uniforms.Slice(used, n), h);
            used += n;
        }

        var vk = Grow(ref _vk, batch * VisibleCount);
        var pk = Grow(ref _pk, n);
        for (int t = 1; t <= options.CdSteps; t++)
        {
            VisibleMeans(h, batch, vk, compute);
            HiddenProbabilities(vk, batch, pk, compute);
            if (t < options.CdSteps || options.Persistent)
            {
                RbmKernels.SampleBernoulli(pk, uniforms.Slice(used, n), h);
                used += n;
            }
        }

        // Descent direction: negative statistics minus positive ones, each a mean over the batch.
        float scale = 1f / batch;
        Gemm.Multiply(compute, true, false, HiddenCount, VisibleCount, batch, scale, pk, HiddenCount, vk, VisibleCount, 0f, Weight.Gradient, VisibleCount);
        Gemm.Multiply(compute, true, false, HiddenCount, VisibleCount, batch, -scale, p0, HiddenCount, v0, VisibleCount, 1f, Weight.Gradient, VisibleCount);
        ColumnMeanDifference(vk, v0, batch, VisibleBias.Gradient);
        ColumnMeanDifference(pk, p0, batch, HiddenBias.Gradient);

        OptimizerKernels.Update(Weight.Value, Weight.Gradient, _weightVelocity, default, new MomentumRule(options.LearningRate, options.Momentum, options.WeightDecay, nesterov: false));
        OptimizerKernels.Update(VisibleBias.Value, VisibleBias.Gradient, _visibleVelocity, default, new MomentumRule(options.LearningRate, options.Momentum, 0f, nesterov: false));
        OptimizerKernels.Update(HiddenBias.Value, HiddenBias.Gradient, _hiddenVelocity, default, new MomentumRule(options.LearningRate, options.Momentum, 0f, nesterov: false));
    }

    /// <summary>Turns visible pre-activations <c>b + Wᵀh</c> into visible means, in place.</summary>
    private protected abstract void ActivateVisible(Span<float> values);

    /// <summary>The visible term E_v(v) of the energy for one sample; <paramref name="scratch"/> holds <see cref="VisibleCount"/> values.</summary>
    private protected abstract float VisibleEnergy(ReadOnlySpan<float> visible, Span<float> scratch);

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}({VisibleCount} -> {HiddenCount})";

    /// <summary>Reads the samples at <paramref name="indices"/> into the batch buffer, rejecting NaN and infinities.</summary>
    internal ReadOnlySpan<float> ReadBatch(Dataset data, ReadOnlySpan<int> indices, Span<float> targets)
    {
        var batch = Grow(ref _batch, indices.Length * VisibleCount);
        for (int i = 0; i < indices.Length; i++)
        {
            var row = batch.Slice(i * VisibleCount, VisibleCount);
            data.Read(indices[i], row, targets);
            if (!TensorPrimitives.IsFiniteAll<float>(row))
                throw new ArgumentException($"Sample {indices[i]} has a NaN or infinite value: an RBM needs finite inputs.", nameof(data));
        }
        return batch;
    }

    /// <summary>Mean free energy and mean reconstruction error over all of <paramref name="data"/>, in batches.</summary>
    private (double Energy, double Error) Measure(Dataset data, int[] indices, int batchSize, float[] targets, ComputeContext? compute)
    {
        double energySum = 0, errorSum = 0;
        for (int start = 0; start < indices.Length; start += batchSize)
        {
            int batch = Math.Min(batchSize, indices.Length - start);
            var v = ReadBatch(data, indices.AsSpan(start, batch), targets);
            // One product serves both: the hidden inputs give the free energy, then (in place) the probabilities.
            var inputs = Grow(ref _scratchHidden, batch * HiddenCount);
            HiddenInputs(v, batch, inputs, compute);
            var energies = Grow(ref _energies, batch);
            FreeEnergyFromInputs(v, inputs, batch, energies);
            energySum += TensorPrimitives.Sum<float>(energies);
            ActivationKernels.Sigmoid(inputs, inputs);
            errorSum += SquaredReconstructionError(v, inputs, batch, compute);
        }
        return (energySum / indices.Length, errorSum / ((double)indices.Length * VisibleCount));
    }

    /// <summary>x = v Wᵀ + c.</summary>
    private void HiddenInputs(ReadOnlySpan<float> visible, int batch, Span<float> inputs, ComputeContext? compute)
    {
        Gemm.Multiply(compute ?? ComputeContext.Default, false, true, batch, HiddenCount, VisibleCount, 1f, visible, VisibleCount, Weight.Value, VisibleCount, 0f, inputs, HiddenCount);
        AddToRows(inputs, batch, HiddenBias.Value);
    }

    private void FreeEnergyFromInputs(ReadOnlySpan<float> visible, ReadOnlySpan<float> inputs, int batch, Span<float> energies)
    {
        var softplus = Grow(ref _scratchHidden2, batch * HiddenCount);
        RbmKernels.Softplus(inputs, softplus);
        var scratch = Grow(ref _scratchVisible, VisibleCount);
        for (int r = 0; r < batch; r++)
            energies[r] = VisibleEnergy(visible.Slice(r * VisibleCount, VisibleCount), scratch) - TensorPrimitives.Sum<float>(softplus.Slice(r * HiddenCount, HiddenCount));
    }

    /// <summary>Σ (v - E[v | probabilities])² over the batch.</summary>
    private double SquaredReconstructionError(ReadOnlySpan<float> visible, ReadOnlySpan<float> probabilities, int batch, ComputeContext? compute)
    {
        var reconstruction = Grow(ref _scratchVisible, batch * VisibleCount);
        VisibleMeans(probabilities, batch, reconstruction, compute);
        TensorPrimitives.Subtract(visible, reconstruction, reconstruction);
        return TensorPrimitives.SumOfSquares<float>(reconstruction);
    }

    private static void AddToRows(Span<float> matrix, int rows, ReadOnlySpan<float> vector)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * vector.Length, vector.Length);
            TensorPrimitives.Add(row, vector, row);
        }
    }

    /// <summary>dest = column means of (a - b), rows added in order so the result does not depend on threads.</summary>
    private static void ColumnMeanDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rows, Span<float> dest)
    {
        int width = dest.Length;
        dest.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(dest, a.Slice(r * width, width), dest);
            TensorPrimitives.Subtract(dest, b.Slice(r * width, width), dest);
        }
        TensorPrimitives.Multiply(dest, 1f / rows, dest);
    }

    /// <summary>The first <paramref name="length"/> values of <paramref name="buffer"/>, replaced by a larger array only when too short.</summary>
    internal static Span<float> Grow(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }

    private static void CheckBatch(ReadOnlySpan<float> values, int batch, int width, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (values.Length != (long)batch * width)
            throw new ArgumentException($"{batch} samples of {width} values need {(long)batch * width} values; got {values.Length}.", name);
    }
}
