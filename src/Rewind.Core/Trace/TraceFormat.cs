namespace Rewind.Trace;

/// <summary>The constants of the container format; docs/trace-format.md is their prose.</summary>
public static class TraceFormat
{
    /// <summary>
    /// The format this build writes, and the newest it reads. 2 added the shared file mapping of
    /// syscall events (flag 4), which a version 1 reader would misread; 3 the paths a syscall was
    /// given (flag 8), which a version 2 reader refuses as an unknown flag; 4 every process of the
    /// program (new process events, kind 10), whose fork a version 3 reader would skip; 5
    /// checkpoints of every process alive, which a version 4 reader would take for the first
    /// process's alone, restoring it without the others; 6 the program's own seccomp filters (its
    /// seccomp events and checkpoints' filters), which a version 5 reader would replay without; 7
    /// signal frames with the CPU's own state cleared (<see cref="ClearedSignalFrames"/>); 8 private
    /// views of a file's stand-in (a private checkpoint region naming a shared file), which a
    /// version 7 reader would map shared; 9 time reads logged in the program (<see cref="TimeReadsLogged"/>);
    /// 10 syscalls hooked in the program (<see cref="SyscallHooks"/>), whose code patch events a
    /// version 9 reader does not know; 11 opens, reads and anonymous mmaps hooked too
    /// (<see cref="OpensHooked"/>), which a version 10 reader would not find in the log.
    /// </summary>
    public const ushort CurrentVersion = 11;

    /// <summary>
    /// Since version 11 the page of hooked syscalls also opens and reads files and maps anonymous
    /// memory, with its code laid out anew:
    /// replay finds its calls' events by their syscalls being in the page, where a version 10
    /// reader knows them by the addresses of its own layout.
    /// </summary>
    public const ushort OpensHooked = 11;

    /// <summary>
    /// Since version 10 the recorder patches the program's syscall sites to Rewind's page of hooked
    /// syscalls (SyscallHookPage), which logs its calls in the entries of the time reads, and
    /// replay empties the page's data with them; code patch events (kind 14) say where.
    /// </summary>
    public const ushort SyscallHooks = 10;

    /// <summary>
    /// Since version 9 the vDSO's time functions log their reads in Rewind's page of time reads
    /// (TimeReadPage), whose count replay must empty where the recorder took the log; a version 8
    /// reader would not, and the code would take the kernel's way where it had not.
    /// </summary>
    public const ushort TimeReadsLogged = 9;

    /// <summary>
    /// Since version 7 the recorder clears the CPU's own state from a signal's handler frame (the
    /// last exception's words, the resume flag) where no exception raised the signal
    /// (Linux.SignalFrame), and replay does so too; a version 6 reader would replay with it
    /// stale, and a stack digest covering a frame would not match.
    /// </summary>
    public const ushort ClearedSignalFrames = 7;

    /// <summary>The largest payload a chunk may carry, before compression (1 GiB).</summary>
    public const int MaxPayloadLength = 1 << 30;

    /// <summary>What LZ4 may need for an incompressible 1 GiB payload (0.4% growth), rounded up.</summary>
    internal const int MaxStoredLength = MaxPayloadLength + (MaxPayloadLength / 128);

    internal const int PrologueSize = 16;
    internal const int ChunkHeaderSize = 24;
    internal const int TrailerSize = 16;

    /// <summary>
    /// LZ4 expands at most ~255 times (each extra byte of match length encodes 255 bytes),
    /// so a raw length above this multiple of the stored length is a lie: refusing it keeps
    /// hostile bytes from making us allocate a gigabyte for a ten-byte frame.
    /// </summary>
    internal const int MaxExpansion = 256;

    internal static ReadOnlySpan<byte> FileMagic => "RWNDTRC\0"u8;

    /// <summary>Whether the file at <paramref name="path"/> starts as a trace does (an interrupted recording's too).</summary>
    public static bool StartsLikeTrace(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var file = File.OpenHandle(path);
        return RandomAccess.Read(file, head, 0) == head.Length && head.SequenceEqual(FileMagic);
    }

    internal static ReadOnlySpan<byte> EndMagic => "RWNDEND\0"u8;
}
