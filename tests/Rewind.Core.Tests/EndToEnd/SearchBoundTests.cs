using Rewind.Recording;
using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>
/// A replay searching for a place the thread never reaches ends as a divergence once the thread
/// has run well past the CPU time it took there when recorded, instead of spinning for ever
/// (docs/decisions.md, "Positions without a counter"; issue #11, "nothing may hang"), or at
/// once where the place cannot be reached.
/// </summary>
[Collection("tracer")]
public sealed class SearchBoundTests(Debuggees programs)
{
    [TracerFact]
    public void A_place_never_reached_ends_the_search_as_a_divergence()
    {
        string dir = programs.NewScratch();
        string trace = Path.Combine(dir, "prof_loop.rwd"), tampered = Path.Combine(dir, "tampered.rwd");
        var recorded = Tracer.Run("record", () => RecordSession.Record(new RecordOptions(programs.ProfLoop, [], Tracer.Environment, dir, trace)));
        Assert.Equal(new ExitStatus(0, 0, false), recorded.Exit);

        long index;
        using (var file = TraceFile.Open(trace))
            index = file.Events().First(e => e.Event is SignalEvent { Synchronous: false, RunNanos: not null }).Index;
        // The first signal's place, with a register no pass of the loop has: the loop never ends without that signal.
        TraceRewrite.Rewrite(trace, tampered, index, e =>
        {
            var signal = (SignalEvent)e;
            var registers = signal.Registers;
            registers.R15 = ~registers.R15;
            return signal with { Registers = registers };
        });

        var diverged = ReplayDiverges(tampered);
        Assert.Equal(index, diverged.EventIndex);
        Assert.Contains("was not reached in", diverged.Message, StringComparison.Ordinal);
    }

    /// <summary>The longest run before the preemption whose word is moved: its search's bound is then at most 5.2 s of CPU time.</summary>
    private const ulong MaxRunNanos = 100_000_000;

    [TracerFact]
    public void A_word_of_the_loop_that_never_becomes_readable_ends_the_search_as_a_divergence()
    {
        string dir = programs.NewScratch();
        string trace = Path.Combine(dir, "spin_counter.rwd"), tampered = Path.Combine(dir, "tampered.rwd");
        // Which thread the recorder preempts where depends on the run: a few recordings, until one
        // preempts the worker in its loop after a short run. The search waits for the word until
        // its bound, 32 times that run's CPU time plus 2 s, which must end well within the
        // tracer's limit even on a loaded machine: the first preemption after 0.5 s of spinning
        // would take 18 s of CPU time, more than 30 s of a shared CPU.
        long? index = null;
        for (int i = 0; i < 5 && index == null; i++)
        {
            var recorded = Tracer.Run("record", () => RecordSession.Record(new RecordOptions(programs.SpinCounter, [], Tracer.Environment, dir, trace)));
            Assert.Equal(new ExitStatus(0, 0, false), recorded.Exit);
            using var file = TraceFile.Open(trace);
            index = file.Events().Where(e => e.Event is PreemptionEvent { LoopWords.Count: > 0, RunNanos: <= MaxRunNanos })
                .Select(e => (long?)e.Index).FirstOrDefault();
        }
        Assert.True(index != null, "no recording of spin_counter preempted its worker in its loop after a short run");
        // The lap's word moved to the first page, which no process maps: the probe's load of it
        // faults at the first pass, and the search waits for the word until its bound.
        TraceRewrite.Rewrite(trace, tampered, index.Value, e =>
        {
            var preemption = (PreemptionEvent)e;
            return preemption with { LoopWords = [.. preemption.LoopWords!.Select(w => w with { Address = new RemotePtr(0x10) })] };
        });

        var diverged = ReplayDiverges(tampered);
        Assert.Equal(index, diverged.EventIndex);
        Assert.Contains("was not reached in", diverged.Message, StringComparison.Ordinal);
    }

    [TracerFact]
    public void A_run_that_a_wrong_answer_sends_round_a_loop_for_ever_ends_as_a_divergence()
    {
        string dir = programs.NewScratch();
        string trace = Path.Combine(dir, "same_pid.rwd"), tampered = Path.Combine(dir, "tampered.rwd");
        var recorded = Tracer.Run("record", () => RecordSession.Record(new RecordOptions(programs.SamePid, [], Tracer.Environment, dir, trace)));
        Assert.Equal(new ExitStatus(0, 0, false), recorded.Exit);

        long index;
        using (var file = TraceFile.Open(trace))
            index = file.Events().Where(e => e.Event is SyscallEvent { Number: Rewind.Syscalls.Nr.getpid }).Select(e => e.Index).Last();
        // The second getpid answered with another pid: the program spins where it never did, on
        // its way to its next syscall, which no search bounds.
        TraceRewrite.Rewrite(trace, tampered, index, e => (SyscallEvent)e with { Result = ((SyscallEvent)e).Result + 1 });

        var diverged = ReplayDiverges(tampered);
        Assert.Equal(index + 1, diverged.EventIndex);
        Assert.Contains("was not reached in", diverged.Message, StringComparison.Ordinal);
    }

    private static DivergenceException ReplayDiverges(string trace) => Assert.Throws<DivergenceException>(() => Tracer.Run("replay", () =>
    {
        using var file = TraceFile.Open(trace);
        using var session = ReplaySession.Start(file);
        return session.RunToEnd();
    }));
}
