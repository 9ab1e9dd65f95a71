using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Diagnostics.Runtime;

namespace Rewind.Symbols.Dotnet;

public sealed partial class ManagedRuntime
{
    /// <summary>The value of a variable the JIT's code keeps nowhere at the frame's pc, or one that cannot be read.</summary>
    public const string Unavailable = "unavailable";

    // The primitive types by the name the data-access library gives them (CorElementType's, by name).
    private static readonly Dictionary<string, ClrElementType> Primitives = new(StringComparer.Ordinal)
    {
        ["System.Boolean"] = ClrElementType.Boolean, ["System.Char"] = ClrElementType.Char,
        ["System.SByte"] = ClrElementType.Int8, ["System.Byte"] = ClrElementType.UInt8,
        ["System.Int16"] = ClrElementType.Int16, ["System.UInt16"] = ClrElementType.UInt16,
        ["System.Int32"] = ClrElementType.Int32, ["System.UInt32"] = ClrElementType.UInt32,
        ["System.Int64"] = ClrElementType.Int64, ["System.UInt64"] = ClrElementType.UInt64,
        ["System.Single"] = ClrElementType.Float, ["System.Double"] = ClrElementType.Double,
        ["System.IntPtr"] = ClrElementType.NativeInt, ["System.UIntPtr"] = ClrElementType.NativeUInt,
    };

    private readonly Dictionary<string, ClrType?> _typesByName = new(StringComparer.Ordinal);

    /// <summary>
    /// The arguments and locals of managed <paramref name="frame"/> of thread <paramref name="tid"/>
    /// (one of <see cref="StackOf"/>'s, or a frame the native unwinder placed there): the
    /// data-access library's values, where the JIT's debug information places them at the frame's
    /// pc, the locals named from the kept PDB. A value that cannot be read is <see cref="Unavailable"/>.
    /// </summary>
    public ManagedVariables VariablesOf(Tid tid, ManagedFrame frame)
    {
        if (DataProcess() is not { } process)
        {
            return new ManagedVariables([], [], "this version of ClrMD keeps the runtime's IXCLRDataProcess out of reach");
        }
        using var dacFrame = process.FrameAt(tid, frame.StackPointer, frame.InstructionPointer);
        if (dacFrame == null)
        {
            return new ManagedVariables([], [], $"the runtime's data-access library finds no managed frame at stack pointer 0x{frame.StackPointer:x}, pc 0x{frame.InstructionPointer:x}");
        }
        ulong pc = CodePc(frame.InstructionPointer, exact: frame.InstructionPointer == _timeline.RegistersOf(tid).Rip);
        var method = _runtime.GetMethodByInstructionPointer(pc);
        var arguments = new List<ManagedVariable>();
        for (int i = 0; i < dacFrame.ArgumentCount; i++)
        {
            var (name, value) = dacFrame.Argument(i);
            // The library names an instance method's first argument `this`.
            arguments.Add(i == 0 && name == "this" && method?.Type is { IsValueType: true } own
                ? StructThis(name, own, value)
                : VariableOf(name ?? $"arg{i}", value));
        }
        var locals = new List<ManagedVariable>();
        if (method == null)
        {
            return new ManagedVariables(arguments, locals);
        }
        int count = dacFrame.LocalCount, ilOffset = ILOffsetAt(method, pc);
        foreach (var (slot, name) in LocalNamesAt(method, ilOffset).Where(l => l.Slot < count))
        {
            locals.Add(VariableOf(name, dacFrame.Local(slot)));
        }
        if (arguments is [{ Name: "this" } self, ..])
        {
            locals.AddRange(HoistedVariables(method, ilOffset, self));
        }
        return new ManagedVariables(arguments, locals);
    }

