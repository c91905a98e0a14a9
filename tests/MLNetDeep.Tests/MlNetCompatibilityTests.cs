using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

/// <summary>
/// Fails loudly when an ML.NET upgrade breaks what src/MLNetDeep/Internal relies on, and keeps the use
/// of ML.NET internals inside that folder.
/// </summary>
public class MlNetCompatibilityTests
{
    private static readonly Assembly Library = typeof(NetworkPredictionTransformer).Assembly;

    [Fact]
    public void MlNetIsVersion5_0()
    {
        foreach (Assembly assembly in new[] { typeof(MLContext).Assembly, typeof(ModelSaveContext).Assembly })
        {
            string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            Assert.True(version?.StartsWith("5.0.", StringComparison.Ordinal) == true,
                $"{assembly.GetName().Name} is version {version}; src/MLNetDeep/Internal was written for ML.NET 5.0.x. Check it before moving the pin.");
        }
    }

    [Fact]
    public void EveryMemberTheLibraryUsesStillResolves()
    {
        var failures = new List<string>();
        foreach ((MethodBase method, _) in IlReferences.Methods(Library))
        {
            try
            {
                _ = IlReferences.ReferencedBy(method).Count();
            }
            catch (Exception e) when (e is MissingMemberException or TypeLoadException or BadImageFormatException or ArgumentException)
            {
                failures.Add($"{method.DeclaringType}.{method.Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, "References that no longer resolve:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void MlNetInternalsAreUsedOnlyUnderTheInternalFolder()
    {
        var violations = new List<string>();
        int usesInside = 0;
        foreach ((MethodBase method, string? file) in IlReferences.Methods(Library))
        {
            bool inside = file?.Replace('\\', '/').Contains("/Internal/", StringComparison.Ordinal)
                ?? method.DeclaringType!.Namespace == "MLNetDeep.Internal";
            foreach (MemberInfo member in IlReferences.ReferencedBy(method).Where(IsNonPublicMlNet))
            {
                if (inside)
                    usesInside++;
                else
                    violations.Add($"{file ?? method.DeclaringType!.FullName}: {method.Name} uses {member.DeclaringType}.{member.Name}");
            }
        }
        Assert.True(usesInside > 0, "The scan found no use of ML.NET internals at all, not even in Internal/: it is broken.");
        Assert.True(violations.Count == 0, "ML.NET internals used outside Internal/:\n" + string.Join('\n', violations.Distinct()));
    }

    [Fact]
    public void ASavedModelLoadsBackInProcess()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(HandData.Regression());
        ITransformer model = new StandInEstimator(ml, NetworkPredictionKind.Regression, StandIn.Regression).Fit(data);
        using var stream = new MemoryStream();

        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = ml.Model.Load(stream, out _);

        Assert.Equal(model.Transform(data).GetColumn<float>("Score"), loaded.Transform(data).GetColumn<float>("Score"));
    }

    private static bool IsNonPublicMlNet(MemberInfo member)
    {
        Type? type = member as Type ?? member.DeclaringType;
        if (type is null || type.Assembly.GetName().Name?.StartsWith("Microsoft.ML", StringComparison.Ordinal) != true)
            return false;
        return member switch
        {
            Type t => !t.IsVisible,
            MethodBase m => !type.IsVisible || !(m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly),
            FieldInfo f => !type.IsVisible || !(f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly),
            _ => false,
        };
    }
}
