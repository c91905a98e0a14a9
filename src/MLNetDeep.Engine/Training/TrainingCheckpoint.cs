using System.Text;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// The checkpoint file of a training run, version 1, little-endian, in the envelope of the model files:
/// <code>
/// "MLNC" | version:int32 | payloadLength:int32 | payload | crc32(all bytes before it):uint32
/// payload = identity: architecture:string, seed:uint64, batchSize:int32, shuffle:bool, validationFraction:float32,
///                     trainingCount:int32, validationCount:int32 |
///           progress: completedEpochs:int32, patienceExhausted:bool, bestLoss:float32, bestEpoch:int32, sinceBest:int32 |
///           weights: count:int32, per parameter length:int32, float32[length] | hasBest:bool, [the same for the best weights] |
///           optimizer: length:int32, Optimizer.WriteState bytes |
///           generators: count:int32 (shuffling, then each Dropout layer's), per generator s0..s3:uint32, spare:float32, hasSpare:bool |
///           order: count:int32, int32[count] (training samples), count:int32, int32[count] (validation samples) |
///           history: count:int32, per epoch the fields of <see cref="EpochReport"/>
/// </code>
/// Every count must equal what the live run has, so reading allocates no more than the run already holds;
/// nothing is changed until the whole file has been read and checked.
/// </summary>
internal static class TrainingCheckpoint
{
    private static ReadOnlySpan<byte> Magic => "MLNC"u8;

    private const int Version = 1;
    private const int MaxPayloadBytes = int.MaxValue - 1024;
    private const int MaxArchitectureLength = 1 << 20;
    private const int HistoryEntryMinBytes = 49;

    /// <summary>What a checkpoint must agree with to be resumed: the run it was made for.</summary>
    public sealed record Identity(TrainerOptions Options, Network Network, int TrainingCount, int ValidationCount, IReadOnlyList<string> LayerNames)
    {
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

        public void Check(BinaryReader r, string path)
        {
            Same(path, "network", ReadString(r, MaxArchitectureLength), Network.ToString());
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

    /// <summary>Writes the state after an epoch to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, Network network, Optimizer optimizer, TrainingRun run, Identity identity)
    {
        using var optimizerState = new MemoryStream();
        using (var w = new BinaryWriter(optimizerState, Encoding.UTF8, leaveOpen: true)) optimizer.WriteState(w);
        AtomicFile.Write(path, file => ChecksummedEnvelope.Write(file, Magic, Version, MaxPayloadBytes, "training checkpoint", w =>
        {
            identity.Write(w);
            w.Write(run.CompletedEpochs);
            w.Write(run.PatienceExhausted);
            w.Write(run.BestLoss);
            w.Write(run.BestEpoch);
            w.Write(run.SinceBest);
            WriteValues(w, network.Parameters.Select(p => p.Value).ToArray());
            w.Write(run.Best is not null);
            if (run.Best is not null) WriteValues(w, run.Best);
            w.Write((int)optimizerState.Length);
            w.Write(optimizerState.GetBuffer(), 0, (int)optimizerState.Length);
            var generators = Generators(network, run);
            w.Write(generators.Count);
            foreach (var g in generators) WriteRng(w, g.GetState());
            WriteIndices(w, run.TrainIndices);
            WriteIndices(w, run.ValidIndices);
            w.Write(run.History.Count);
            foreach (var report in run.History) WriteReport(w, report);
        }));
    }

    /// <summary>
    /// Puts the network, the optimizer and <paramref name="run"/> in the state <paramref name="path"/> holds,
    /// or changes nothing and throws <see cref="InvalidDataException"/> (damaged file) or
    /// <see cref="InvalidOperationException"/> (another run's checkpoint).
    /// </summary>
    public static void Restore(string path, Network network, Optimizer optimizer, TrainingRun run, Identity identity)
    {
        var parameters = network.Parameters;
        var generators = Generators(network, run);
        State state;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var payload = ChecksummedEnvelope.Read(file, Magic, Version, MaxPayloadBytes, "training checkpoint");
            using var r = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
            identity.Check(r, path);
            state = ReadState(r, parameters, generators.Count, run, identity);
            if (payload.Position != payload.Length) throw new InvalidDataException($"{payload.Length - payload.Position} unexpected bytes after the history.");
            // The optimizer changes only if its whole state reads back; nothing after it can fail.
            using var optimizerReader = new BinaryReader(new MemoryStream(state.Optimizer, writable: false));
            optimizer.ReadState(optimizerReader);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' is not a valid training checkpoint: {e.Message}", e);
        }

        for (int i = 0; i < parameters.Count; i++) state.Weights[i].CopyTo(parameters[i].Value, 0);
        for (int i = 0; i < generators.Count; i++) generators[i].SetState(state.Generators[i]);
        state.TrainIndices.CopyTo(run.TrainIndices, 0);
        state.ValidIndices.CopyTo(run.ValidIndices, 0);
        run.CompletedEpochs = state.CompletedEpochs;
        run.PatienceExhausted = state.PatienceExhausted;
        run.BestLoss = state.BestLoss;
        run.BestEpoch = state.BestEpoch;
        run.SinceBest = state.SinceBest;
        run.Best = state.Best;
        run.History.Clear();
        run.History.AddRange(state.History);
    }

