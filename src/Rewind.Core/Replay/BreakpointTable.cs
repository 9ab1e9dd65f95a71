namespace Rewind.Replay;

/// <summary>
/// Software breakpoints (int3, 0xcc) in a replayed process. An address may be wanted by the user,
/// by the replay itself (the place of an asynchronous signal), and be a CPUID instruction replay
/// answers (<see cref="CpuidPatch"/>); it is inserted once. Reads through <see cref="Hide"/> show
/// the original bytes.
/// </summary>
internal sealed class BreakpointTable
{
    private readonly Dictionary<RemotePtr, (byte Original, int Users, bool Internal)> _inserted = [];
    // CPUID instructions whose first byte is an int3 for as long as their code is mapped.
    private readonly HashSet<RemotePtr> _cpuid = [];

    /// <summary>The stand-ins of the session's shared files, through which an int3 goes where the mapping refuses a tracer's write.</summary>
    public SharedFiles? StandIns { get; set; }

    public bool Contains(RemotePtr address) => _inserted.ContainsKey(address);

    public bool IsEmpty => _inserted.Count == 0;

    public bool IsUser(RemotePtr address) => _inserted.TryGetValue(address, out var b) && b.Users > 0;

    public bool IsInternal(RemotePtr address) => _inserted.TryGetValue(address, out var b) && b.Internal;

    public IEnumerable<RemotePtr> UserAddresses => _inserted.Where(b => b.Value.Users > 0).Select(b => b.Key);

    /// <summary>Whether <paramref name="address"/> is a patched CPUID (<see cref="CpuidPatch"/>).</summary>
    public bool IsCpuid(RemotePtr address) => _cpuid.Contains(address);

    /// <summary>Whether <paramref name="address"/> is a patched CPUID that only replay's answer waits at (no user's breakpoint, no place searched).</summary>
    public bool IsCpuidAlone(RemotePtr address) => _cpuid.Contains(address) && _inserted[address] is { Users: 0, Internal: false };

    public IReadOnlyCollection<RemotePtr> CpuidSites => _cpuid;

    /// <summary>
    /// Inserts a breakpoint; returns false, inserting nothing, where the process has no memory at
    /// <paramref name="address"/>. Memory that cannot be written (shared and read-only) throws.
    /// </summary>
    public bool Add(Tracee t, RemotePtr address, bool @internal)
    {
        if (_inserted.TryGetValue(address, out var b))
        {
            _inserted[address] = (b.Original, b.Users + (@internal ? 0 : 1), b.Internal || @internal);
            return true;
        }
        Span<byte> original = stackalloc byte[1];
        if (t.Read(address, original) != 1)
        {
            return false;
        }
        Write(t, address, 0xcc);
        _inserted[address] = (original[0], @internal ? 0 : 1, @internal);
        return true;
    }

    public void Remove(Tracee t, RemotePtr address, bool @internal)
    {
        if (!_inserted.TryGetValue(address, out var b))
        {
            return;
        }
        var left = (b.Original, @internal ? b.Users : Math.Max(0, b.Users - 1), !@internal && b.Internal);
        if (left.Item2 == 0 && !left.Item3 && !_cpuid.Contains(address))
        {
            TakeOut(t, address, b.Original);
            _inserted.Remove(address);
        }
        else
        {
            _inserted[address] = left;
        }
    }

    /// <summary>Takes every breakpoint out of memory (before a snapshot) and returns them to put back.</summary>
    public void RemoveAllFromMemory(Tracee t)
    {
        foreach (var (address, b) in _inserted.ToList())
        {
            _inserted[address] = b with { Original = TakeOut(t, address, b.Original) };
        }
    }

