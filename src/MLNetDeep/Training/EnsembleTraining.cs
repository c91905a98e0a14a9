using MLNetDeep.Engine;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Training;

/// <summary>
/// <see cref="DeepNetOptions.EnsembleSize"/>: K networks of the options' architecture, each trained alone from its
/// own seed (initialisation, shuffling, dropout), then joined into one network whose output is the mean of theirs
/// (an <see cref="Ensemble"/> layer between the shared scaling layers). Member 1 has the options' seed, so it is
/// the network EnsembleSize 1 trains; member k's seed is <see cref="MemberSeed"/>, its checkpoint <see cref="CheckpointOf"/>.
/// </summary>
internal static class EnsembleTraining
{
    /// <summary>The seed of member <paramref name="member"/> (0-based): the options' seed for the first.</summary>
    public static int MemberSeed(int seed, int member) => unchecked(seed + member * 7919);

    /// <summary>The checkpoint file of member <paramref name="member"/> (0-based): the options' for the first, "path.memberN" (N from 2) for the others.</summary>
    public static string? CheckpointOf(string? path, int member) => path is null || member == 0 ? path : $"{path}.member{member + 1}";

    /// <summary>
    /// The trained <paramref name="members"/> (built by <see cref="NetworkBuilder.Build"/> from the same options and
    /// scaling) as one network: the first member's scaling layers, then an ensemble of every member's other layers.
    /// </summary>
    public static Network Join(DeepNetOptions options, TensorShape inputShape, int outputs, Loss loss, LearnedScaling scaling, IReadOnlyList<Network> members)
    {
        if (members.Count == 1) return members[0];
        var joined = NetworkBuilder.Build(options, inputShape, outputs, loss, scaling, members: members.Count);
        // The joined network's layers in order: [input scaling], the ensemble, each member's layers, [target scaling].
        var source = new List<Layer>();
        if (scaling.Input != InputScaling.Off) source.Add(members[0].Layers[0]);
        foreach (var member in members)
        {
            var own = member.AllLayers.Where(l => l.Parameters.Count > 0 || l.Buffers.Count > 0).ToList();
            if (scaling.Input != InputScaling.Off) own.Remove(member.Layers[0]);
            if (scaling.Targets) own.Remove(member.Layers[^1]);
            source.AddRange(own);
        }
        if (scaling.Targets) source.Add(members[0].Layers[^1]);
        var target = joined.AllLayers.Where(l => l.Parameters.Count > 0 || l.Buffers.Count > 0).ToList();
        if (source.Count != target.Count)
            throw new InvalidOperationException($"The ensemble has {target.Count} layers with weights; its members {source.Count}.");
        for (int i = 0; i < target.Count; i++)
        {
            var (from, to) = (source[i], target[i]);
            if (from.ToString() != to.ToString() || from.Parameters.Count != to.Parameters.Count || from.Buffers.Count != to.Buffers.Count)
                throw new InvalidOperationException($"The ensemble's layer {i} is {to}; its member's is {from}.");
            for (int j = 0; j < to.Parameters.Count; j++) from.Parameters[j].Value.CopyTo(to.Parameters[j].Value, 0);
            for (int j = 0; j < to.Buffers.Count; j++) from.Buffers[j].Value.CopyTo(to.Buffers[j].Value, 0);
        }
        return joined;
    }
}
