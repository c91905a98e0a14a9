// Times Optimizer.Step (Adam) on the MLP's parameters: a median over rounds of many steps, per thread count.
// Arguments: [rounds] [steps a round]. Output: one line a thread count, in microseconds a step.
using System.Diagnostics;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

int rounds = args.Length > 0 ? int.Parse(args[0]) : 15;
int stepsPerRound = args.Length > 1 ? int.Parse(args[1]) : 200;

Parameter[] parameters =
[
    new("w1", 512, 784, isWeight: true), new("b1", 1, 512, isWeight: false),
    new("w2", 512, 512, isWeight: true), new("b2", 1, 512, isWeight: false),
    new("w3", 10, 512, isWeight: true), new("b3", 1, 10, isWeight: false),
];
var random = new Random(1);
foreach (Parameter p in parameters)
    for (int i = 0; i < p.Length; i++)
        (p.Value[i], p.Gradient[i]) = ((float)(random.NextDouble() - 0.5) * 0.1f, (float)(random.NextDouble() - 0.5) * 1e-3f);

Console.WriteLine($"Adam step, {parameters.Sum(p => p.Length)} floats in {parameters.Length} parameters; {rounds} rounds of {stepsPerRound} steps");
foreach (int threads in new[] { 1, 2 })
{
    KernelThreads.Count = threads;
    // A fresh optimizer a thread count, its moments grown by a warm-up; the learning rate is small so the values stay finite.
    var adam = new Adam(1e-6f);
    for (int s = 0; s < stepsPerRound; s++) adam.Step(parameters);
    var perStep = new double[rounds];
    for (int r = 0; r < rounds; r++)
    {
        long start = Stopwatch.GetTimestamp();
        for (int s = 0; s < stepsPerRound; s++) adam.Step(parameters);
        perStep[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / stepsPerRound;
    }
    Array.Sort(perStep);
    Console.WriteLine($"threads {threads}: median {perStep[rounds / 2]:F1} us/step (min {perStep[0]:F1}, max {perStep[^1]:F1})");
}
