namespace Rewind.Syscalls;

/// <summary>
/// The syscalls that take a path (or two), and which of their arguments they are: the recorder
/// keeps the strings the program passed, for the readers of a trace (`rewind dump`, `rewind info`),
/// since replay never needs them (the result and the kernel's writes are what it reproduces).
/// </summary>
public static class SyscallPaths
{
    /// <summary>The longest path the kernel takes (PATH_MAX, with its NUL).</summary>
    public const int MaxLength = 4096;

    private static readonly Dictionary<int, int[]> PathArguments = new()
    {
        [2] = [0], [4] = [0], [6] = [0], [21] = [0], [59] = [0], [76] = [0], [80] = [0], [82] = [0, 1], [83] = [0], [84] = [0],
        [85] = [0], [86] = [0, 1], [87] = [0], [88] = [0, 1], [89] = [0], [90] = [0], [92] = [0], [94] = [0], [132] = [0], [133] = [0],
        [137] = [0], [161] = [0], [188] = [0], [189] = [0], [191] = [0], [192] = [0], [194] = [0], [195] = [0], [197] = [0], [198] = [0],
        [235] = [0], [254] = [1], [257] = [1], [258] = [1], [259] = [1], [260] = [1], [261] = [1], [262] = [1], [263] = [1], [264] = [1, 3],
        [265] = [1, 3], [266] = [0, 2], [267] = [1], [268] = [1], [269] = [1], [280] = [1], [303] = [1], [316] = [1, 3], [322] = [1],
        [332] = [1], [437] = [1], [439] = [1], [452] = [1], [463] = [1], [464] = [1], [465] = [1], [466] = [1],
        [468] = [1], [469] = [1],
    };

    /// <summary>Which arguments of syscall <paramref name="number"/> are paths, in order; empty for none.</summary>
    public static ReadOnlySpan<int> Arguments(int number) => PathArguments.TryGetValue(number, out var args) ? args : [];

    /// <summary>
    /// The paths syscall <paramref name="number"/> was given, read from the program's memory at its
    /// entry; null when it takes none. A null pointer (utimensat's, say) reads as "".
    /// </summary>
    public static IReadOnlyList<string>? Read(Tracee tracee, int number, ulong[] args)
    {
        var which = Arguments(number);
        if (which.IsEmpty)
        {
            return null;
        }
        var paths = new string[which.Length];
        for (int i = 0; i < which.Length; i++)
        {
            ulong at = args[which[i]];
            paths[i] = at == 0 ? "" : tracee.ReadCString(new RemotePtr(at), MaxLength);
        }
        return paths;
    }
}
