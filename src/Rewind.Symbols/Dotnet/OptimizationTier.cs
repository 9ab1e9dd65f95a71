namespace Rewind.Symbols.Dotnet;

/// <summary>How the JIT compiled a code version (DacpTieredVersionData::OptimizationTier, dacprivate.h).</summary>
internal enum OptimizationTier
{
    Unknown = 0,
    MinOptJitted = 1,
    Optimized = 2,
    QuickJitted = 3,
    OptimizedTier1 = 4,
    ReadyToRun = 5,
    OptimizedTier1OSR = 6,
    QuickJittedInstrumented = 7,
    OptimizedTier1Instrumented = 8,
}
