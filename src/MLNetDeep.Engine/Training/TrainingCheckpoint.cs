using System.Text;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using static MLNetDeep.Engine.Training.CheckpointFields;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// The checkpoint file of a training run, version 1, little-endian, in the envelope of the model files:
/// <code>
/// "MLNC" | version:int32 | payloadLength:int32 | payload | crc32(all bytes before it):uint32
/// payload = identity: architecture:string, seed:uint64, batchSize:int32, shuffle:bool, validationFraction:float32,
///                     trainingCount:int32, validationCount:int32 |
///           progress: completedEpochs:int32, patienceExhausted:bool, bestLoss:float32, bestEpoch:int32, sinceBest:int32 |
///           weights: count:int32, per array length:int32, float32[length] (every parameter, then every buffer) |
///                    hasBest:bool, [the same for the best epoch] |
///           optimizer: length:int32, Optimizer.WriteState bytes |
///           generators: count:int32 (shuffling, then each layer's own, in layer order, then augmentation's when on), per generator s0..s3:uint32, spare:float32, hasSpare:bool |
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
    private const int HistoryEntryMinBytes = 49;

    /// <summary>Writes the state after an epoch to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, Network network, Optimizer optimizer, TrainingRun run, CheckpointIdentity identity)
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
            WriteValues(w, network.StateArrays);
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
    public static void Restore(string path, Network network, Optimizer optimizer, TrainingRun run, CheckpointIdentity identity)
    {
        var parameters = network.StateArrays;
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

        for (int i = 0; i < parameters.Length; i++) state.Weights[i].CopyTo(parameters[i], 0);
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

    private static State ReadState(BinaryReader r, float[][] parameters, int generatorCount, TrainingRun run, CheckpointIdentity identity)
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

    /// <summary>The shuffling generator, then each layer's own (dropout's), in layer order, then the augmentation's when the run has one.</summary>
    private static List<Rng> Generators(Network network, TrainingRun run) =>
        run.AugmentationRng is { } augmentation ? [run.ShuffleRng, .. network.Generators, augmentation] : [run.ShuffleRng, .. network.Generators];
}
