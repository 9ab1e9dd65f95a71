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

    /// <summary>Another interface of the same object (IUnknown's QueryInterface), with a reference of its own; null where the object has none such.</summary>
    public DacObject? As(Guid iid)
    {
        IntPtr other;
        return ((delegate* unmanaged<IntPtr, Guid*, IntPtr*, int>)(*(void***)_pointer)[0])(_pointer, &iid, &other) == 0 && other != 0
            ? new DacObject(other) : null;
    }

    public void Dispose()
    {
        if (_pointer != 0)
        {
            Marshal.Release(_pointer);
            _pointer = 0;
        }
    }
}
