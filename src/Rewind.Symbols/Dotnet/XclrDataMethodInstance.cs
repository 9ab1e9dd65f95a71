namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The data-access library's IXCLRDataMethodInstance (xclrdata.idl) of a method whose code holds
/// an address (<see cref="XclrDataProcess.MethodInstanceAt"/>): what maps an address of any of
/// the method's code versions to its IL offsets.
/// </summary>
internal sealed unsafe class XclrDataMethodInstance(DacObject instance) : IDisposable
{
    // In xclrdata.idl's order: GetTypeInstance, GetDefinition, GetTokenAndScope, GetName, GetFlags,
    // IsSameObject, GetEnCVersion, GetNumTypeArguments, GetTypeArgumentByIndex, GetILOffsetsByAddress.
    private const int GetILOffsetsByAddress = 9;
    // The native ranges that hold one address: one, or a few where the JIT's map has empty ones there.
    private const int MaxOffsets = 16;

    /// <summary>
    /// The IL offsets whose native ranges hold <paramref name="address"/> (the prolog's and epilog's
    /// are negative); empty where none does. The library looks the address up in the code version
    /// that holds it (ClrDataAccess::GetMethodNativeMap with the address: ExecutionManager finds that
    /// version's code header and its debug information), where GetILAddressMap, which ClrMD's
    /// ILOffsetMap reads, maps only the method's current code.
    /// </summary>
    public IReadOnlyList<int> ILOffsetsAt(ulong address)
    {
        uint needed;
        var offsets = stackalloc uint[MaxOffsets];
        // E_NOINTERFACE: no range holds the address.
        if (((delegate* unmanaged<IntPtr, ulong, uint, uint*, uint*, int>)instance.Method(GetILOffsetsByAddress))(instance.Self, address, MaxOffsets, &needed, offsets) != 0)
        {
            return [];
        }
        var found = new int[Math.Min(needed, MaxOffsets)];
        for (int i = 0; i < found.Length; i++)
        {
            found[i] = (int)offsets[i];
        }
        return found;
    }

    public void Dispose() => instance.Dispose();
}
