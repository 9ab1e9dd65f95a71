using Rewind.Linux;
using Rewind.Timeline;

namespace Rewind.Cli.Gdb;

/// <summary>
/// The T packet for a timeline stop, its signal in gdb's numbering (<see cref="GdbSignal"/>). The ends of the recording are "replaylog:begin/end" (gdb
/// says "No more reverse-execution history"), never an exit: the process stays there to be
/// inspected and left backward. The fatal signal a recording ends with is a signal stop (T0b
/// for SIGSEGV), at the faulting instruction.
/// </summary>
internal static class StopReply
{
    public static string For(TimelineStop stop, string threadId, GdbBreakpoints breakpoints, IReadOnlyList<GdbWatch> watches)
    {
        int signal = Signal.SIGTRAP;
        string reason = "";
        switch (stop.Reason)
        {
            case StopReason.Breakpoint:
                reason = breakpoints.IsHardware(stop.Address.Value) ? "hwbreak:;" : "swbreak:;";
                break;
            case StopReason.Watchpoint:
                var watch = watches.FirstOrDefault(w => w.Covers(stop.Address.Value));
                // A kernel write (a syscall's output) may hit a watch at any byte of it.
                watch ??= watches.FirstOrDefault(w => w.Address <= stop.Address.Value && stop.Address.Value < w.Address + (ulong)w.Length);
                reason = watch != null ? $"{watch.StopKey}:{Math.Max(stop.Address.Value, watch.Address):x};" : "";
                break;
            case StopReason.Signal:
                signal = stop.Signal;
                break;
            case StopReason.StartOfTrace:
                reason = "replaylog:begin;";
                break;
            case StopReason.EndOfTrace:
                reason = "replaylog:end;";
                break;
        }
        return $"T{GdbSignal.FromLinux(signal):x2}thread:{threadId};{reason}";
    }

    /// <summary>A motion that gdb's Ctrl-C paused: the SIGINT stop gdb expects (nothing is delivered).</summary>
    public static string Interrupted(string threadId) => $"T{GdbSignal.FromLinux(Signal.SIGINT):x2}thread:{threadId};";
}
