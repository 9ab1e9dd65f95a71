namespace Rewind.Symbols.Tests.Support;

/// <summary>A theory that needs clang; skipped with a reason where the machine has none.</summary>
internal sealed class ClangTheoryAttribute : TheoryAttribute
{
    public ClangTheoryAttribute()
    {
        if (!Toolchain.Has("clang"))
            Skip = "clang is not installed (apt-get install clang)";
        else if (!Toolchain.Has("gdb"))
            Skip = "gdb is not installed";
    }
}
