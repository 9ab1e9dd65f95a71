using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Diagnostics.Runtime;

namespace Rewind.Symbols.Dotnet;

public sealed partial class ManagedRuntime
{
    // An inner-exception chain longer than this is a cycle or damage: stop there.
    private const int MaxInnerExceptions = 32;
    private const int MaxTextLength = 1024;

    /// <summary>The exception in flight on thread <paramref name="tid"/> (being thrown or caught), with its inner exceptions; null when none is.</summary>
    public ManagedException? ExceptionOf(Tid tid) => Find(tid)?.CurrentException is { } e ? ExceptionOf(e, 0) : null;

    private ManagedException ExceptionOf(ClrException e, int depth) => new(
        e.Address,
        e.Type?.Name ?? "?",
        e.Message,
        e.HResult,
        // The runtime keeps a caller's pc there already moved back into its call (seen: return
        // address - 1), so it is looked up as it is.
        [.. e.StackTrace.Select(f => FrameOf(f, exact: true))],
        e.Inner is { } inner && depth < MaxInnerExceptions ? ExceptionOf(inner, depth + 1) : null);

    /// <summary>The object at <paramref name="address"/>; null when no object of the managed heap starts there.</summary>
    public ManagedObject? ObjectAt(ulong address)
    {
        var obj = _runtime.Heap.GetObject(address);
        if (!obj.IsValid || obj.Type is not { } type)
        {
            return null;
        }
        string? text = type.IsString ? obj.AsString(MaxTextLength) : null;
        int? length = obj.IsArray ? obj.AsArray().Length : null;
        return new ManagedObject(address, type.Name ?? "?", type.MethodTable, obj.Size, text, length, FieldsAt(address, type, interior: false),
            length is > 0 ? ElementsOf(address, 0, ManagedObject.ElementsShown) : []);
    }

    /// <summary>The length of the array at <paramref name="address"/>; null where no array starts there.</summary>
    public int? ArrayLength(ulong address) => _runtime.Heap.GetObject(address) is { IsValid: true, IsArray: true } obj ? obj.AsArray().Length : null;

    /// <summary>
    /// Elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 of
    /// the array at <paramref name="address"/> (fewer past its end, none for what is no array), each
    /// named by its index and placed by its offset in the array; a multi-dimensional array's in
    /// storage order. An element of a struct type shows where it lies, with its fields, as a struct field does.
    /// </summary>
    public IReadOnlyList<ManagedField> ElementsOf(ulong address, int start, int count)
    {
        var obj = _runtime.Heap.GetObject(address);
        if (!obj.IsValid || !obj.IsArray || obj.Type is not { ComponentType: { } element } type)
        {
            return [];
        }
        var array = obj.AsArray();
        string elementType = element.Name ?? element.ElementType.ToString();
        int end = (int)Math.Min(array.Length, (long)start + count);
        var elements = new List<ManagedField>();
        for (int i = Math.Max(start, 0); i < end; i++)
        {
            ulong at = type.GetArrayElementAddress(address, i);
            int offset = (int)(at - address);
            elements.Add(element.IsObjectReference
                ? Reference(elementType, $"[{i}]", offset, array.GetObjectValue(i))
                : InPlace(element, elementType, $"[{i}]", offset, at, element.ElementType, type.ComponentSize));
        }
        return elements;
    }

    /// <summary>
    /// The instance fields of a <paramref name="type"/> at <paramref name="address"/>: an object's
    /// (the address of its method table pointer), or a struct's in place (<paramref name="interior"/>:
    /// the address of its first field).
    /// </summary>
    private List<ManagedField> FieldsAt(ulong address, ClrType type, bool interior) =>
        [.. type.Fields.Select(f => f.IsObjectReference
            ? Reference(FieldType(f), f.Name ?? "?", f.Offset, f.ReadObject(address, interior))
            : InPlace(f.Type, FieldType(f), f.Name ?? "?", f.Offset, f.GetAddress(address, interior), f.ElementType, f.Size))];

    private static string FieldType(ClrField field) => field.Type?.Name ?? field.ElementType.ToString();

