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
            var onPath = frame.Blocks.Select(b => b.Offset).ToHashSet();
            var parameters = Members(scope, DwTag.FormalParameter, onPath).Select(reader.Read).ToList();
            var locals = new List<Variable>();
            foreach (var block in Enumerable.Reverse(frame.Blocks).Append(scope))
                locals.AddRange(Members(block, DwTag.Variable, onPath).Select(reader.Read));
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
    private static List<Die> Members(Die scope, ushort tag, HashSet<ulong> onPath)
    {
        var result = new List<Die>();
        var mentioned = new HashSet<ulong>();
        var origin = scope.Unit.Reference(scope, DwAt.AbstractOrigin);
        // Clang gives concrete lexical blocks no DW_AT_abstract_origin. Observed with gdb 13: when
        // such a block of an inlined call holds the pc, the abstract block in the same place is
        // not inherited a second time; otherwise it is (see nested.c and formats.c at clang -O2).
        var abstractBlocks = scope.Tag == DwTag.InlinedSubroutine
            ? origin?.Children.Where(c => c.Tag == DwTag.LexicalBlock).ToList() ?? []
            : [];
        int unnamedBlocks = 0;
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
                else if (c.Tag == DwTag.LexicalBlock && depth < 64)
                {
                    if (c.Unit.Reference(c, DwAt.AbstractOrigin) is { } o)
                        mentioned.Add(o.Offset);
                    else if (depth == 0 && unnamedBlocks < abstractBlocks.Count && onPath.Contains(c.Offset))
                        mentioned.Add(abstractBlocks[unnamedBlocks++].Offset);
                    else if (depth == 0)
                        unnamedBlocks++;
                    if (c.Unit.Ranges(c).Count == 0)
                        Collect(c, depth + 1);
                }
            }
        }
        Collect(scope, 0);
        // Abstract blocks have no ranges, so an inherited block's variables join the scope too.
        void Inherit(Die s, int depth)
        {
            foreach (var c in s.Children)
            {
                if (mentioned.Contains(c.Offset))
                    continue;
                if (c.Tag == tag)
                    result.Add(c);
                else if (c.Tag == DwTag.LexicalBlock && depth < 64)
                    Inherit(c, depth + 1);
            }
        }
        if (origin is not null)
            Inherit(origin, 0);
        return result;
    }
}
