namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The error function erf and its complement erfc, computed in double precision (about 1e-11 relative) so that
/// the float results are correctly rounded or within one unit in the last place: a float erf accurate to about
/// 6e-8 relative. GELU needs erfc of its own: 1 + erf(x) for negative x would lose every digit to cancellation.
/// </summary>
/// <remarks>
/// Two exact expansions, each where it converges and sums no terms of opposite signs, define the values:
/// <list type="bullet">
/// <item>|u| &lt; 2: erf(u) = 2/√π e^(-u²) Σ 2ⁿ u^(2n+1) / (1·3·…·(2n+1)), whose terms are all positive;</item>
/// <item>u ≥ 2: erfc(u) = e^(-u²)/√π · 1/(u + (1/2)/(u + 1/(u + (3/2)/(u + …)))), the continued fraction
/// evaluated from a fixed depth, deep enough at u = 2 and more so beyond.</item>
/// </list>
/// They cost up to a hundred divisions, so a pass over activations evaluates faster forms made from them once:
/// erf(u) / u as its Taylor polynomial in u² for |u| ≤ 1 (13 terms, the first left out below 1e-11), and e^(u²) erfc(u),
/// smooth and slowly varying, as Chebyshev interpolants on intervals of [1, 27.3] sampled from the exact expansions
/// (beyond 27.3 erfc underflows). <c>SmoothActivationTests</c> holds both against MathNet.Numerics.
/// </remarks>
internal static class ErrorFunction
{
    private const double TwoOverSqrtPi = 1.1283791670955125739; // 2 / √π
    private const double OneOverSqrtPi = 0.56418958354775628695; // 1 / √π
    private const double SeriesLimit = 2.0, Underflow = 27.3;
    private const int FractionDepth = 90, TaylorTerms = 13, ChebyshevNodes = 14;

    private static readonly double[] s_bounds = [1, 1.5, 2, 2.75, 3.5, 4.5, 6, 8, 11, 16, Underflow];
    private static readonly double[] s_taylor = Taylor();
    private static readonly double[][] s_chebyshev = [.. Enumerable.Range(0, s_bounds.Length - 1).Select(i => Chebyshev(s_bounds[i], s_bounds[i + 1]))];

    /// <summary>erf(x) rounded to float.</summary>
    public static float Erf(float x) => (float)(Math.Abs(x) <= 1 ? x * ErfOverU((double)x * x) : x < 0 ? Erfc(-(double)x) - 1 : 1 - Erfc((double)x));

    /// <summary>erfc(x) = 1 - erf(x) rounded to float, accurate relative to erfc itself (also where it is tiny).</summary>
    public static float Erfc(float x) => (float)Erfc((double)x);

    /// <summary>erfc(x) in double precision (about 1e-11 relative), by the fast forms.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        double u = Math.Abs(x);
        if (u <= 1) return 1 - x * ErfOverU(u * u);
        double tail = u >= Underflow ? 0 : Math.Exp(-u * u) * ScaledTail(u);
        return x > 0 ? tail : 2 - tail;
    }

    /// <summary>erf(u) / u for |u| ≤ 1 from its Taylor polynomial in z = u² (Horner's rule).</summary>
    private static double ErfOverU(double z)
    {
        double p = s_taylor[TaylorTerms - 1];
        for (int n = TaylorTerms - 2; n >= 0; n--) p = p * z + s_taylor[n];
        return p;
    }

    /// <summary>e^(u²) erfc(u) for 1 ≤ u &lt; 27.3 from its interpolant (Clenshaw's recurrence).</summary>
    private static double ScaledTail(double u)
    {
        int i = 0;
        while (u >= s_bounds[i + 1]) i++;
        var c = s_chebyshev[i];
        double lo = s_bounds[i], hi = s_bounds[i + 1], t = (2 * u - lo - hi) / (hi - lo), b1 = 0, b2 = 0;
        for (int k = c.Length - 1; k >= 1; k--) (b1, b2) = (2 * t * b1 - b2 + c[k], b1);
        return t * b1 - b2 + c[0];
    }

    /// <summary>erfc(x) by the exact expansions (up to a hundred divisions): what the fast forms are made from and tested against.</summary>
    internal static double ErfcExact(double x)
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
        if (u > Underflow) return 0.0;
        return OneOverSqrtPi * Math.Exp(-u * u) / FractionDenominator(u);
    }

    /// <summary>erf(u) / u = 2/√π Σ (-1)ⁿ (u²)ⁿ / (n! (2n + 1)): the coefficients of its powers of u².</summary>
    private static double[] Taylor()
    {
        var c = new double[TaylorTerms];
        double factorial = 1;
        for (int n = 0; n < TaylorTerms; n++)
        {
            if (n > 0) factorial *= n;
            c[n] = (n % 2 == 0 ? 1 : -1) * TwoOverSqrtPi / (factorial * (2 * n + 1));
        }
        return c;
    }

    /// <summary>The Chebyshev coefficients of e^(u²) erfc(u) on [lo, hi], from its values at the Chebyshev nodes.</summary>
    private static double[] Chebyshev(double lo, double hi)
    {
        var values = new double[ChebyshevNodes];
        for (int j = 0; j < ChebyshevNodes; j++)
        {
            double t = Math.Cos(Math.PI * (j + 0.5) / ChebyshevNodes), u = 0.5 * (hi + lo) + 0.5 * (hi - lo) * t;
            // e^(u²) erfc(u) without the underflow of erfc: the fraction's own form, or the series' for u < 2.
            values[j] = u < SeriesLimit ? Math.Exp(u * u) * ErfcExact(u) : OneOverSqrtPi / FractionDenominator(u);
        }
        var c = new double[ChebyshevNodes];
        for (int k = 0; k < ChebyshevNodes; k++)
        {
            double sum = 0;
            for (int j = 0; j < ChebyshevNodes; j++) sum += values[j] * Math.Cos(Math.PI * k * (j + 0.5) / ChebyshevNodes);
            c[k] = (k == 0 ? 1.0 : 2.0) * sum / ChebyshevNodes;
        }
        return c;
    }

    /// <summary>The continued fraction u + (1/2)/(u + 1/(u + …)) at the fixed depth.</summary>
    private static double FractionDenominator(double u)
    {
        double f = u;
        for (int k = FractionDepth; k >= 1; k--) f = u + 0.5 * k / f;
        return f;
    }
}
