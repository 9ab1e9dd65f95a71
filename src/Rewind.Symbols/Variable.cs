namespace Rewind.Symbols;

/// <summary>
/// A variable, member or element with its value formatted as gdb prints it. Structs, unions,
/// arrays and pointers have children, read from memory only when asked for.
/// </summary>
public sealed class Variable
{
    private readonly Func<IReadOnlyList<Variable>>? _children;
    private IReadOnlyList<Variable>? _childList;

    internal Variable(string name, DebugType type, string value, RemotePtr? address, bool isOptimizedOut, Func<IReadOnlyList<Variable>>? children)
    {
        Name = name;
        Type = type;
        Value = value;
        Address = address;
        IsOptimizedOut = isOptimizedOut;
        _children = children;
    }

    public string Name { get; }

    public DebugType Type { get; }

    public string TypeName => Type.DisplayName;

    /// <summary>The value as gdb prints it: <c>42</c>, <c>{a = 1, b = 0x0}</c>, <c>0x4006f4 "text"</c>, <c>&lt;optimized out&gt;</c>.</summary>
    public string Value { get; }

    /// <summary>Where the value lives in memory, when it does.</summary>
    public RemotePtr? Address { get; }

    public bool IsOptimizedOut { get; }

    /// <summary>The value is a compile-time constant (DW_AT_const_value): the variable has no storage.</summary>
    public bool IsConstant { get; internal init; }

    /// <summary>A constant given as a block of bytes (gdb's LOC_CONST_BYTES), not as a number.</summary>
    internal bool IsConstantBlock { get; init; }

    public bool HasChildren => _children is not null;

    public IReadOnlyList<Variable> Children => _childList ??= _children?.Invoke() ?? [];

    public override string ToString() => $"{Name} = {Value}";
}
