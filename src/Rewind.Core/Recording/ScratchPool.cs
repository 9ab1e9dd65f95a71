using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Recording;

/// <summary>
/// Scratch memory in a recorded process for the output buffers of syscalls that wait in the
/// kernel while other threads run (shared/DESIGN.md §9, rr's scratch buffers;
/// <see cref="OutputRedirect"/>). One anonymous mapping, made at exec before the image is saved,
/// so every replay starting from that image has it too and the layouts stay alike; a fork child
/// inherits it (fork(2) copies the mappings). Its pieces are lent to the syscalls in flight.
/// </summary>
internal sealed class ScratchPool
{
    /// <summary>Room for the buffers of every syscall in flight in the process; a call that does not fit is not redirected.</summary>
    private const ulong Size = 8 << 20;

    /// <summary>Where the mapping is asked for: far below the libraries and above the heap, so that the program's own layout is the one it has alone.</summary>
    private const ulong Hint = 0x6fff_0000_0000;

    private readonly ulong _start;
    // The pieces lent out, by start, with their ends.
    private readonly SortedDictionary<ulong, ulong> _lent = [];

    private ScratchPool(ulong start) => _start = start;

    /// <summary>
    /// Maps the pool into <paramref name="tracee"/>'s process, stopped where a syscall can be
    /// injected; null where the kernel refuses (an address-space limit, say): nothing is moved then.
    /// </summary>
    public static ScratchPool? Map(Tracee tracee)
    {
        long start = tracee.InjectSyscall(Nr.mmap, Hint, Size, Interop.PROT_READ | Interop.PROT_WRITE,
            Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_NORESERVE, ulong.MaxValue, 0);
        return Errno.IsError(start) ? null : new ScratchPool((ulong)start);
    }

    /// <summary>The same mapping in a fork child, with nothing lent yet.</summary>
    public ScratchPool Inherited() => new(_start);

    /// <summary>Lends <paramref name="length"/> bytes (the first gap that holds them, 64-byte aligned); null when none does.</summary>
    public RemotePtr? Lend(ulong length)
    {
        ulong at = _start;
        foreach (var (start, end) in _lent)
        {
            if (start - at >= length)
            {
                break;
            }
            at = (end + 63) & ~63UL;
        }
        if (length > Size || at + length > _start + Size)
        {
            return null;
        }
        _lent[at] = at + Math.Max(length, 1);
        return new RemotePtr(at);
    }

    public void Return(RemotePtr piece) => _lent.Remove(piece.Value);
}
