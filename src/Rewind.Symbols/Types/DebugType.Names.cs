namespace Rewind.Symbols;

public sealed partial class DebugType
{
    /// <summary>The type as C spells it, as gdb's ptype would: <c>const char *</c>, <c>int [4]</c>, <c>int (*)(int)</c>.</summary>
    public string DisplayName => Declare(this, "", 0);

    private static string Declare(DebugType t, string inner, int depth)
    {
        if (depth > MaxDepth)
            return "...";
        switch (t.Kind)
        {
            case TypeKind.Pointer or TypeKind.Reference:
                {
                    string sigil = t.Kind == TypeKind.Pointer ? "*" : "&";
                    var target = t.Target ?? Void;
                    bool wrap = target.Kind is TypeKind.Array or TypeKind.Function;
                    return Declare(target, wrap ? $"({sigil}{inner})" : Join(sigil, inner), depth + 1);
                }
            case TypeKind.Const or TypeKind.Volatile or TypeKind.Restrict or TypeKind.Atomic:
                {
                    string q = t.Kind switch { TypeKind.Const => "const", TypeKind.Volatile => "volatile", TypeKind.Restrict => "restrict", _ => "_Atomic" };
                    var target = t.Target ?? Void;
                    if (target.Kind is TypeKind.Pointer or TypeKind.Reference)
                        return Declare(target, inner.Length == 0 ? " " + q : " " + q + " " + inner.TrimStart(), depth + 1).Replace("* ", "*", StringComparison.Ordinal).Replace("*" + q, "* " + q, StringComparison.Ordinal);
                    return q + " " + Declare(target, inner, depth + 1);
                }
            case TypeKind.Array:
                {
                    string dims = string.Concat(t.Dimensions.Select(d => d >= 0 ? $"[{d}]" : "[]"));
                    return Declare(t.Target ?? Void, inner.Length == 0 ? " " + dims : inner + dims, depth + 1).Replace("  [", " [", StringComparison.Ordinal);
                }
            case TypeKind.Function:
                {
                    var ps = t.Parameters.Select(p => Declare(p, "", depth + 1)).ToList();
                    if (t.IsVariadic)
                        ps.Add("...");
                    if (ps.Count == 0)
                        ps.Add("void");
                    return Declare(t.Target ?? Void, (inner.Length == 0 ? " " : inner) + "(" + string.Join(", ", ps) + ")", depth + 1).Replace("  (", " (", StringComparison.Ordinal);
                }
            default:
                {
                    string name = t.Kind switch
                    {
                        TypeKind.Struct => "struct " + (t.Name ?? "{...}"),
                        TypeKind.Union => "union " + (t.Name ?? "{...}"),
                        TypeKind.Class => "class " + (t.Name ?? "{...}"),
                        TypeKind.Enum => "enum " + (t.Name ?? "{...}"),
                        _ => t.Name ?? "?",
                    };
                    return inner.Length == 0 ? name : inner.StartsWith(' ') || inner.StartsWith('[') ? name + inner : name + " " + inner;
                }
        }
    }

    private static string Join(string sigil, string inner) => inner.Length == 0 ? sigil : sigil + inner.TrimStart();
}
