global using Tensor = MLNetDeep.Engine.Tensors.Tensor;
