using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Training;

/// <summary>
/// What a DeepNet task reads and trains: the features, label and weight columns of the training schema, the
/// loss, the network's output count, and how a label becomes the engine's target. Also checks that a
/// validation set has the same columns.
/// </summary>
internal sealed class TrainingTask
{
    private TrainingTask(NetworkPredictionKind kind, DeepNetOptions options, TensorShape shape, DataViewSchema.Column label, int classes, int outputs)
    {
        Kind = kind;
        Options = options;
        Shape = shape;
        Label = label;
        Classes = classes;
        Outputs = outputs;
    }

    public NetworkPredictionKind Kind { get; }

    public DeepNetOptions Options { get; }

    /// <summary>The shape of one sample's features.</summary>
    public TensorShape Shape { get; }

    /// <summary>The training schema's label column.</summary>
    public DataViewSchema.Column Label { get; }

    /// <summary>The number of classes (2 for binary), or 0 for regression.</summary>
    public int Classes { get; }

    /// <summary>The network's outputs.</summary>
    public int Outputs { get; }

    public string FeatureName => Options.FeatureColumnName;

    public string LabelName => Options.LabelColumnName;

    public string? WeightName => Options.ExampleWeightColumnName;

    /// <summary>Checks the training schema's columns for <paramref name="kind"/>; throws naming the column and what was expected.</summary>
    public static TrainingTask Create(NetworkPredictionKind kind, DataViewSchema schema, DeepNetOptions options)
    {
        var shape = TrainingData.FeatureShape(schema, options.FeatureColumnName, options.ImageShape);
        string labelName = options.LabelColumnName;
        TrainingTask task = kind switch
        {
            NetworkPredictionKind.MulticlassClassification => Multiclass(),
            NetworkPredictionKind.BinaryClassification => new(kind, options, shape,
                TrainingData.LabelColumn(schema, labelName, BooleanDataViewType.Instance, "binary classification"), 2, 1),
            _ => new(kind, options, shape, TrainingData.LabelColumn(schema, labelName, NumberDataViewType.Single, "regression"), 0, 1),
        };
        if (options.ExampleWeightColumnName is { } weightName)
        {
            var weight = schema.GetColumnOrNull(weightName)
                ?? throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.ExampleWeightColumnName), $"Weight column '{weightName}' (ExampleWeightColumnName) not found; the data has columns: {string.Join(", ", schema.Select(c => c.Name))}.");
            CheckWeightType(weight, "training data");
        }
        if (kind == NetworkPredictionKind.Regression && options.LabelSmoothing > 0 && options.LabelSmoothing != options.RecipeLabelSmoothing)
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.LabelSmoothing), options.LabelSmoothing, "LabelSmoothing smooths the classification losses; a regression has no classes to smooth. Leave it at 0.");
        if (options.Augmentation is not null && shape.Rank != 3)
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.Augmentation),
                $"Augmentation transforms images, and the features column '{options.FeatureColumnName}' has shape {shape}, without image dimensions [C, H, W]. "
                + "Give it image dimensions (ExtractPixels, LoadFromIdx, or DeepNetOptions.ImageShape) or unset Augmentation.");
        if (options.ClassWeights is not null && kind == NetworkPredictionKind.Regression)
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.ClassWeights), "ClassWeights is for classification; a regression has no classes. Use ExampleWeightColumnName to weigh rows.");
        return task;

        TrainingTask Multiclass()
        {
            int classes = TrainingData.ClassCount(schema, labelName);
            var label = schema[labelName];
            if (label.Type.RawType != typeof(uint))
                throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.LabelColumnName), $"Label column '{labelName}' must be a key of UInt32; found {label.Type}.");
            return new(kind, options, shape, label, classes, classes);
        }
    }

    /// <summary>The training loss.</summary>
    public Loss CreateLoss() => Kind switch
    {
        NetworkPredictionKind.MulticlassClassification => new SoftmaxCrossEntropy(Options.LabelSmoothing),
        NetworkPredictionKind.BinaryClassification => new SigmoidBinaryCrossEntropy(Options.LabelSmoothing),
        _ => new MeanSquaredError(),
    };

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming the validation data and the column unless
    /// <paramref name="validation"/> has the training data's features, label and weight columns, of the same types.
    /// </summary>
    public void CheckValidationSchema(DataViewSchema validation)
    {
        Same(FeatureName, "features", Shape.ToString());
        Same(LabelName, "label", null);
        if (WeightName is { } weight)
        {
            var column = validation.GetColumnOrNull(weight)
                ?? throw new ArgumentOutOfRangeException("validationData", $"The validation data has no weight column '{weight}' (ExampleWeightColumnName), which the training data has; its columns: {string.Join(", ", validation.Select(c => c.Name))}.");
            CheckWeightType(column, "validation data");
        }

        void Same(string name, string role, string? shape)
        {
            var column = validation.GetColumnOrNull(name)
                ?? throw new ArgumentOutOfRangeException("validationData", $"The validation data has no {role} column '{name}'; its columns: {string.Join(", ", validation.Select(c => c.Name))}.");
            var trained = role == "label" ? Label.Type : null;
            if (trained is not null && !column.Type.Equals(trained))
                throw new ArgumentOutOfRangeException("validationData", $"The validation data's {role} column '{name}' is {column.Type}; the training data's is {trained}. Give both the same schema (the same pipeline up to the trainer).");
            if (shape is not null)
            {
                string other;
                try { other = TrainingData.FeatureShape(validation, name, Options.ImageShape).ToString(); }
                catch (ArgumentOutOfRangeException e) { throw new ArgumentOutOfRangeException("validationData", $"The validation data's {role} column: {e.Message}"); }
                if (other != shape)
                    throw new ArgumentOutOfRangeException("validationData", $"The validation data's {role} column '{name}' has shape {other}; the training data's has {shape}. Give both the same schema (the same pipeline up to the trainer).");
            }
        }
    }

    /// <summary>Reads a label into the engine's target; false skips the row (missing label, as ML.NET's trainers skip it).</summary>
    public TargetReader TargetGetter(DataViewRow row)
    {
        string name = LabelName;
        switch (Kind)
        {
            case NetworkPredictionKind.MulticlassClassification:
            {
                var get = row.GetGetter<uint>(row.Schema[name]);
                int classes = Classes;
                uint key = 0;
                return (long index, out float target) =>
                {
                    get(ref key);
                    target = key - 1f;
                    if (key == 0) return false;
                    if (key > classes) throw new InvalidOperationException($"Row {index}: label column '{name}' holds key {key}, outside 1..{classes}.");
                    return true;
                };
            }
            case NetworkPredictionKind.BinaryClassification:
            {
                var get = row.GetGetter<bool>(row.Schema[name]);
                bool value = false;
                return (long index, out float target) =>
                {
                    get(ref value);
                    target = value ? 1f : 0f;
                    return true;
                };
            }
            default:
            {
                var get = row.GetGetter<float>(row.Schema[name]);
                float value = 0;
                return (long index, out float target) =>
                {
                    get(ref value);
                    target = value;
                    if (float.IsNaN(value)) return false;
                    if (float.IsInfinity(value)) throw new InvalidOperationException($"Row {index}: label column '{name}' is {value}; regression needs finite labels.");
                    return true;
                };
            }
        }
    }

    /// <summary>Converts the current row's label to the engine's target; false skips the row.</summary>
    public delegate bool TargetReader(long row, out float target);

    private static void CheckWeightType(DataViewSchema.Column column, string where)
    {
        if (!column.Type.Equals(NumberDataViewType.Single))
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.ExampleWeightColumnName),
                $"Weight column '{column.Name}' (ExampleWeightColumnName) of the {where} must be Single, one weight a row; found {column.Type}. Convert it with ml.Transforms.Conversion.ConvertType.");
    }
}
