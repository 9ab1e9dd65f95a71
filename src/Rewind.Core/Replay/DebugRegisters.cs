using Rewind.Linux;

namespace Rewind.Replay;

/// <summary>
/// x86 debug registers DR0-DR3 (addresses), DR6 (status) and DR7 (control), written with
/// PTRACE_POKEUSER into struct user's u_debugreg (offset 848 on x86-64). The kernel validates
/// alignment and length. They are per thread and not inherited by fork: set them on every new tracee.
/// Watchpoints take the first slots, execute breakpoints the ones after them.
/// </summary>
internal static class DebugRegisters
{
    public const int Slots = 4;
    private const int Offset = 848;

    /// <summary>
    /// Arms <paramref name="watchpoints"/> and, after them, <paramref name="executes"/>: an
    /// instruction breakpoint (R/W 00, length 00) traps before the instruction at its address runs,
    /// with no write into the program's memory (Intel SDM vol. 3, 17.2.4).
    /// </summary>
    public static void Apply(Tracee t, IReadOnlyList<Watchpoint> watchpoints, IReadOnlyList<RemotePtr> executes)
    {
        if (watchpoints.Count + executes.Count > Slots)
        {
            throw new RewindException($"at most {Slots} hardware watchpoints and breakpoints at once (the CPU has four debug registers)");
        }
        ulong dr7 = 0;
        Poke(t, 7, 0);
        for (int i = 0; i < watchpoints.Count; i++)
        {
            var w = watchpoints[i];
            Poke(t, i, w.Address.Value);
            ulong rw = w.Kind == WatchKind.Write ? 0b01UL : 0b11UL;
            ulong len = w.Length switch { 1 => 0b00UL, 2 => 0b01UL, 4 => 0b11UL, 8 => 0b10UL, _ => throw new RewindException($"a watchpoint covers 1, 2, 4 or 8 bytes, not {w.Length}") };
            dr7 |= (1UL << (2 * i)) | (rw << (16 + 4 * i)) | (len << (18 + 4 * i));
        }
        for (int i = watchpoints.Count; i < watchpoints.Count + executes.Count; i++)
        {
            Poke(t, i, executes[i - watchpoints.Count].Value);
            dr7 |= 1UL << (2 * i);
        }
        Poke(t, 7, dr7);
    }

    /// <summary>Which slots triggered (DR6 B0-B3), and clears DR6 for the next trap.</summary>
    public static int TakeTriggered(Tracee t)
    {
        long dr6 = Interop.ptrace(Interop.PTRACE_PEEKUSER, t.Pid, Offset + 6 * 8, 0);
        Poke(t, 6, 0);
        return (int)(dr6 & 0xf);
    }

    private static void Poke(Tracee t, int register, ulong value) =>
        Interop.Check(Interop.ptrace(Interop.PTRACE_POKEUSER, t.Pid, Offset + register * 8, (nint)value), $"ptrace(POKEUSER DR{register})");
}
