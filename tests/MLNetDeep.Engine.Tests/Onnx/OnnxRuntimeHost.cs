using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace MLNetDeep.Engine.Tests.Onnx;

/// <summary>
/// ONNX Runtime for the tests: the process's one environment, created here first with a logging
/// function that keeps every message at warning level or above, so a test can show that loading a
/// model logged nothing. Sessions are tagged with a log id of their own.
/// </summary>
internal static class OnnxRuntimeHost
{
    private static readonly ConcurrentQueue<(string LogId, OrtLoggingLevel Level, string Message)> s_messages = new();
    private static readonly DOrtLoggingFunction s_log = (_, level, category, logId, location, message) =>
        s_messages.Enqueue((logId, level, $"[{category}] {location}: {message}"));
    private static int s_sessions;

    static OnnxRuntimeHost()
    {
        var options = new EnvironmentCreationOptions { logId = "tests", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, loggingFunction = s_log };
        OrtEnv.CreateInstanceWithOptions(ref options);
    }

    /// <summary>A session for <paramref name="model"/>, with the messages ONNX Runtime logged while loading it.</summary>
    public static InferenceSession Load(byte[] model, out IReadOnlyList<string> warnings)
    {
        string logId = $"session-{Interlocked.Increment(ref s_sessions)}";
        using var options = new SessionOptions { LogId = logId, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, IntraOpNumThreads = 1 };
        var session = new InferenceSession(model, options);
        warnings = s_messages.Where(m => m.LogId == logId).Select(m => $"{m.Level}: {m.Message}").ToList();
        return session;
    }

    /// <summary>Runs <paramref name="session"/> on <paramref name="rows"/> samples of shape <paramref name="sampleShape"/> and returns the output's values.</summary>
    public static float[] Score(InferenceSession session, float[] inputs, int rows, ReadOnlySpan<int> sampleShape, string inputName = "input", string outputName = "output")
    {
        var shape = new long[sampleShape.Length + 1];
        shape[0] = rows;
        for (int i = 0; i < sampleShape.Length; i++) shape[i + 1] = sampleShape[i];
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [input], [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
