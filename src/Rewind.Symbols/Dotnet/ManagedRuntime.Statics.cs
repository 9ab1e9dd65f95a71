using Microsoft.Diagnostics.Runtime;

namespace Rewind.Symbols.Dotnet;

public sealed partial class ManagedRuntime
{
    /// <summary>What a static field of a class whose static constructor has not run yet shows.</summary>
    public const string NotInitialized = "not initialized yet";

    /// <summary>
    /// The static fields of type <paramref name="typeName"/> (its full name, `Namespace.Type`, a
    /// nested type after a '+') in a module loaded at the present; null where none defines it.
    /// </summary>
    public ManagedStatics? StaticsOf(string typeName) =>
        _runtime.EnumerateModules().Select(m => m.GetTypeByName(typeName)).FirstOrDefault(t => t != null) is { } type ? StaticsOf(type) : null;

    /// <summary>The static fields of the type whose method <paramref name="frame"/> runs; null for a runtime frame.</summary>
    public ManagedStatics? StaticsOf(ManagedFrame frame) =>
        frame.Method == null ? null
        // A caller's pc is a return address, which a call that ends its method leaves past the method.
        : (_runtime.GetMethodByInstructionPointer(frame.InstructionPointer) ?? _runtime.GetMethodByInstructionPointer(frame.InstructionPointer - 1))?.Type is { } type
            ? StaticsOf(type) : null;

    /// <summary>
    /// Static field values live per app domain; .NET Core has one. A class's statics exist once its
    /// static constructor (or the runtime's class initialization) has run.
    /// </summary>
    private ManagedStatics StaticsOf(ClrType type)
    {
        var domain = _runtime.AppDomains.FirstOrDefault();
        return new ManagedStatics(type.Name ?? "?", type.MethodTable, [.. type.StaticFields.Select(f => StaticField(f, domain))]);
    }

    private ManagedField StaticField(ClrStaticField field, ClrAppDomain? domain)
    {
        string type = FieldType(field), name = field.Name ?? "?";
        if (domain == null || !field.IsInitialized(domain))
        {
            return new ManagedField(type, name, field.Offset, NotInitialized);
        }
        return field.IsObjectReference
            ? Reference(type, name, field.Offset, field.ReadObject(domain))
            : new ManagedField(type, name, field.Offset, ValueAt(field.GetAddress(domain), field.ElementType, field.Size));
    }
}
