namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// What is done to one image: mirrored left to right when <see cref="Flip"/>, then moved <see cref="ShiftX"/> pixels
/// right and <see cref="ShiftY"/> down (what is uncovered is 0), then the rectangle of <see cref="EraseWidth"/> by
/// <see cref="EraseHeight"/> at (<see cref="EraseX"/>, <see cref="EraseY"/>) set to the fill value (none when its width is 0).
/// </summary>
internal readonly record struct ImageTransform(bool Flip, int ShiftX, int ShiftY, int EraseX, int EraseY, int EraseWidth, int EraseHeight);
