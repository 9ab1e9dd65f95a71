namespace Rewind.Cpu;

/// <summary>One user state component in the standard (non-compacted) XSAVE area: its place and size (CPUID leaf 0xd, subleaf <see cref="Index"/>).</summary>
public sealed record XsaveComponent(int Index, int Offset, int Size)
{
    /// <summary>The component's name in the Intel SDM (vol. 1, 13.1).</summary>
    public string Name => Index switch
    {
        2 => "AVX (upper YMM halves)",
        3 => "MPX bound registers",
        4 => "MPX bound config",
        5 => "AVX-512 opmask",
        6 => "AVX-512 upper ZMM halves",
        7 => "AVX-512 ZMM16-31",
        9 => "PKRU",
        17 => "AMX tile config",
        18 => "AMX tile data",
        19 => "APX extended registers",
        _ => $"component {Index}",
    };
}
