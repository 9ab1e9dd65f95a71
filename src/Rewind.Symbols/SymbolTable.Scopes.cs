using Rewind.Symbols.Dwarf;
using Rewind.Symbols.Values;

namespace Rewind.Symbols;

public sealed partial class SymbolTable
{
    /// <summary>
    /// The parameters, locals (innermost block first, as gdb's "info locals") and globals of a
    /// frame. Values are read now; children (struct members, elements, pointees) when asked.
    /// </summary>
    public FrameScopes Scopes(StackFrame frame, IMemoryReader memory)
    {
        if (frame.Scope is not { } scope || frame.Module is not { } module)
            return new FrameScopes([], [], []);
        return module.Guard(() =>
        {
            var subprogram = scope;
            for (int i = 0; i < 1024 && subprogram is not null && subprogram.Tag != DwTag.Subprogram; i++)
                subprogram = subprogram.Parent;
            var reader = new VariableReader(module, frame.Physical, frame.LookupPc, subprogram, memory, a => SymbolicName(new RemotePtr(a)));
            var parameters = Members(scope, DwTag.FormalParameter).Select(reader.Read).ToList();
            var locals = new List<Variable>();
            foreach (var block in Enumerable.Reverse(frame.Blocks).Append(scope))
                locals.AddRange(Members(block, DwTag.Variable).Select(reader.Read));
            var globals = new List<Variable>();
            foreach (var die in scope.Unit.Root.Children)
                if (die.Tag == DwTag.Variable && die.Has(DwAt.Location))
                    globals.Add(reader.Read(die));
            return new FrameScopes(parameters, locals, globals);
        });
    }

    /// <summary>
    /// A value of <paramref name="type"/> at <paramref name="address"/>, read and formatted as a
    /// frame's variables are: what expressions need to index or dereference a computed pointer.
    /// </summary>
    public Variable ValueAt(StackFrame frame, IMemoryReader memory, string name, DebugType type, RemotePtr address)
    {
        if (frame.Module is not { } module)
            throw new DebugInfoException($"no debug information at {frame.Pc}");
        var reader = new VariableReader(module, frame.Physical, frame.LookupPc, null, memory, a => SymbolicName(new RemotePtr(a)));
        return module.Guard(() => reader.At(name, type, address.Value));
    }

    /// <summary>
    /// Children of a scope with a tag, looking through lexical blocks that have no address
    /// range (gdb folds their symbols into the parent), plus those of the abstract origin
    /// that the concrete instance does not mention (gdb's inherit_abstract_dies).
    /// </summary>
    private static List<Die> Members(Die scope, ushort tag)
    {
        var result = new List<Die>();
        var mentioned = new HashSet<ulong>();
        void Collect(Die s, int depth)
        {
            foreach (var c in s.Children)
            {
                if (c.Tag == tag)
                {
                    result.Add(c);
                    if (c.Unit.Reference(c, DwAt.AbstractOrigin) is { } o)
                        mentioned.Add(o.Offset);
                }
                else if (c.Tag == DwTag.LexicalBlock && depth < 64 && c.Unit.Ranges(c).Count == 0 && !c.Has(DwAt.AbstractOrigin))
                {
                    Collect(c, depth + 1);
                }
            }
        }
        Collect(scope, 0);
        if (scope.Unit.Reference(scope, DwAt.AbstractOrigin) is { } origin)
            foreach (var c in origin.Children)
                if (c.Tag == tag && !mentioned.Contains(c.Offset))
                    result.Add(c);
        return result;
    }
}
