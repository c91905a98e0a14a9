namespace MLNetDeep.Engine.Training;

/// <summary>What a checkpoint must agree with to be resumed: the run it was made for.</summary>
internal sealed record CheckpointIdentity(TrainerOptions Options, Network Network, int TrainingCount, int ValidationCount, IReadOnlyList<string> LayerNames)
{
    private const int MaxArchitectureLength = 1 << 20;

    public void Write(BinaryWriter w)
    {
        w.Write(Network.ToString());
        w.Write(Options.Seed);
        w.Write(Options.BatchSize);
        w.Write(Options.Shuffle);
        w.Write(Options.ValidationFraction);
        w.Write(TrainingCount);
        w.Write(ValidationCount);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; throws <see cref="InvalidOperationException"/> naming the first difference.</summary>
    public void Check(BinaryReader r, string path)
    {
        Same(path, "network", CheckpointFields.ReadString(r, MaxArchitectureLength), Network.ToString());
        Same(path, "seed", r.ReadUInt64(), Options.Seed);
        Same(path, "batch size", r.ReadInt32(), Options.BatchSize);
        Same(path, "shuffling", r.ReadBoolean(), Options.Shuffle);
        Same(path, "validation fraction", r.ReadSingle(), Options.ValidationFraction);
        Same(path, "number of training samples", r.ReadInt32(), TrainingCount);
        Same(path, "number of validation samples", r.ReadInt32(), ValidationCount);
    }

    private static void Same<T>(string path, string what, T stored, T current)
    {
        if (!EqualityComparer<T>.Default.Equals(stored, current))
            throw new InvalidOperationException(
                $"The checkpoint '{path}' belongs to another run: its {what} is {stored}, this run's is {current}. Delete it to start afresh.");
    }
}
