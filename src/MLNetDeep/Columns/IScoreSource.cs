using Microsoft.ML;
namespace MLNetDeep.Columns;

/// <summary>Where a score column's getter finds the network outputs of the row it is asked about.</summary>
internal interface IScoreSource
{
    /// <summary>The current row's outputs (<see cref="ScoreLayout.OutputSize"/> floats).</summary>
    ReadOnlySpan<float> CurrentOutputs { get; }
}