    private sealed record State(
        int CompletedEpochs, bool PatienceExhausted, float BestLoss, int BestEpoch, int SinceBest,
        float[][] Weights, float[][]? Best, byte[] Optimizer, RngState[] Generators, int[] TrainIndices, int[] ValidIndices, EpochReport[] History);

    private static State ReadState(BinaryReader r, IReadOnlyList<Parameter> parameters, int generatorCount, TrainingRun run, Identity identity)
    {
        int completed = Bounded(r.ReadInt32(), 0, int.MaxValue - 1, "number of completed epochs");
        bool exhausted = r.ReadBoolean();
        float bestLoss = r.ReadSingle();
        int bestEpoch = Bounded(r.ReadInt32(), 0, completed, "best epoch");
        int sinceBest = Bounded(r.ReadInt32(), 0, completed, "epochs since the best");
        var weights = ReadValues(r, parameters, "weights");
        var best = r.ReadBoolean() ? ReadValues(r, parameters, "best weights") : null;
        int optimizerLength = Bounded(r.ReadInt32(), 0, Remaining(r), "optimizer state length");
        var optimizer = r.ReadBytes(optimizerLength);
        Bounded(r.ReadInt32(), generatorCount, generatorCount, "number of random generators");
        var generators = new RngState[generatorCount];
        for (int i = 0; i < generators.Length; i++) generators[i] = ReadRng(r);
        var trainIndices = ReadIndices(r, run.TrainIndices.Length, identity.TrainingCount, "training");
        var validIndices = ReadIndices(r, run.ValidIndices.Length, identity.ValidationCount > 0 ? identity.ValidationCount : identity.TrainingCount, "validation");
        int entries = Bounded(r.ReadInt32(), completed, completed, "number of history entries");
        if ((long)entries * HistoryEntryMinBytes > Remaining(r)) throw new InvalidDataException($"The history of {entries} epochs is longer than the rest of the file.");
        var history = new EpochReport[entries];
        for (int i = 0; i < entries; i++) history[i] = ReadReport(r, identity.LayerNames);
        return new State(completed, exhausted, bestLoss, bestEpoch, sinceBest, weights, best, optimizer, generators, trainIndices, validIndices, history);
    }

    /// <summary>The shuffling generator, then each Dropout layer's, in layer order.</summary>
    private static List<Rng> Generators(Network network, TrainingRun run) =>
        [run.ShuffleRng, .. network.Layers.OfType<Dropout>().Select(d => d.Random)];

    private static void WriteValues(BinaryWriter w, float[][] values)
    {
        w.Write(values.Length);
        foreach (var array in values)
        {
            w.Write(array.Length);
            foreach (float v in array) w.Write(v);
        }
    }

