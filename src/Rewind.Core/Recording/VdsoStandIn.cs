using System.Buffers.Binary;

namespace Rewind.Recording;

/// <summary>
/// The vDSO of a new image, its functions rewritten to make the syscalls they stand for.
/// The kernel's vDSO reads time from the vvar pages and with rdtsc, which no ptrace stop sees
/// (shared/DESIGN.md §3). Hiding it (AT_SYSINFO_EHDR to AT_IGNORE) was the first way, but
/// programs read the vDSO's ELF symbols themselves (getauxval(AT_SYSINFO_EHDR), then
/// __vdso_clock_gettime: the kernel's own selftests/vDSO/parse_vdso.c) and found none. The copy
/// keeps the kernel's ELF image, its symbols and versions where auxv says, so glibc and such
/// programs find the functions as natively; each entry now holds <c>mov eax, NR; syscall; ret</c>,
/// whose syscall the recorder logs like any other, or, for the time reads, a jump to their code
/// in <see cref="TimeReadPage"/>, which logs them without a stop. The image's checkpoint holds
/// the rewritten pages, so every replay has them.
/// </summary>
internal static class VdsoStandIn
{
    private const int SHT_DYNSYM = 11, PT_LOAD = 1, STT_FUNC = 2, ENOSYS = 38;

    /// <summary>The functions a vDSO exports (arch/x86/entry/vdso/vdso.lds.S) and the syscalls with their arguments.</summary>
    private static readonly Dictionary<string, int> Syscalls = new()
    {
        ["clock_gettime"] = 228, ["gettimeofday"] = 96, ["time"] = 201, ["getcpu"] = 309, ["clock_getres"] = 229,
    };

    /// <summary>
    /// Replaces the vDSO of <paramref name="tracee"/>'s new image (stopped where a syscall can be
    /// injected); nothing where it has none (vdso=0 on the kernel's command line).
    /// </summary>
    public static void Replace(Tracee tracee)
    {
        var vdso = AddressSpace.Read(tracee.Pid).Regions.FirstOrDefault(r => r.Name == "[vdso]");
        if (vdso == null)
        {
            return;
        }
        var image = tracee.ReadBytes(vdso.Start, checked((int)vdso.Length));
        Redirect(image);
        // Written in place, through /proc/PID/mem as a debugger's breakpoint is: the kernel gives
        // the process its own copy of the pages (FOLL_FORCE breaks copy-on-write), and the mapping
        // stays "[vdso]" in /proc/PID/maps, where programs look for it. Checkpoints save it
        // (MemoryRegion.IsRecorded); replay maps those bytes at its address as anonymous memory.
        tracee.Write(vdso.Start, image);
    }

