using System.Text;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// The fields of a training checkpoint (see <see cref="TrainingCheckpoint"/>), each written and read back with
/// its count checked against the live run before anything is allocated.
/// </summary>
internal static class CheckpointFields
{
    public static void WriteValues(BinaryWriter w, float[][] values)
    {
        w.Write(values.Length);
        foreach (var array in values)
        {
            w.Write(array.Length);
            foreach (float v in array) w.Write(v);
        }
    }

    /// <summary>Reads arrays of exactly the lengths of <paramref name="parameters"/>, the network's state arrays.</summary>
    public static float[][] ReadValues(BinaryReader r, float[][] parameters, string what)
    {
        Bounded(r.ReadInt32(), parameters.Length, parameters.Length, $"number of parameters of the {what}");
        var values = new float[parameters.Length][];
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

    public static void WriteRng(BinaryWriter w, RngState s)
    {
        w.Write(s.S0);
        w.Write(s.S1);
        w.Write(s.S2);
        w.Write(s.S3);
        w.Write(s.Spare);
        w.Write(s.HasSpare);
    }

    public static RngState ReadRng(BinaryReader r)
    {
        var s = new RngState(r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadSingle(), r.ReadBoolean());
        // xoshiro's all-zero state is a fixed point: the generator would return zeros for ever.
        if ((s.S0 | s.S1 | s.S2 | s.S3) == 0) throw new InvalidDataException("A random generator's state is all zeros.");
        return s;
    }

    public static void WriteIndices(BinaryWriter w, int[] indices)
    {
        w.Write(indices.Length);
        foreach (int i in indices) w.Write(i);
    }

    public static int[] ReadIndices(BinaryReader r, int count, int sampleCount, string what)
    {
        Bounded(r.ReadInt32(), count, count, $"number of {what} samples");
        if (4L * count > Remaining(r)) throw new InvalidDataException($"The {what} sample order is longer than the rest of the file.");
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = Bounded(r.ReadInt32(), 0, sampleCount - 1, $"{what} sample index");
        return indices;
    }

    public static void WriteReport(BinaryWriter w, EpochReport e)
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

    public static EpochReport ReadReport(BinaryReader r, IReadOnlyList<string> layerNames)
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

    public static void WriteOptional(BinaryWriter w, double? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    public static double? ReadOptional(BinaryReader r)
    {
        bool has = r.ReadBoolean();
        double value = r.ReadDouble();
        return has ? value : null;
    }

    public static string ReadString(BinaryReader r, int maxBytes)
    {
        int length = Bounded(r.Read7BitEncodedInt(), 0, Math.Min(maxBytes, Remaining(r)), "string length");
        return Encoding.UTF8.GetString(r.ReadBytes(length));
    }

    public static int Remaining(BinaryReader r) => (int)(r.BaseStream.Length - r.BaseStream.Position);

    public static int Bounded(int value, int min, int max, string what) => ChecksummedEnvelope.Bounded(value, min, max, what);
}
