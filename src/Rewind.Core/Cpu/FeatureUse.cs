namespace Rewind.Cpu;

/// <summary>What a CPUID feature bit means to a recorded program, and so to replay on another CPU.</summary>
public enum FeatureUse
{
    /// <summary>Instructions glibc's ifuncs, the dynamic loader or the program select on: replay needs them.</summary>
    Instructions,

    /// <summary>A vendor's own extension (SSE4a, XOP, FMA4, TBM, 3DNow!) that glibc does not select on.</summary>
    VendorExtension,

    /// <summary>A speed hint (ERMS, FSRM …): it changes which code glibc picks, not which instructions exist.</summary>
    PerformanceHint,
}
