using System.Runtime.InteropServices;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// One reference to a COM interface of the runtime's data-access library (xclrdata.idl), released
/// when disposed. Linux has no COM runtime, only COM's layout: the object's first word points to
/// its vtable, IUnknown's three methods first, then the interface's in the order the IDL declares
/// them. Methods are called through that table, as ClrMD calls the same library.
/// </summary>
internal sealed unsafe class DacObject(IntPtr pointer) : IDisposable
{
    // IUnknown's QueryInterface, AddRef, Release.
    private const int UnknownMethods = 3;

    private IntPtr _pointer = pointer;

    public IntPtr Self => _pointer;

    /// <summary>Method <paramref name="index"/> of the interface, counted from its first own method (0).</summary>
    public void* Method(int index) => (*(void***)_pointer)[UnknownMethods + index];

    public void Dispose()
    {
        if (_pointer != 0)
        {
            Marshal.Release(_pointer);
            _pointer = 0;
        }
    }
}
