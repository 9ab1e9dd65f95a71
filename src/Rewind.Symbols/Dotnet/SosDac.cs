using System.Runtime.InteropServices;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The data-access library's ISOSDacInterface and ISOSDacInterface5 (sospriv.idl), what SOS's
/// !dumpmd reads a method's "Code Version History" with: every native code version the runtime
/// keeps of a method (the tiered JIT's tier 0, tier 1, on-stack replacement; the old ones stay
/// in the code heap, since a thread may still run them), and where each starts and ends.
/// </summary>
internal sealed unsafe class SosDac : IDisposable
{
    private static readonly Guid SosIid = new("436f00f2-b42a-4b9f-870c-e73db66ae930");
    private static readonly Guid Sos5Iid = new("127d6abe-6c86-4e48-8e7b-220781c58101");

    // ISOSDacInterface's GetCodeHeaderData, ISOSDacInterface5's GetTieredVersions (its only method).
    private const int GetCodeHeaderData = 23;
    private const int GetTieredVersions = 0;
    // The IL code version the JIT compiles from metadata; others come from a profiler's ReJIT.
    private const int OriginalIL = 0;
    // A method has a handful: tier 0, tier 1, an instrumented tier, a few OSR versions (one per loop entered).
    private const int MaxVersions = 64;

    private readonly DacObject _sos;
    private readonly DacObject _sos5;

    private SosDac(DacObject sos, DacObject sos5)
    {
        _sos = sos;
        _sos5 = sos5;
    }

    public static SosDac? Of(DacObject process)
    {
        var sos = process.As(SosIid);
        var sos5 = process.As(Sos5Iid);
        if (sos != null && sos5 != null)
        {
            return new SosDac(sos, sos5);
        }
        sos?.Dispose();
        sos5?.Dispose();
        return null;
    }

    /// <summary>
    /// The native code versions of the method at <paramref name="methodDesc"/> that have code, from
    /// its original IL (ClrDataAccess::GetTieredVersions: the IL version's NativeCodeVersions), each
    /// with its size from its code header. A version being compiled has no code yet and is left out.
    /// </summary>
    public IReadOnlyList<NativeCodeVersion> CodeVersionsOf(ulong methodDesc)
    {
        var data = stackalloc TieredVersionData[MaxVersions];
        int count;
        // S_FALSE where the versions fill the buffer: the first MaxVersions are enough to bind a line.
        if (((delegate* unmanaged<IntPtr, ulong, int, TieredVersionData*, int, int*, int>)_sos5.Method(GetTieredVersions))(_sos5.Self, methodDesc, OriginalIL, data, MaxVersions, &count) < 0)
        {
            return [];
        }
        var versions = new List<NativeCodeVersion>();
        for (int i = 0; i < Math.Min(count, MaxVersions); i++)
        {
            CodeHeaderData header;
            if (data[i].NativeCodeAddr != 0
                && ((delegate* unmanaged<IntPtr, ulong, CodeHeaderData*, int>)_sos.Method(GetCodeHeaderData))(_sos.Self, data[i].NativeCodeAddr, &header) == 0)
            {
                // The JIT does not split a method into hot and cold parts (only crossgen's ready-to-run code is).
                versions.Add(new NativeCodeVersion(data[i].NativeCodeAddr, header.MethodSize, (OptimizationTier)data[i].OptimizationTier));
            }
        }
        return versions;
    }

    public void Dispose()
    {
        _sos.Dispose();
        _sos5.Dispose();
    }

    // DacpTieredVersionData (dacprivate.h).
    [StructLayout(LayoutKind.Sequential)]
    private struct TieredVersionData
    {
        public ulong NativeCodeAddr;
        public int OptimizationTier;
        public ulong NativeCodeVersionNodePtr;
    }

    // DacpCodeHeaderData (dacprivate.h).
    [StructLayout(LayoutKind.Sequential)]
    private struct CodeHeaderData
    {
        public ulong GCInfo;
        public int JITType;
        public ulong MethodDescPtr;
        public ulong MethodStart;
        public uint MethodSize;
        public ulong ColdRegionStart;
        public uint ColdRegionSize;
        public uint HotRegionSize;
    }
}
