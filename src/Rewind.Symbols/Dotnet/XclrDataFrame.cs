namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The data-access library's IXCLRDataFrame (xclrdata.idl) of one managed method's activation:
/// its arguments (`this` first in an instance method, then the signature's, named from the
/// metadata's parameters) and the slots of its local signature, each a value where the JIT's
/// debug information places it at the frame's pc.
/// </summary>
internal sealed unsafe class XclrDataFrame(DacObject frame) : IDisposable
{
    // Method indexes, in xclrdata.idl's order.
    private const int GetNumArguments = 3;
    private const int GetArgumentByIndex = 4;
    private const int GetNumLocalVariables = 5;
    private const int GetLocalVariableByIndex = 6;

    // The library answers a parameter name longer than this with a failure, and no value.
    private const int MaxName = 512;

    public int ArgumentCount => Count(GetNumArguments);

    /// <summary>The slots of the method's local signature; none for a method without one.</summary>
    public int LocalCount => Count(GetNumLocalVariables);

    /// <summary>Argument <paramref name="index"/>: its name where the metadata has one, and its value; null where the library has none.</summary>
    public (string? Name, XclrDataValue? Value) Argument(int index)
    {
        var name = stackalloc char[MaxName];
        uint length = 0;
        IntPtr value = 0;
        int hr = ((delegate* unmanaged<IntPtr, uint, IntPtr*, uint, uint*, char*, int>)frame.Method(GetArgumentByIndex))(frame.Self, (uint)index, &value, MaxName, &length, name);
        // The name's length counts its terminating NUL.
        string? text = length > 1 && length <= MaxName ? new string(name, 0, (int)length - 1) : null;
        return (text, hr == 0 && value != 0 ? new XclrDataValue(new DacObject(value)) : null);
    }

    /// <summary>Local slot <paramref name="index"/>'s value; null where the library has none. The library knows no local's name (the PDB does).</summary>
    public XclrDataValue? Local(int index)
    {
        var name = stackalloc char[1];
        uint length;
        IntPtr value = 0;
        int hr = ((delegate* unmanaged<IntPtr, uint, IntPtr*, uint, uint*, char*, int>)frame.Method(GetLocalVariableByIndex))(frame.Self, (uint)index, &value, 1, &length, name);
        return hr == 0 && value != 0 ? new XclrDataValue(new DacObject(value)) : null;
    }

    private int Count(int method)
    {
        uint count = 0;
        // S_FALSE: none.
        return ((delegate* unmanaged<IntPtr, uint*, int>)frame.Method(method))(frame.Self, &count) >= 0 ? (int)Math.Min(count, 0xffff) : 0;
    }

    public void Dispose() => frame.Dispose();
}
