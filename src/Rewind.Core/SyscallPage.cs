using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind;

/// <summary>
/// Memory of Rewind's own in a process that installed seccomp filters of its own: a
/// <c>syscall</c> instruction at its start, from which every syscall Rewind injects into the
/// process runs, and room after it for the filter being installed. The program's filters let
/// syscalls made from here through (<see cref="ProgramFilter"/>), so a filter that denies fork or
/// mmap cannot break a checkpoint; the program's own syscalls never run from here. Its place is
/// fixed, below the scratch pool, so that record and replay (and a restored checkpoint, which
/// holds it as memory) agree on it; exec drops it and the recorder maps it again.
/// </summary>
public static class SyscallPage
{
    public static readonly RemotePtr Address = new(0x6ffe_fff0_0000);

    /// <summary>Room for a struct sock_fprog and the longest filter the kernel takes (BPF_MAXINSNS, 4096 instructions).</summary>
    public const ulong Size = 64 << 10;

    /// <summary>Where a filter is put for the kernel to read: after the instruction, 16-byte aligned.</summary>
    public static RemotePtr Scratch => Address + 16;

    private static readonly byte[] Instruction = [0x0f, 0x05];

    /// <summary>Whether <paramref name="t"/>'s process has the page.</summary>
    public static bool IsIn(Tracee t)
    {
        Span<byte> code = stackalloc byte[2];
        return t.Read(Address, code) == 2 && code.SequenceEqual(Instruction);
    }

    /// <summary>Maps the page into <paramref name="t"/>'s process unless it has it already; <paramref name="t"/>'s injected syscalls run from it after.</summary>
    public static void Ensure(Tracee t)
    {
        if (IsIn(t))
        {
            t.UseSyscallGadget(Address);
            return;
        }
        long at = t.InjectSyscall(Nr.mmap, Address.Value, Size, Interop.PROT_READ | Interop.PROT_EXEC,
            Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED_NOREPLACE, ulong.MaxValue, 0);
        if (at < 0)
        {
            throw new UnsupportedException($"the program has a seccomp filter of its own, and Rewind cannot map the page its own syscalls run from at {Address}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage((int)-at)}");
        }
        t.Write(Address, Instruction);
        t.UseSyscallGadget(Address);
    }
}
