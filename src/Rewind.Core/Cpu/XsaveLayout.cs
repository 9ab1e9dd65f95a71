using System.Buffers.Binary;

namespace Rewind.Cpu;

/// <summary>
/// Where a CPU's XSAVE area, as PTRACE_GETREGSET NT_X86_XSTATE returns it (the standard format),
/// keeps each user state component, and its size. The offsets differ between vendors (AMD has no
/// MPX components, so its AVX-512 and PKRU state sit lower than Intel's) and the size with the
/// components (Intel's AMX tile data makes it 11008 bytes); PTRACE_SETREGSET NT_X86_XSTATE takes
/// only a buffer of this CPU's exact size (arch/x86/kernel/fpu/regset.c, xstateregs_set), so a
/// state saved on another CPU is moved to this one's layout before it is restored.
/// </summary>
public sealed class XsaveLayout
{
    /// <summary>The legacy FXSAVE region (512 bytes) and the XSAVE header (64 bytes), the same on every CPU.</summary>
    private const int LegacyAndHeader = 576;

    /// <summary>
    /// The PKRU component, and the value Linux gives every process where the CPU has protection
    /// keys (init_pkru_value: every key but 0 access-disabled) until it changes it with pkey_alloc
    /// or WRPKRU; a CPU without them (as some hypervisors show one) has no place for it.
    /// </summary>
    private const int Pkru = 9;

    /// <summary>AMX's tile data, the one component Linux enables per process (XFEATURE_MASK_USER_DYNAMIC).</summary>
    private const int AmxTileData = 18;
    private const uint DefaultPkru = 0x55555554;

    /// <summary>XSTATE_BV, the header's bitmap of the components the saved state holds (Intel SDM vol. 1, 13.4.2).</summary>
    private const int StateBitmap = 512;

    private XsaveLayout(IReadOnlyDictionary<int, XsaveComponent> components)
    {
        Components = components;
        Size = components.Values.Select(c => c.Offset + c.Size).Append(LegacyAndHeader).Max();
    }

    public IReadOnlyDictionary<int, XsaveComponent> Components { get; }

    /// <summary>The bytes of the whole area: what ptrace reads and wants back.</summary>
    public int Size { get; }

    /// <summary>The layout of <paramref name="cpu"/>: its user components (XCR0's, leaf 0xd subleaf 0) past x87 and SSE.</summary>
    public static XsaveLayout Of(CpuidTable cpu)
    {
        var components = new Dictionary<int, XsaveComponent>();
        ulong supported = cpu.XsaveComponents;
        for (int i = 2; i < 64; i++)
        {
            var leaf = cpu.Answer(0xd, (uint)i);
            // ecx bit 0 marks a supervisor component (IA32_XSS): never in the user area.
            if ((supported & (1ul << i)) != 0 && leaf.Eax != 0 && (leaf.Ecx & 1) == 0)
            {
                components[i] = new XsaveComponent(i, (int)leaf.Ebx, (int)leaf.Eax);
            }
        }
        return new XsaveLayout(components);
    }

    /// <summary>
    /// The layout of the state the kernel saves in a signal's frame on <paramref name="cpu"/>
    /// (fpstate-&gt;user_size, arch/x86/kernel/fpu/xstate.c): every user component but AMX tile
    /// data, which Linux enables dynamically, for a program that asks (arch_prctl
    /// ARCH_REQ_XCOMP_PERM).
    /// </summary>
    public static XsaveLayout OfSignalFrames(CpuidTable cpu) =>
        new(Of(cpu).Components.Where(c => c.Key != AmxTileData).ToDictionary());

    /// <summary>The components a signal frame's state says it holds (its xfeatures word): x87 and SSE, and each of <see cref="Components"/>.</summary>
    public ulong Features => Components.Keys.Aggregate(0b11ul, (mask, i) => mask | 1ul << i);

    /// <summary>Whether <paramref name="other"/> keeps every component where this does, in an area of the same size.</summary>
    public bool SameAs(XsaveLayout other) => other.Size == Size && SamePlaces(other);

    /// <summary>
    /// <paramref name="saved"/>, an XSAVE area laid out as <paramref name="from"/> says, laid out as
    /// this one: the legacy region and header as they are, each component the state holds moved to
    /// its place here. Throws when a component it holds has no place of the same size here.
    /// </summary>
    public byte[] Translate(byte[] saved, XsaveLayout from)
    {
        if (saved.Length < LegacyAndHeader || (saved.Length == Size && SamePlaces(from)))
        {
            return saved;
        }
        var result = new byte[Size];
        saved.AsSpan(0, LegacyAndHeader).CopyTo(result);
        ulong held = BinaryPrimitives.ReadUInt64LittleEndian(saved.AsSpan(StateBitmap));
        foreach (var there in from.Components.Values.Where(c => (held & (1ul << c.Index)) != 0 && c.Offset + c.Size <= saved.Length))
        {
            if (there.Index == Pkru && !Components.ContainsKey(Pkru) && BinaryPrimitives.ReadUInt32LittleEndian(saved.AsSpan(there.Offset)) == DefaultPkru)
            {
                // The kernel's own value, not the program's: without protection keys here, no page
                // needs one, and the state is restored without it (the register's init value).
                held &= ~(1ul << Pkru);
                BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(StateBitmap), held);
                continue;
            }
            if (!Components.TryGetValue(there.Index, out var here) || here.Size != there.Size)
            {
                throw new RewindException($"the saved FPU/vector state holds {there.Name}, which this CPU {(here == null ? "lacks" : $"holds in {here.Size} bytes, not {there.Size}")}: it cannot be restored here");
            }
            saved.AsSpan(there.Offset, there.Size).CopyTo(result.AsSpan(here.Offset));
        }
        return result;
    }

    private bool SamePlaces(XsaveLayout other) =>
        other.Components.Count == Components.Count && other.Components.Values.All(c => Components.GetValueOrDefault(c.Index) == c);
}
