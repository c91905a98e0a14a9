// The course's ideas, one subcommand each, and the comparison with ML.NET's own trainers:
//   dotnet run --project samples/MLNetDeep.Samples -c Release -- compare [--quick] [--out DIR] [--data DIR]
// Each subcommand is one file beside this one; Sample.cs lists them.
using MLNetDeep.Samples;

return Sample.Run(args);
