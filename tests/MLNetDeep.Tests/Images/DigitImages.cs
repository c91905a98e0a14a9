using Microsoft.ML.Data;
using MLNetDeep.Datasets;

namespace MLNetDeep.Tests.Images;

/// <summary>Writes embedded digits as PNG files, the way a user's image folder looks.</summary>
internal static class DigitImages
{
    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";

        public float Label { get; set; }
    }

    /// <summary>Digits <paramref name="start"/>.. as 28x28 grey PNGs (RGB channels equal) in <paramref name="directory"/>.</summary>
    public static List<ImageRow> Write(string directory, int start, int count)
    {
        var rows = new List<ImageRow>(count);
        var bgra = new byte[28 * 28 * 4];
        for (int i = start; i < start + count; i++)
        {
            var pixels = EmbeddedDigits.Images.Image(i);
            for (int p = 0; p < pixels.Length; p++)
            {
                bgra[4 * p] = bgra[4 * p + 1] = bgra[4 * p + 2] = pixels[p];
                bgra[4 * p + 3] = 255;
            }
            string path = Path.Combine(directory, $"digit-{i:D5}.png");
            using (var image = MLImage.CreateFromPixels(28, 28, MLPixelFormat.Bgra32, bgra)) image.Save(path);
            rows.Add(new ImageRow { ImagePath = path, Label = EmbeddedDigits.Labels[i] });
        }
        return rows;
    }
}
