using System.Diagnostics;
using Rewind.Syscalls;

namespace Rewind.Recording;

/// <summary>
/// What a wait made again after a checkpoint's interrupt is given of its relative timeout
/// (<see cref="SyscallTable.TimeoutOfEintrWait"/>): the time left, counted from the call's entry,
/// so that it ends no sooner and hardly later than it would have. A count of milliseconds goes
/// into its argument; a timespec into a piece of scratch memory that its argument then names, the
/// program's own left as the program gave it. At the call's exit the program's argument is put back.
/// </summary>
internal static class TimeLeft
{
    private const int TimespecSize = 16;

    /// <summary>Sets <paramref name="regs"/>, thread <paramref name="t"/>'s registers before its wait is made again, to give it the time it has left.</summary>
    public static void Give(RecordedThread t, ref Registers regs, EintrTimeout timeout)
    {
        var entry = t.SyscallEntry!.Value;
        ulong given = entry.Arg(timeout.Arg);
        var waited = Stopwatch.GetElapsedTime(t.EnteredAt);
        if (!timeout.IsTimespec)
        {
            if ((int)given > 0)
            {
                regs.SetArg(timeout.Arg, (ulong)Math.Max(0, (int)given - (long)waited.TotalMilliseconds));
            }
            return;
        }
        Span<byte> timespec = stackalloc byte[TimespecSize];
        // Where the program gave none (it waits for ever), or the scratch pool is full (it waits the whole timeout again), it is made again as given.
        if (given == 0 || t.Tracee.Read(new RemotePtr(given), timespec) < TimespecSize || (t.TimeoutPiece ??= t.Process.Scratch?.Lend(TimespecSize)) is not { } piece)
        {
            return;
        }
        long nanoseconds = BitConverter.ToInt64(timespec) * 1_000_000_000 + BitConverter.ToInt64(timespec[8..]);
        long left = Math.Max(0, nanoseconds - (long)(waited.TotalMicroseconds * 1000));
        BitConverter.TryWriteBytes(timespec, left / 1_000_000_000);
        BitConverter.TryWriteBytes(timespec[8..], left % 1_000_000_000);
        t.Tracee.Write(piece, timespec);
        regs.SetArg(timeout.Arg, piece.Value);
    }

    /// <summary>At the exit of <paramref name="entry"/>'s call: gives the program back the timeout argument it gave, and the scratch piece back to the pool.</summary>
    public static void PutBack(RecordedThread t, in Registers entry)
    {
        if (t.TimeoutPiece is { } piece)
        {
            t.Process.Scratch?.Return(piece);
            t.TimeoutPiece = null;
        }
        if (SyscallTable.TimeoutOfEintrWait(entry.SyscallNumber) is { Arg: var arg } && t.Tracee.GetRegisters() is var regs && regs.Arg(arg) != entry.Arg(arg))
        {
            regs.SetArg(arg, entry.Arg(arg));
            t.Tracee.SetRegisters(regs);
        }
    }
}
