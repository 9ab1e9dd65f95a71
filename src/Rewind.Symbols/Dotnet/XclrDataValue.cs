namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The data-access library's IXCLRDataValue (xclrdata.idl): an argument's or a local's bytes where
/// the JIT's code keeps them at the frame's pc (stack memory, registers of the walk's context, or
/// both), its kind and its type.
/// </summary>
internal sealed unsafe class XclrDataValue(DacObject value) : IDisposable
{
    /// <summary>CLRDataValueFlag's kinds.</summary>
    [Flags]
    public enum Kinds : uint
    {
        None = 0,
        Primitive = 0x1,
        ValueType = 0x2,
        String = 0x4,
        Array = 0x8,
        Reference = 0x10,
        Pointer = 0x20,
        Enum = 0x40,
    }

    // Method indexes, in xclrdata.idl's order.
    private const int GetFlags = 0;
    private const int GetAddress = 1;
    private const int GetSize = 2;
    private const int GetBytes = 3;
    private const int GetValueType = 5;
    private const int GetAssociatedType = 18;
    private const int TypeInstanceGetName = 13;

    // A value larger than this (a struct of 64 KiB) is not read.
    private const int MaxSize = 1 << 16;
    private const int MaxName = 1024;

    public Kinds Kind
    {
        get
        {
            uint flags = 0;
            return ((delegate* unmanaged<IntPtr, uint*, int>)value.Method(GetFlags))(value.Self, &flags) == 0 ? (Kinds)(flags & 0x7f) : Kinds.None;
        }
    }

    /// <summary>
    /// The value's bytes (a reference's are the object's address); null where the JIT keeps it
    /// nowhere at this pc (the library then has no location, so no size), or it cannot be read.
    /// </summary>
    public byte[]? Bytes()
    {
        ulong size = 0;
        if (((delegate* unmanaged<IntPtr, ulong*, int>)value.Method(GetSize))(value.Self, &size) != 0 || size == 0 || size > MaxSize)
        {
            return null;
        }
        var bytes = new byte[size];
        uint done = 0;
        fixed (byte* buffer = bytes)
        {
            return ((delegate* unmanaged<IntPtr, uint, uint*, byte*, int>)value.Method(GetBytes))(value.Self, (uint)size, &done, buffer) == 0 && done == size ? bytes : null;
        }
    }

    /// <summary>Where the value lies in memory, when it lies there whole (not in registers).</summary>
    public ulong? Address
    {
        get
        {
            ulong address = 0;
            return ((delegate* unmanaged<IntPtr, ulong*, int>)value.Method(GetAddress))(value.Self, &address) == 0 ? address : null;
        }
    }

    /// <summary>
    /// The name of the value's declared type (`System.Int32`, `WorkerException.Order`); null
    /// where the library does not say. A reference's own type is the type of what it refers to.
    /// </summary>
    public string? TypeName
    {
        get
        {
            IntPtr typePointer = 0;
            int method = Kind.HasFlag(Kinds.Reference) ? GetAssociatedType : GetValueType;
            if (((delegate* unmanaged<IntPtr, IntPtr*, int>)value.Method(method))(value.Self, &typePointer) != 0 || typePointer == 0)
            {
                return null;
            }
            using var type = new DacObject(typePointer);
            var name = stackalloc char[MaxName];
            uint length = 0;
            return ((delegate* unmanaged<IntPtr, uint, uint, uint*, char*, int>)type.Method(TypeInstanceGetName))(type.Self, 0, MaxName, &length, name) == 0 && length > 1 && length <= MaxName
                ? new string(name, 0, (int)length - 1) : null;
        }
    }

    public void Dispose() => value.Dispose();
}
