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
        var fields = type.Fields.Select(f => new ManagedField(f.Type?.Name ?? f.ElementType.ToString(), f.Name ?? "?", f.Offset, ValueOf(obj, f), ObjectOf(obj, f))).ToList();
        return new ManagedObject(address, type.Name ?? "?", type.MethodTable, obj.Size, text, length, fields);
    }

    private static ulong? ObjectOf(ClrObject obj, ClrInstanceField field) =>
        field.IsObjectReference && obj.ReadObjectField(field) is { IsNull: false } target && target.Type?.IsString != true ? target.Address : null;

    private static string ValueOf(ClrObject obj, ClrInstanceField field)
    {
        if (field.IsObjectReference)
        {
            var target = obj.ReadObjectField(field);
            return target.IsNull ? "null"
                : target.Type?.IsString == true ? $"0x{target.Address:x} \"{target.AsString(MaxTextLength)}\""
                : $"0x{target.Address:x}";
        }
        return field.ElementType switch
        {
            ClrElementType.Boolean => obj.ReadField<bool>(field) ? "true" : "false",
            ClrElementType.Char => $"'{obj.ReadField<char>(field)}'",
            ClrElementType.Int8 => Text(obj.ReadField<sbyte>(field)),
            ClrElementType.UInt8 => Text(obj.ReadField<byte>(field)),
            ClrElementType.Int16 => Text(obj.ReadField<short>(field)),
            ClrElementType.UInt16 => Text(obj.ReadField<ushort>(field)),
            ClrElementType.Int32 => Text(obj.ReadField<int>(field)),
            ClrElementType.UInt32 => Text(obj.ReadField<uint>(field)),
            ClrElementType.Int64 => Text(obj.ReadField<long>(field)),
            ClrElementType.UInt64 => Text(obj.ReadField<ulong>(field)),
            ClrElementType.Float => Text(obj.ReadField<float>(field)),
            ClrElementType.Double => Text(obj.ReadField<double>(field)),
            ClrElementType.NativeInt or ClrElementType.NativeUInt or ClrElementType.Pointer or ClrElementType.FunctionPointer => $"0x{obj.ReadField<ulong>(field):x}",
            // A struct in place: where it lies, as SOS shows it.
            _ => $"(struct at 0x{field.GetAddress(obj.Address):x})",
        };
    }

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
