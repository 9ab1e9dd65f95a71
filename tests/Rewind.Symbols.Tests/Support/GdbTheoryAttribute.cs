namespace Rewind.Symbols.Tests.Support;

/// <summary>A theory that compares with gdb; skipped with a reason where gcc or gdb is missing.</summary>
internal sealed class GdbTheoryAttribute : TheoryAttribute
{
    public GdbTheoryAttribute()
    {
        if (!Toolchain.Has("gdb"))
            Skip = "gdb is not installed";
        else if (!Toolchain.Has("gcc"))
            Skip = "gcc is not installed";
    }
}
