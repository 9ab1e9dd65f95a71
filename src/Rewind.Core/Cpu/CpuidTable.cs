using System.Text;

namespace Rewind.Cpu;

/// <summary>
/// A CPU's CPUID answers, as recorded in a trace header or read from this CPU
/// (<see cref="ThisCpu"/>): the vendor, model and features software selects code by, and the
/// answer a trapped CPUID instruction gets in replay.
/// </summary>
public sealed partial class CpuidTable
{
    private readonly Dictionary<(uint Leaf, uint Subleaf), CpuidLeaf> _answers;

    public CpuidTable(IEnumerable<CpuidLeaf> leaves)
    {
        Leaves = [.. leaves];
        _answers = [];
        foreach (var leaf in Leaves)
        {
            _answers.TryAdd((leaf.Leaf, leaf.Subleaf), leaf);
        }
    }

    /// <summary>Every recorded answer, in the order read.</summary>
    public IReadOnlyList<CpuidLeaf> Leaves { get; }

    /// <summary>
    /// What CPUID answers for eax = <paramref name="leaf"/>, ecx = <paramref name="subleaf"/>. A leaf
    /// without subleaves ignores ecx (Intel SDM vol. 2A, CPUID); a leaf or subleaf the table lacks
    /// answers zeros, as AMD does for leaves past its maximum (Intel repeats its highest basic leaf
    /// there, which no software relies on).
    /// </summary>
    public CpuidLeaf Answer(uint leaf, uint subleaf)
    {
        uint key = HasSubleaves(leaf) ? subleaf : 0;
        return _answers.TryGetValue((leaf, key), out var answer) ? answer with { Subleaf = subleaf } : new CpuidLeaf(leaf, subleaf, 0, 0, 0, 0);
    }

    /// <summary>"GenuineIntel", "AuthenticAMD", …: leaf 0's ebx, edx, ecx as ASCII.</summary>
    public string Vendor
    {
        get
        {
            var l = Answer(0, 0);
            return Ascii([l.Ebx, l.Edx, l.Ecx]);
        }
    }

    /// <summary>The display family: the base family, plus the extended family where the base is 0xf (Intel SDM, AMD APM: CPUID Fn0000_0001_EAX).</summary>
    public int Family
    {
        get
        {
            uint eax = Answer(1, 0).Eax;
            uint family = (eax >> 8) & 0xf;
            return (int)(family == 0xf ? family + ((eax >> 20) & 0xff) : family);
        }
    }

    /// <summary>The display model: the extended model joins the base model where the family is 6 or 0xf.</summary>
    public int Model
    {
        get
        {
            uint eax = Answer(1, 0).Eax;
            uint family = (eax >> 8) & 0xf;
            uint model = (eax >> 4) & 0xf;
            return (int)(family is 6 or 0xf ? model | (((eax >> 16) & 0xf) << 4) : model);
        }
    }

    public int Stepping => (int)(Answer(1, 0).Eax & 0xf);

    /// <summary>The initial APIC id of the core the table was read on (leaf 1 ebx[31:24]; 0 in a table read as <see cref="ThisCpu"/>).</summary>
    public int InitialApicId => (int)(Answer(1, 0).Ebx >> 24);

    /// <summary>The brand string of leaves 0x80000002..4, trimmed; empty where the CPU has none.</summary>
    public string Brand
    {
        get
        {
            var words = new List<uint>();
            for (uint leaf = 0x8000_0002; leaf <= 0x8000_0004; leaf++)
            {
                var l = Answer(leaf, 0);
                words.AddRange([l.Eax, l.Ebx, l.Ecx, l.Edx]);
            }
            return Ascii([.. words]).Trim();
        }
    }

    /// <summary>The XSAVE state components (XCR0 bits) the CPU supports: leaf 0xd subleaf 0, edx:eax.</summary>
    public ulong XsaveComponents
    {
        get
        {
            var l = Answer(0xd, 0);
            return l.Eax | ((ulong)l.Edx << 32);
        }
    }

    /// <summary>
    /// Whether the OS lets programs use the state components <paramref name="components"/>: it set
    /// CR4.OSXSAVE (leaf 1 ecx bit 27) and the CPU supports them. Linux enables every user component
    /// it knows in XCR0, so support stands for enablement (glibc reads XCR0 itself with xgetbv).
    /// </summary>
    public bool CanSave(ulong components) => (Answer(1, 0).Ecx & (1u << 27)) != 0 && (XsaveComponents & components) == components;

    private static string Ascii(uint[] words)
    {
        var bytes = new byte[words.Length * 4];
        for (int i = 0; i < words.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), words[i]);
        }
        return Encoding.ASCII.GetString(bytes).Split('\0')[0];
    }
}
