using System.Runtime.InteropServices;

namespace Rewind.Linux;

/// <summary>
/// Reads this CPU's time-stamp counter for a tracee whose rdtsc trapped. .NET has no rdtsc
/// intrinsic, so a few bytes of machine code are placed in an executable page of our own.
/// </summary>
internal static unsafe partial class TimeStampCounter
{
    // rdtscp; mov [rdi], ecx; shl rdx, 32; or rax, rdx; ret
    private static readonly byte[] Code = [0x0f, 0x01, 0xf9, 0x89, 0x0f, 0x48, 0xc1, 0xe2, 0x20, 0x48, 0x09, 0xd0, 0xc3];

    private static readonly delegate* unmanaged<uint*, ulong> ReadCounter = Load();

    /// <summary>The counter and TSC_AUX (what rdtscp puts in ecx).</summary>
    public static (ulong Counter, uint Aux) Read()
    {
        uint aux;
        ulong counter = ReadCounter(&aux);
        return (counter, aux);
    }

    private static delegate* unmanaged<uint*, ulong> Load()
    {
        nint page = mmap(0, 4096, Interop.PROT_READ | Interop.PROT_WRITE, Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS, -1, 0);
        if (page == -1)
        {
            throw Interop.Error("mmap");
        }
        Code.CopyTo(new Span<byte>((void*)page, Code.Length));
        if (mprotect(page, 4096, Interop.PROT_READ | Interop.PROT_EXEC) != 0)
        {
            throw Interop.Error("mprotect");
        }
        return (delegate* unmanaged<uint*, ulong>)page;
    }

    [LibraryImport(Interop.Libc, SetLastError = true)]
    private static partial nint mmap(nint addr, nint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Interop.Libc, SetLastError = true)]
    private static partial int mprotect(nint addr, nint length, int prot);
}
