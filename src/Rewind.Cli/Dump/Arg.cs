namespace Rewind.Cli.Dump;

/// <summary>How one argument of a syscall is shown (<see cref="SyscallFormatter"/>).</summary>
internal enum Arg
{
    /// <summary>A number in hex, or NULL (a pointer whose contents the trace does not hold).</summary>
    Pointer,
    /// <summary>A signed 32-bit decimal: fds, counts, ids.</summary>
    Int,
    /// <summary>A signed 64-bit decimal: offsets, lengths.</summary>
    Long,
    /// <summary>An unsigned decimal: sizes.</summary>
    Size,
    /// <summary>An fd that may be AT_FDCWD.</summary>
    DirFd,
    /// <summary>A path the recorder kept (format 3), else the pointer.</summary>
    FilePath,
    /// <summary>A buffer the kernel filled, result bytes long: its data from the trace.</summary>
    ReadBuffer,
    /// <summary>A buffer the program wrote from: its data where the trace holds it (stdout and stderr), else the pointer.</summary>
    WriteBuffer,
    /// <summary>An octal mode (chmod, mkdir; open's only with O_CREAT or O_TMPFILE).</summary>
    Mode,
    OpenFlags,
    AccessMode,
    AtFlags,
    Prot,
    MapFlags,
    SignalNumber,
    /// <summary>A struct stat the kernel filled: its type, mode and size.</summary>
    Stat,
    Whence,
    SigprocmaskHow,
    ClockId,
    FutexOp,
    Hex,
}