    private static float[][] ReadValues(BinaryReader r, IReadOnlyList<Parameter> parameters, string what)
    {
        Bounded(r.ReadInt32(), parameters.Count, parameters.Count, $"number of parameters of the {what}");
        var values = new float[parameters.Count][];
        for (int p = 0; p < values.Length; p++)
        {
            int length = Bounded(r.ReadInt32(), parameters[p].Length, parameters[p].Length, $"length of parameter {p} of the {what}");
            if (4L * length > Remaining(r)) throw new InvalidDataException($"Parameter {p} of the {what} is longer than the rest of the file.");
            values[p] = new float[length];
            for (int k = 0; k < length; k++)
                if (!float.IsFinite(values[p][k] = r.ReadSingle()))
                    throw new InvalidDataException($"Parameter {p} of the {what} holds {values[p][k]} at index {k}; weights must be finite.");
        }
        return values;
    }

    private static void WriteRng(BinaryWriter w, RngState s)
    {
        w.Write(s.S0);
        w.Write(s.S1);
        w.Write(s.S2);
        w.Write(s.S3);
        w.Write(s.Spare);
        w.Write(s.HasSpare);
    }

    private static RngState ReadRng(BinaryReader r)
    {
        var s = new RngState(r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadSingle(), r.ReadBoolean());
        // xoshiro's all-zero state is a fixed point: the generator would return zeros for ever.
        if ((s.S0 | s.S1 | s.S2 | s.S3) == 0) throw new InvalidDataException("A random generator's state is all zeros.");
        return s;
    }

    private static void WriteIndices(BinaryWriter w, int[] indices)
    {
        w.Write(indices.Length);
        foreach (int i in indices) w.Write(i);
    }

    private static int[] ReadIndices(BinaryReader r, int count, int sampleCount, string what)
    {
        Bounded(r.ReadInt32(), count, count, $"number of {what} samples");
        if (4L * count > Remaining(r)) throw new InvalidDataException($"The {what} sample order is longer than the rest of the file.");
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = Bounded(r.ReadInt32(), 0, sampleCount - 1, $"{what} sample index");
        return indices;
    }

    private static void WriteReport(BinaryWriter w, EpochReport e)
    {
        w.Write(e.Epoch);
        w.Write(e.Epochs);
        w.Write(e.TrainingLoss);
        WriteOptional(w, e.TrainingAccuracy);
        w.Write(e.ValidationLoss.HasValue);
        w.Write(e.ValidationLoss ?? 0f);
        WriteOptional(w, e.ValidationAccuracy);
        w.Write(e.GradientNorms.Count);
        foreach (double n in e.GradientNorms) w.Write(n);
        w.Write(e.LearningRate);
        w.Write(e.SamplesPerSecond);
        w.Write(e.Elapsed.Ticks);
    }

    private static EpochReport ReadReport(BinaryReader r, IReadOnlyList<string> layerNames)
    {
        int epoch = r.ReadInt32(), epochs = r.ReadInt32();
        float trainingLoss = r.ReadSingle();
        double? trainingAccuracy = ReadOptional(r);
        bool hasValidationLoss = r.ReadBoolean();
        float validationLoss = r.ReadSingle();
        double? validationAccuracy = ReadOptional(r);
        int normCount = Bounded(r.ReadInt32(), layerNames.Count, layerNames.Count, "number of gradient norms");
        var norms = new double[normCount];
        for (int i = 0; i < norms.Length; i++) norms[i] = r.ReadDouble();
        float learningRate = r.ReadSingle();
        double samplesPerSecond = r.ReadDouble();
        long ticks = r.ReadInt64();
        return new EpochReport(epoch, epochs, trainingLoss, trainingAccuracy, hasValidationLoss ? validationLoss : null, validationAccuracy,
            layerNames, norms, learningRate, samplesPerSecond, TimeSpan.FromTicks(ticks));
    }

    private static void WriteOptional(BinaryWriter w, double? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    private static double? ReadOptional(BinaryReader r)
    {
        bool has = r.ReadBoolean();
        double value = r.ReadDouble();
        return has ? value : null;
    }

    private static string ReadString(BinaryReader r, int maxBytes)
    {
        int length = Bounded(r.Read7BitEncodedInt(), 0, Math.Min(maxBytes, Remaining(r)), "string length");
        return Encoding.UTF8.GetString(r.ReadBytes(length));
    }

    private static int Remaining(BinaryReader r) => (int)(r.BaseStream.Length - r.BaseStream.Position);

    private static int Bounded(int value, int min, int max, string what) => ChecksummedEnvelope.Bounded(value, min, max, what);
}
