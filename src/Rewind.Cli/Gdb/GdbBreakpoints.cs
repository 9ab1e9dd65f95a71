namespace Rewind.Cli.Gdb;

/// <summary>
/// gdb's breakpoints by address, counted, since Z0 and Z1 may be set at one address. Both are
/// software breakpoints of the timeline (a replay has no reason to spend debug registers on
/// code); Z1 addresses are remembered only to answer "hwbreak" rather than "swbreak".
/// </summary>
internal sealed class GdbBreakpoints
{
    private readonly Dictionary<ulong, (int Software, int Hardware)> _counts = [];

    /// <summary>Counts one more at <paramref name="address"/>; true when it is the first there.</summary>
    public bool Add(ulong address, bool hardware)
    {
        _counts.TryGetValue(address, out var c);
        _counts[address] = hardware ? (c.Software, c.Hardware + 1) : (c.Software + 1, c.Hardware);
        return c == default;
    }

    /// <summary>Counts one less; true when none is left there. False too when there was none of that kind.</summary>
    public bool Remove(ulong address, bool hardware, out bool known)
    {
        known = _counts.TryGetValue(address, out var c) && (hardware ? c.Hardware : c.Software) > 0;
        if (!known)
        {
            return false;
        }
        c = hardware ? (c.Software, c.Hardware - 1) : (c.Software - 1, c.Hardware);
        if (c == default)
        {
            _counts.Remove(address);
            return true;
        }
        _counts[address] = c;
        return false;
    }

    public bool IsHardware(ulong address) => _counts.TryGetValue(address, out var c) && c.Hardware > 0 && c.Software == 0;
}
