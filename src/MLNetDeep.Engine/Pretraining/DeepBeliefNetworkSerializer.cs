using System.Text;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Pretraining;

/// <summary>
/// The deep belief network file format, version 1, little-endian, in the envelope of the model files:
/// <code>
/// "MLDB" | version:int32 | payloadLength:int32 | payload | crc32(all bytes before it):uint32
/// payload = layerCount:int32 |
///           per RBM: kind:uint8 (0 Bernoulli-Bernoulli, 1 Gaussian-Bernoulli), visible:int32, hidden:int32,
///                    weight:float32[hidden*visible] ([hidden, visible] row-major), visibleBias:float32[visible],
///                    hiddenBias:float32[hidden]
/// </code>
/// Every size is bounded by the bytes that remain before anything is allocated, and the checksum is
/// verified before the payload is parsed: a damaged file is an <see cref="InvalidDataException"/>.
/// Weights are finite: a stack holding NaN or an infinity is neither written nor read.
/// </summary>
internal static class DeepBeliefNetworkSerializer
{
    public static ReadOnlySpan<byte> Magic => "MLDB"u8;

    public const int Version = 1;

    private const int MaxPayloadBytes = 1 << 30, MaxLayers = 1024;
    private const byte Bernoulli = 0, Gaussian = 1;

    public static void Write(DeepBeliefNetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        foreach (var rbm in network.Layers)
            foreach (var p in (Parameter[])[rbm.Weight, rbm.VisibleBias, rbm.HiddenBias])
                if (FiniteValues.IndexOfNonFinite(p.Value) is int k and >= 0)
                    throw new InvalidOperationException($"{rbm} {p.Name} holds {p.Value[k]} at index {k}: a deep belief network with non-finite weights cannot be saved.");
        ChecksummedEnvelope.Write(stream, Magic, Version, MaxPayloadBytes, "deep belief network", w =>
        {
            w.Write(network.Layers.Count);
            foreach (var rbm in network.Layers)
            {
                w.Write(rbm is GaussianBernoulliRbm ? Gaussian : Bernoulli);
                w.Write(rbm.VisibleCount);
                w.Write(rbm.HiddenCount);
                foreach (var p in (Parameter[])[rbm.Weight, rbm.VisibleBias, rbm.HiddenBias])
                    foreach (float v in p.Value) w.Write(v);
            }
        });
    }

    public static DeepBeliefNetwork Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var payload = ChecksummedEnvelope.Read(stream, Magic, Version, MaxPayloadBytes, "deep belief network");
        try
        {
            using var r = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
            int count = ChecksummedEnvelope.Bounded(r.ReadInt32(), 1, MaxLayers, "layer count");
            var layers = new Rbm[count];
            for (int i = 0; i < count; i++)
            {
                byte kind = r.ReadByte();
                if (kind is not (Bernoulli or Gaussian)) throw new InvalidDataException($"RBM {i} has unknown kind {kind}.");
                int maxUnits = (int)Math.Min(int.MaxValue, (payload.Length - payload.Position) / 4);
                int visible = ChecksummedEnvelope.Bounded(r.ReadInt32(), 1, maxUnits, "visible unit count");
                int hidden = ChecksummedEnvelope.Bounded(r.ReadInt32(), 1, maxUnits, "hidden unit count");
                long bytes = 4L * ((long)visible * hidden + visible + hidden);
                if (bytes > payload.Length - payload.Position)
                    throw new InvalidDataException($"RBM {i} ({visible} -> {hidden}) is longer than the rest of the payload.");
                var rbm = kind == Gaussian ? (Rbm)new GaussianBernoulliRbm(visible, hidden, new Rng(0)) : new BernoulliRbm(visible, hidden, new Rng(0));
                foreach (var p in (Parameter[])[rbm.Weight, rbm.VisibleBias, rbm.HiddenBias])
                    for (int k = 0; k < p.Value.Length; k++)
                        if (!float.IsFinite(p.Value[k] = r.ReadSingle()))
                            throw new InvalidDataException($"RBM {i} {p.Name} holds {p.Value[k]} at index {k}; weights must be finite.");
                layers[i] = rbm;
            }
            if (payload.Position != payload.Length) throw new InvalidDataException($"{payload.Length - payload.Position} unexpected bytes after the last RBM.");
            return new DeepBeliefNetwork(layers);
        }
        catch (EndOfStreamException e) { throw new InvalidDataException("The payload ends before the deep belief network is complete.", e); }
        catch (ArgumentException e) { throw new InvalidDataException($"The stored stack is invalid: {e.Message}", e); }
    }
}
