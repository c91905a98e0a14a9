namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The error function erf and its complement erfc, computed in double precision (about 1e-15 relative) so that
/// the float results are correctly rounded or within one unit in the last place: a float erf accurate to about
/// 6e-8 relative. GELU needs erfc of its own: 1 + erf(x) for negative x would lose every digit to cancellation.
/// </summary>
/// <remarks>
/// Two expansions, each where it converges fast and sums no terms of opposite signs:
/// <list type="bullet">
/// <item>|u| &lt; 2: erf(u) = 2/√π e^(-u²) Σ 2ⁿ u^(2n+1) / (1·3·…·(2n+1)), whose terms are all positive;</item>
/// <item>u ≥ 2: erfc(u) = e^(-u²)/√π · 1/(u + (1/2)/(u + 1/(u + (3/2)/(u + …)))), the continued fraction
/// evaluated from a fixed depth, deep enough at u = 2 and more so beyond.</item>
/// </list>
/// </remarks>
internal static class ErrorFunction
{
    private const double TwoOverSqrtPi = 1.1283791670955125739; // 2 / √π
    private const double OneOverSqrtPi = 0.56418958354775628695; // 1 / √π
    private const double SeriesLimit = 2.0;
    private const int FractionDepth = 90;

    /// <summary>erf(x) rounded to float.</summary>
    public static float Erf(float x) => (float)Erf((double)x);

    /// <summary>erfc(x) = 1 - erf(x) rounded to float, accurate relative to erfc itself (also where it is tiny).</summary>
    public static float Erfc(float x) => (float)Erfc((double)x);

    /// <summary>erf(x) in double precision.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double u = Math.Abs(x);
        double value = u < SeriesLimit ? Series(u) : 1.0 - Fraction(u);
        return x < 0 ? -value : value;
    }

    /// <summary>erfc(x) in double precision.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 0) return 1.0 + (-x < SeriesLimit ? Series(-x) : 1.0 - Fraction(-x));
        return x < SeriesLimit ? 1.0 - Series(x) : Fraction(x);
    }

    /// <summary>erf(u) for 0 ≤ u &lt; 2 by the series of positive terms.</summary>
    private static double Series(double u)
    {
        double twoU2 = 2.0 * u * u, term = u, sum = u;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= twoU2 / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * Math.Exp(-u * u) * sum;
    }

    /// <summary>erfc(u) for u ≥ 2 by the continued fraction; 0 where it underflows.</summary>
    private static double Fraction(double u)
    {
        if (u > 27.3) return 0.0;
        double f = u;
        for (int k = FractionDepth; k >= 1; k--) f = u + 0.5 * k / f;
        return OneOverSqrtPi * Math.Exp(-u * u) / f;
    }
}
