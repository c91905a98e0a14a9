// The engine's batch tensor, named before System.Numerics.Tensors' generic Tensor<T> type of the same simple name.
global using Tensor = MLNetDeep.Engine.Tensors.Tensor;
