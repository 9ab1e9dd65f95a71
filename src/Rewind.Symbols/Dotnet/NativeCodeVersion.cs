namespace Rewind.Symbols.Dotnet;

/// <summary>One native code version of a managed method: where the JIT put it, its size, and how it was compiled.</summary>
internal readonly record struct NativeCodeVersion(ulong Start, uint Size, OptimizationTier Tier)
{
    public bool Holds(ulong address) => address >= Start && address - Start < Size;
}