    /// <summary>
    /// In an async method's or iterator's MoveNext, the method's own parameters and locals, which
    /// the compiler hoisted into fields of the state machine (`this`): a parameter keeps its name,
    /// a local of slot N is `&lt;name&gt;5__N+1` (Roslyn's naming), shown by its name while the PDB
    /// has it in scope. The machine's own fields (`&lt;&gt;1__state`, the builder, awaiters, the
    /// outer `this` as `&lt;&gt;4__this`) stay under `this`. None in any other method.
    /// </summary>
    private IEnumerable<ManagedVariable> HoistedVariables(ClrMethod method, int ilOffset, ManagedVariable self)
    {
        if (method.Name != "MoveNext" || method.Type is not { Name: { } typeName } type || !typeName.Contains("+<", StringComparison.Ordinal)
            || (self.Fields ?? (self.Object is { } address ? FieldsAt(address, type, interior: false) : null)) is not { } fields)
        {
            yield break;
        }
        string? assembly = type.Module?.Name;
        foreach (var field in fields)
        {
            var hoisted = HoistedName().Match(field.Name);
            if (!field.Name.StartsWith('<'))
            {
                yield return new ManagedVariable(field.Name, field.Type, field.Value, field.Object);
            }
            else if (hoisted.Success && (assembly == null || _pdbs.HoistedLocalInScope(assembly, method.MetadataToken, int.Parse(hoisted.Groups[2].ValueSpan, CultureInfo.InvariantCulture) - 1, ilOffset)))
            {
                yield return new ManagedVariable(hoisted.Groups[1].Value, field.Type, field.Value, field.Object);
            }
        }
    }

    [GeneratedRegex(@"^<([^>]+)>5__(\d+)$")]
    private static partial Regex HoistedName();

    /// <summary>The locals the PDB names in scope at <paramref name="ilOffset"/> of <paramref name="method"/>.</summary>
    private IReadOnlyList<(int Slot, string Name)> LocalNamesAt(ClrMethod method, int ilOffset) =>
        method.Type?.Module?.Name is { } assembly ? _pdbs.LocalsAt(assembly, method.MetadataToken, ilOffset) : [];

    /// <summary>
    /// `this` of a struct's method: the address of the struct (ECMA-335 II.13.3: a value type's
    /// instance method gets a managed pointer to it), such as an async method's state machine
    /// inside the box that holds it from its first await. The library names the struct's type
    /// without its namespace, so the type is the method's; the struct shows as one in memory does.
    /// </summary>
    private ManagedVariable StructThis(string name, ClrType type, XclrDataValue? value)
    {
        using (value)
        {
            return value?.Bytes() is { Length: sizeof(ulong) } bytes && BinaryPrimitives.ReadUInt64LittleEndian(bytes) is not 0 and var address
                ? new ManagedVariable(name, type.Name, $"(struct at 0x{address:x})", Fields: FieldsAt(address, type, interior: true))
                : new ManagedVariable(name, type.Name, Unavailable);
        }
    }

    private ManagedVariable VariableOf(string name, XclrDataValue? value)
    {
        if (value == null)
        {
            return new ManagedVariable(name, null, Unavailable);
        }
        using (value)
        {
            string? typeName = value.TypeName;
            if (value.Bytes() is not { } bytes)
            {
                return new ManagedVariable(name, typeName, Unavailable);
            }
            var kind = value.Kind;
            if (kind.HasFlag(XclrDataValue.Kinds.Reference) && bytes.Length == sizeof(ulong))
            {
                var target = _runtime.Heap.GetObject(BinaryPrimitives.ReadUInt64LittleEndian(bytes));
                return new ManagedVariable(name, typeName ?? target.Type?.Name, ReferenceText(target), ObjectOf(target));
            }
            if (typeName != null && Primitives.TryGetValue(typeName, out var primitive) && PrimitiveText(primitive, bytes) is { } text)
            {
                return new ManagedVariable(name, typeName, text);
            }
            if (kind.HasFlag(XclrDataValue.Kinds.Pointer) && PrimitiveText(ClrElementType.Pointer, bytes) is { } pointer)
            {
                return new ManagedVariable(name, typeName, pointer);
            }
            var type = typeName == null ? null : TypeNamed(typeName);
            // An enum's element type is its underlying one's; its members' names are in its module's metadata.
            if (type is { IsEnum: true } && PrimitiveText(type.ElementType, bytes) is { } number)
            {
                string? member = type.AsEnum().EnumerateValues().FirstOrDefault(v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) == number).Name;
                return new ManagedVariable(name, typeName, member ?? number);
            }
            if (type is { IsValueType: true } && value.Address is { } address)
            {
                return new ManagedVariable(name, typeName, $"(struct at 0x{address:x})", Fields: FieldsAt(address, type, interior: true));
            }
            // A struct the JIT keeps in registers, or a type not loaded: its bytes, in memory's order.
            return new ManagedVariable(name, typeName, $"(bytes {Convert.ToHexStringLower(bytes)})");
        }
    }

    /// <summary>A loaded type by its name, looked up in every module once.</summary>
    private ClrType? TypeNamed(string name)
    {
        if (!_typesByName.TryGetValue(name, out var type))
        {
            type = _runtime.Heap.GetTypeByName(name);
            _typesByName[name] = type;
        }
        return type;
    }
}
