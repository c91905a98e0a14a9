namespace MLNetDeep.Engine.Training;

/// <summary>One pass over a <see cref="SampleStream"/>.</summary>
public abstract class SampleCursor : IDisposable
{
    /// <summary>Writes the next sample, or returns false at the end of the pass.</summary>
    /// <param name="features">Receives the features: <see cref="SampleStream.SampleShape"/>'s size.</param>
    /// <param name="targets">Receives <see cref="SampleStream.TargetSize"/> targets.</param>
    /// <param name="weight">The sample's weight in the loss: finite and not negative; 1 for an unweighted stream.</param>
    public abstract bool MoveNext(Span<float> features, Span<float> targets, out float weight);

    /// <summary>Releases what the pass holds (a file, a cursor of the source).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the pass's resources; <paramref name="disposing"/> is false from a finalizer.</summary>
    protected virtual void Dispose(bool disposing) { }
}
