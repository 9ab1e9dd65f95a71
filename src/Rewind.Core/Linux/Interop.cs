using System.Runtime.InteropServices;

namespace Rewind.Linux;

/// <summary>
/// The kernel and libc surfaces Rewind calls. C names stay inside this class (one file per
/// surface); the rest of the code sees enums and value types.
/// </summary>
internal static partial class Interop
{
    internal const string Libc = "libc.so.6";

    /// <summary>Turns a failed call's errno into an exception carrying the call's name.</summary>
    internal static ErrnoException Error(string call) => new(call, Marshal.GetLastPInvokeError());

    internal static long Check(long result, string call) => result < 0 ? throw Error(call) : result;
}

/// <summary>A failed system call: the call's name and errno.</summary>
public sealed class ErrnoException(string call, int errno)
    : RewindException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
{
    public int Errno { get; } = errno;

    public string Call { get; } = call;
}