    /// <summary>Writes over each exported function of the ELF <paramref name="image"/> the code that makes its syscall.</summary>
    internal static void Redirect(Span<byte> image)
    {
        if (image.Length < 64 || !image[..4].SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']))
        {
            throw new RewindException("the vDSO is not an ELF image");
        }
        ulong bias = LoadBias(image);
        var sections = Table(image, U64(image, 0x28), U16(image, 0x3a), U16(image, 0x3c));
        foreach (var section in sections.Where(s => U32(s, 4) == SHT_DYNSYM))
        {
            var strings = sections.ElementAtOrDefault((int)U32(section, 0x28)) ?? throw new RewindException("the vDSO's symbols have no string table");
            var names = Slice(image, U64(strings, 0x18), U64(strings, 0x20));
            var symbols = Slice(image, U64(section, 0x18), U64(section, 0x20));
            for (int i = 0; i + 24 <= symbols.Length; i += 24)
            {
                var symbol = symbols.Slice(i, 24);
                if ((symbol[4] & 0xf) != STT_FUNC || U16(symbol, 6) == 0)
                {
                    continue;
                }
                var name = names[(int)Math.Min(U32(symbol, 0), (ulong)names.Length)..];
                name = name[..Math.Max(0, name.IndexOf((byte)0))];
                var body = Slice(image, U64(symbol, 8) - bias, U64(symbol, 16));
                Fitted(System.Text.Encoding.ASCII.GetString(name).Replace("__vdso_", "", StringComparison.Ordinal), body.Length).CopyTo(body);
            }
        }
    }

    /// <summary>The code of one function: a jump to its code in the page of time reads, its syscall, getrandom's own answer, or -ENOSYS for one we do not know.</summary>
    private static byte[] Entry(string function)
    {
        if (TimeReadPage.EntryOf(function) is { } timeRead)
        {
            // movabs rax, entry; jmp rax: rax is the call's to return, clobbered anyway.
            return [0x48, 0xb8, .. BitConverter.GetBytes(timeRead.Value), 0xff, 0xe0];
        }
        if (Syscalls.TryGetValue(function, out int nr))
        {
            return SyscallThenReturn(nr);
        }
        if (function == "getrandom")
        {
            // vgetrandom(buffer, len, flags, opaque_state, opaque_len) (vgetrandom(2) draft,
            // lib/vdso/getrandom.c): opaque_len ~0 asks for the state's parameters, which glibc
            // uses to allocate per-thread states; any other call is getrandom(buffer, len, flags).
            // The states are plain private memory here: MAP_DROPPABLE pages could vanish in replay.
            return
            [
                0x49, 0x83, 0xf8, 0xff,                   // cmp r8, -1
                0x75, 0x17,                               // jne syscall
                0xc7, 0x01, 0x00, 0x01, 0x00, 0x00,       // mov dword [rcx], 256        size_of_opaque_state
                0xc7, 0x41, 0x04, 0x03, 0x00, 0x00, 0x00, // mov dword [rcx+4], 3        PROT_READ | PROT_WRITE
                0xc7, 0x41, 0x08, 0x22, 0x00, 0x00, 0x00, // mov dword [rcx+8], 0x22     MAP_PRIVATE | MAP_ANONYMOUS
                0x31, 0xc0,                               // xor eax, eax
                0xc3,                                     // ret
                .. SyscallThenReturn(318),                // syscall: getrandom
            ];
        }
        return Enosys();
    }

    /// <summary>The code of one function (<see cref="Entry"/>) where it fits <paramref name="room"/>, else its syscall or -ENOSYS.</summary>
    private static byte[] Fitted(string function, int room) =>
        Entry(function) is var code && code.Length <= room ? code
        : Syscalls.TryGetValue(function, out int nr) && SyscallThenReturn(nr).Length <= room ? SyscallThenReturn(nr) : Enosys();

    // mov eax, nr; syscall; ret
    private static byte[] SyscallThenReturn(int nr) => [0xb8, (byte)nr, (byte)(nr >> 8), 0, 0, 0x0f, 0x05, 0xc3];

    // mov rax, -ENOSYS; ret
    private static byte[] Enosys() => [0x48, 0xc7, 0xc0, unchecked((byte)-ENOSYS), 0xff, 0xff, 0xff, 0xc3];

    /// <summary>Symbol values are addresses: the first PT_LOAD's p_vaddr less its p_offset turns one into a file offset.</summary>
    private static ulong LoadBias(Span<byte> image)
    {
        foreach (var header in Table(image, U64(image, 0x20), U16(image, 0x36), U16(image, 0x38)))
        {
            if (U32(header, 0) == PT_LOAD)
            {
                return U64(header, 0x10) - U64(header, 0x08);
            }
        }
        throw new RewindException("the vDSO has no PT_LOAD");
    }

    private static List<byte[]> Table(Span<byte> image, ulong offset, ulong entrySize, ulong count)
    {
        var entries = new List<byte[]>((int)Math.Min(count, 256));
        for (ulong i = 0; i < count; i++)
        {
            entries.Add(Slice(image, offset + i * entrySize, entrySize).ToArray());
        }
        return entries;
    }

    private static ulong U16(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);

    private static ulong U32(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);

    private static ulong U64(ReadOnlySpan<byte> bytes, int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);

    private static Span<byte> Slice(Span<byte> image, ulong offset, ulong length) =>
        offset <= (ulong)image.Length && length <= (ulong)image.Length - offset
            ? image.Slice((int)offset, (int)length)
            : throw new RewindException($"the vDSO's ELF image has a part beyond its {image.Length} bytes");
}
