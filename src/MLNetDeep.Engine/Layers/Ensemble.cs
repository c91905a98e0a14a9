using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// An ensemble of networks as one layer: K members read the same input, and the output is the mean of theirs,
/// y = (m1(x) + ... + mK(x)) / K. On small tables much of what a single network loses to boosted trees is
/// variance, which averaging members of different initialisations reduces (deep ensembles, Lakshminarayanan et
/// al. 2017; TabM, Gorishniy et al. 2024, averages K members' predictions the same way). Trained as one layer,
/// each member receives 1/K of the output's gradient; DeepNet's <c>EnsembleSize</c> instead trains each member
/// alone and then joins them here.
/// </summary>
public sealed partial class Ensemble : Layer, ILayerFormat<Ensemble>
{
    private const int MaxMembers = 1024;

    private readonly Layer[] _members;
    private Tensor? _output, _gradMember, _gradInput;

    /// <summary>
    /// Creates the ensemble of <paramref name="members"/> (at least one; each a layer or a <see cref="Sequential"/>
    /// block, belonging to this ensemble only), which must all give outputs of the same shape.
    /// </summary>
    public Ensemble(IEnumerable<Layer> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = members.ToArray();
        if (_members.Length == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        if (_members.Length > MaxMembers) throw new ArgumentException($"An ensemble has at most {MaxMembers} members; got {_members.Length}.", nameof(members));
        for (int i = 0; i < _members.Length; i++)
            if (_members[i] is null) throw new ArgumentException($"Member {i} is null.", nameof(members));
    }

    /// <summary>Creates the ensemble from its members.</summary>
    public Ensemble(params Layer[] members) : this((IEnumerable<Layer>)members) { }

    static string ILayerFormat<Ensemble>.FormatTag => nameof(Ensemble);

    static int ILayerFormat<Ensemble>.FormatVersion => 1;

    /// <summary>The members whose outputs are averaged.</summary>
    public IReadOnlyList<Layer> Members => _members;

    /// <inheritdoc/>
    public override IReadOnlyList<Layer> Children => _members;

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        TensorShape? output = null;
        for (int i = 0; i < _members.Length; i++)
        {
            TensorShape shape;
            try { shape = builder.Initialize(_members[i], inputShape); }
            catch (ArgumentException e) { throw new ArgumentException($"Member {i} ({_members[i]}) cannot take input of shape {inputShape}: {e.Message}", e); }
            if (output is not null && !shape.Equals(output))
                throw new ArgumentException($"Member {i} ({_members[i]}) gives {shape}; member 0 gives {output}: the members' outputs must have one shape to be averaged.");
            output ??= shape;
        }
        OnComputeInputGradientChanged(ComputeInputGradient);
        return output!;
    }

    /// <inheritdoc/>
    protected override void OnComputeInputGradientChanged(bool value)
    {
        foreach (var member in _members)
            if (member.IsInitialized) member.ComputeInputGradient = value;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        // Summed in member order, then scaled once: the same bits for a seed whatever the threads.
        _members[0].Forward(input, training, compute).Span.CopyTo(output.Span);
        for (int i = 1; i < _members.Length; i++) TensorPrimitives.Add(output.Span, _members[i].Forward(input, training, compute).Span, output.Span);
        if (_members.Length > 1) TensorPrimitives.Multiply(output.Span, 1f / _members.Length, output.Span);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        // dL/dm_k = dL/dy / K for every member; dL/dx is the sum of the members' input gradients.
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        var gradMember = Tensor.Ensure(ref _gradMember, gradOutput.Batch, OutputShape);
        for (int i = 0; i < _members.Length; i++)
        {
            // Scaled afresh for each member: a member's backward pass may write over the gradient it is given.
            TensorPrimitives.Multiply(gradOutput.Span, 1f / _members.Length, gradMember.Span);
            var g = _members[i].Backward(gradMember, compute);
            if (!ComputeInputGradient) continue;
            if (i == 0) g.Span.CopyTo(gradInput.Span);
            else TensorPrimitives.Add(gradInput.Span, g.Span, gradInput.Span);
        }
        return gradInput;
    }

    internal override RowStep CreateRowStep(ComputeContext compute) =>
        new EnsembleRowStep([.. _members.Select(m => m.CreateRowStep(compute))], new Tensor(1, InputShape), new Tensor(1, OutputShape));

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer)
    {
        writer.Write(_members.Length);
        foreach (var member in _members) writer.WriteLayer(member);
    }

    static Ensemble ILayerFormat<Ensemble>.ReadConfig(LayerReader reader, int version)
    {
        var members = new Layer[reader.ReadInt32(1, MaxMembers, "member count")];
        for (int i = 0; i < members.Length; i++) members[i] = reader.ReadLayer();
        return new Ensemble(members);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string first = _members[0].ToString();
        return _members.Skip(1).All(m => m.ToString() == first) ? $"Ensemble({_members.Length} x {first})" : $"Ensemble({string.Join(", ", _members.Select(m => m.ToString()))})";
    }

    private sealed class EnsembleRowStep(RowStep[] members, Tensor input, Tensor output) : RowStep
    {
        public override Tensor Run(Tensor x)
        {
            // Each member reads its own copy of the row: a member's steps may write over a tensor its input shares.
            for (int i = 0; i < members.Length; i++)
            {
                x.Span.CopyTo(input.Span);
                var y = members[i].Run(input);
                if (i == 0) y.Span.CopyTo(output.Span);
                else TensorPrimitives.Add(output.Span, y.Span, output.Span);
            }
            if (members.Length > 1) TensorPrimitives.Multiply(output.Span, 1f / members.Length, output.Span);
            return output;
        }
    }
}