    /// <summary>
    /// A value that lies in place at <paramref name="at"/> (a field, an array's element): a
    /// primitive's text, or a struct of <paramref name="type"/> where it lies, with its own fields.
    /// </summary>
    private ManagedField InPlace(ClrType? type, string typeName, string name, int offset, ulong at, ClrElementType elementType, int size) =>
        elementType == ClrElementType.Struct && type is { IsValueType: true }
            ? new ManagedField(typeName, name, offset, $"(struct at 0x{at:x})", Fields: FieldsAt(at, type, interior: true))
            : new ManagedField(typeName, name, offset, ValueAt(at, elementType, size));

    /// <summary>A field that refers to <paramref name="target"/>: its value is the reference's text, and an object other than a string expands.</summary>
    private static ManagedField Reference(string type, string name, int offset, ClrObject target) =>
        new(type, name, offset, ReferenceText(target), ObjectOf(target));

    /// <summary>A field's value of a primitive type, read where it lies; a struct in place, as SOS shows it, by where it lies.</summary>
    private string ValueAt(ulong address, ClrElementType type, int size)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        if (size is <= 0 or > sizeof(ulong))
        {
            return $"(struct at 0x{address:x})";
        }
        return _runtime.DataTarget.DataReader.Read(address, bytes[..size]) == size
            ? PrimitiveText(type, bytes[..size]) ?? $"(struct at 0x{address:x})"
            : Unavailable;
    }

    /// <summary>A reference's value: null, the address of the object, and a string's text after it.</summary>
    private static string ReferenceText(ClrObject target) =>
        target.IsNull ? "null"
        : target.Type?.IsString == true ? $"0x{target.Address:x} \"{target.AsString(MaxTextLength)}\""
        : $"0x{target.Address:x}";

    /// <summary>The object a reference points to, to look into it: none for null or a string (its text is its value).</summary>
    private static ulong? ObjectOf(ClrObject target) =>
        !target.IsNull && target.Type?.IsString != true ? target.Address : null;

    /// <summary>
    /// A value of a primitive type from its bytes; null for another type, or too few bytes. Bytes
    /// past the type's size are not its (the JIT reports an enum local's stack slot whole, 8 bytes
    /// for a 4-byte value, whose low-order bytes come first).
    /// </summary>
    private static string? PrimitiveText(ClrElementType type, ReadOnlySpan<byte> bytes) => type switch
    {
        ClrElementType.Boolean when bytes.Length >= 1 => bytes[0] != 0 ? "true" : "false",
        ClrElementType.Char when bytes.Length >= 2 => $"'{(char)BinaryPrimitives.ReadUInt16LittleEndian(bytes)}'",
        ClrElementType.Int8 when bytes.Length >= 1 => Text((sbyte)bytes[0]),
        ClrElementType.UInt8 when bytes.Length >= 1 => Text(bytes[0]),
        ClrElementType.Int16 when bytes.Length >= 2 => Text(BinaryPrimitives.ReadInt16LittleEndian(bytes)),
        ClrElementType.UInt16 when bytes.Length >= 2 => Text(BinaryPrimitives.ReadUInt16LittleEndian(bytes)),
        ClrElementType.Int32 when bytes.Length >= 4 => Text(BinaryPrimitives.ReadInt32LittleEndian(bytes)),
        ClrElementType.UInt32 when bytes.Length >= 4 => Text(BinaryPrimitives.ReadUInt32LittleEndian(bytes)),
        ClrElementType.Int64 when bytes.Length >= 8 => Text(BinaryPrimitives.ReadInt64LittleEndian(bytes)),
        ClrElementType.UInt64 when bytes.Length >= 8 => Text(BinaryPrimitives.ReadUInt64LittleEndian(bytes)),
        ClrElementType.Float when bytes.Length >= 4 => Text(BinaryPrimitives.ReadSingleLittleEndian(bytes)),
        ClrElementType.Double when bytes.Length >= 8 => Text(BinaryPrimitives.ReadDoubleLittleEndian(bytes)),
        ClrElementType.NativeInt or ClrElementType.NativeUInt or ClrElementType.Pointer or ClrElementType.FunctionPointer when bytes.Length >= 8 =>
            $"0x{BinaryPrimitives.ReadUInt64LittleEndian(bytes):x}",
        _ => null,
    };

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
