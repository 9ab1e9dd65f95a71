namespace Rewind.Symbols;

/// <summary>The kinds of C types a <see cref="DebugType"/> can be.</summary>
public enum TypeKind
{
    Void,
    Base,
    Pointer,
    Reference,
    Struct,
    Union,
    Class,
    Array,
    Enum,
    Typedef,
    Const,
    Volatile,
    Restrict,
    Atomic,
    Function,
    Unknown,
}