    /// <summary>
    /// Memory was mapped anew at [<paramref name="start"/>, <paramref name="end"/>): a loader
    /// mapping a library's segments over the range it reserved, or a view of a file the program
    /// writes through, whose recorded bytes replay writes into the file's stand-in and so under
    /// every other view of it too (a W^X runtime maps a read-write view of its code whenever it
    /// writes code). Each breakpoint whose int3 is no longer there takes its original byte from
    /// what is there now, and goes in again. The CPUID instructions patched there are gone with
    /// the old code: <paramref name="cpuidSites"/>, those of the new one, take their place.
    /// </summary>
    public void Mapped(Tracee t, RemotePtr start, RemotePtr end, IEnumerable<RemotePtr> cpuidSites)
    {
        foreach (var gone in _cpuid.Where(a => a >= start && a < end).ToList())
        {
            _cpuid.Remove(gone);
            if (_inserted[gone] is { Users: 0, Internal: false })
            {
                _inserted.Remove(gone);
            }
        }
        Span<byte> now = stackalloc byte[1];
        foreach (var (address, b) in _inserted.ToList())
        {
            if (t.Read(address, now) == 1 && now[0] != 0xcc)
            {
                _inserted[address] = b with { Original = now[0] };
                Write(t, address, 0xcc);
            }
        }
        PatchCpuid(t, cpuidSites);
    }

    /// <summary>Puts an int3 on the first byte of each CPUID instruction at <paramref name="sites"/>, for replay to answer (<see cref="CpuidPatch"/>).</summary>
    public void PatchCpuid(Tracee t, IEnumerable<RemotePtr> sites)
    {
        Span<byte> original = stackalloc byte[1];
        foreach (var site in sites)
        {
            if (_inserted.ContainsKey(site))
            {
                _cpuid.Add(site);
            }
            else if (t.Read(site, original) == 1)
            {
                _cpuid.Add(site);
                Write(t, site, 0xcc);
                _inserted[site] = (original[0], 0, false);
            }
        }
    }

    /// <summary>Puts every breakpoint back into memory (after a snapshot was taken without them).</summary>
    public void InsertAllIntoMemory(Tracee t)
    {
        foreach (var address in _inserted.Keys)
        {
            Write(t, address, 0xcc);
        }
    }

    /// <summary>
    /// Temporarily restores one original byte (to step over it) or puts the int3 back. A patched
    /// CPUID keeps its int3: the step traps there, and replay completes the instruction.
    /// </summary>
    public void Lift(Tracee t, RemotePtr address, bool lifted)
    {
        if (_cpuid.Contains(address))
        {
            return;
        }
        var b = _inserted[address];
        if (lifted)
        {
            _inserted[address] = b with { Original = TakeOut(t, address, b.Original) };
        }
        else
        {
            Write(t, address, 0xcc);
        }
    }

    /// <summary>
    /// Takes the int3 at <paramref name="address"/> out of memory and returns the byte under it:
    /// <paramref name="original"/>, put back; or, where the program wrote over the int3 (a JIT
    /// writing a method into memory where a breakpoint waited), the byte it wrote, left as it is.
    /// Writing the old byte back there would put a stale byte into the new code.
    /// </summary>
    private byte TakeOut(Tracee t, RemotePtr address, byte original)
    {
        Span<byte> now = stackalloc byte[1];
        if (t.Read(address, now) == 1 && now[0] != 0xcc)
        {
            return now[0];
        }
        Write(t, address, original);
        return original;
    }

    /// <summary>Writes one byte of code, through the shared file's stand-in where the mapping refuses a tracer's write (<see cref="SharedFiles.WriteCode"/>).</summary>
    private void Write(Tracee t, RemotePtr address, byte value)
    {
        if (StandIns is { } standIns)
        {
            standIns.WriteCode(t, address, [value]);
        }
        else
        {
            t.Write(address, [value]);
        }
    }

    /// <summary>Replaces inserted int3 bytes in <paramref name="buffer"/> (read at <paramref name="address"/>) by the original bytes.</summary>
    public void Hide(RemotePtr address, Span<byte> buffer)
    {
        foreach (var (at, b) in _inserted)
        {
            if (at >= address && at.Value < address.Value + (ulong)buffer.Length)
            {
                buffer[(int)(at - address)] = b.Original;
            }
        }
    }

    public BreakpointTable CopyConfiguration()
    {
        var copy = new BreakpointTable();
        foreach (var (address, b) in _inserted)
        {
            copy._inserted[address] = b;
        }
        copy._cpuid.UnionWith(_cpuid);
        return copy;
    }
}
