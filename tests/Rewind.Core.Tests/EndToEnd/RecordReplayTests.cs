using System.Text;
using Rewind.Recording;
using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>
/// The core invariant, driven in-process: a recording replays to the same output and exit
/// status, and replay touches nothing outside the tracee.
/// </summary>
[Collection("tracer")]
public sealed class RecordReplayTests(Debuggees programs)
{
    private sealed record Recorded(string Dir, string Trace, RecordResult Result, byte[] Observed, string AppendFile, string UnlinkFile, string ObservationsFile);

    private Recorded RecordEffects()
    {
        string dir = programs.NewScratch();
        string append = Path.Combine(dir, "append.txt"), victim = Path.Combine(dir, "victim.txt"), observations = Path.Combine(dir, "observations.txt");
        string trace = Path.Combine(dir, "effects.rwd");
        File.WriteAllText(append, "before\n");
        File.WriteAllText(victim, "to be unlinked\n");

        var result = Tracer.Run("record", () => RecordSession.Record(new RecordOptions(programs.Effects, [append, victim, observations], Tracer.Environment, dir, trace)));

        Assert.Null(result.Error);
        Assert.Equal(new ExitStatus(7, 0, false), result.Exit);
        Assert.True(result.Events > 0);
        Assert.Equal("before\nappended by effects\n", File.ReadAllText(append));
        Assert.False(File.Exists(victim));
        byte[] observed = File.ReadAllBytes(observations);
        Assert.Contains("unlink 0\n", Encoding.ASCII.GetString(observed), StringComparison.Ordinal);
        return new Recorded(dir, trace, result, observed, append, victim, observations);
    }

    private static (ReplayResult Result, byte[] Stdout, byte[] Stderr) Replay(string tracePath)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        using var trace = TraceFile.Open(tracePath);
        var result = Tracer.Run("replay", () =>
        {
            using var session = ReplaySession.Start(trace, 0, (fd, data) => (fd == 1 ? stdout : stderr).Write(data));
            return session.RunToEnd();
        });
        return (result, stdout.ToArray(), stderr.ToArray());
    }

    private static byte[] RecordedOutput(string tracePath, int fd)
    {
        using var trace = TraceFile.Open(tracePath);
        return [.. trace.Events().Select(e => e.Event).OfType<SyscallEvent>().Where(s => s.Output?.Fd == fd).SelectMany(s => s.Output!.Data)];
    }

    [TracerFact]
    public void Replay_shows_the_recorded_output_and_exit_and_touches_nothing_outside()
    {
        var recorded = RecordEffects();
        // The world changes after the recording; replay must leave it as it is now.
        File.Delete(recorded.ObservationsFile);
        File.WriteAllText(recorded.UnlinkFile, "re-created after recording\n");

        Assert.Equal(recorded.Observed, RecordedOutput(recorded.Trace, 1));
        var (result, stdout, stderr) = Replay(recorded.Trace);

        Assert.Null(result.EndNote);
        Assert.Equal(recorded.Result.Exit, result.Exit);
        Assert.Equal(recorded.Result.Events, result.Events);
        Assert.Equal(Encoding.ASCII.GetString(recorded.Observed), Encoding.ASCII.GetString(stdout));
        Assert.Equal("effects: done\n", Encoding.ASCII.GetString(stderr));
        Assert.Equal("before\nappended by effects\n", File.ReadAllText(recorded.AppendFile));
        Assert.Equal("re-created after recording\n", File.ReadAllText(recorded.UnlinkFile));
        Assert.False(File.Exists(recorded.ObservationsFile));
    }

    [TracerFact]
    public void Two_replays_of_one_trace_agree()
    {
        var recorded = RecordEffects();
        var first = Replay(recorded.Trace);
        var second = Replay(recorded.Trace);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal(first.Result, second.Result);
    }

    [TracerFact]
    public void A_trace_cut_in_the_middle_replays_up_to_its_last_complete_chunk()
    {
        var recorded = RecordEffects();
        string cut = Path.Combine(recorded.Dir, "cut.rwd");
        List<ChunkInfo> events;
        using (var reader = TraceReader.Open(recorded.Trace))
            events = [.. reader.Chunks.Where(c => c.Kind == ChunkKind.Events)];
        Assert.True(events.Count >= 2, $"the recording wrote {events.Count} events chunk(s); the debuggee's 300 KB read should fill one");
        var last = events[^1];
        using (var file = new FileStream(recorded.Trace, FileMode.Open, FileAccess.Read))
        using (var copy = new FileStream(cut, FileMode.CreateNew))
        {
            long keep = last.Offset + ((last.End - last.Offset) / 2);
            var bytes = new byte[keep];
            file.ReadExactly(bytes);
            copy.Write(bytes);
        }
        long complete = (long)last.Tag; // the first event of the dropped chunk

        var (result, stdout, _) = Replay(cut);

        Assert.Null(result.Exit);
        Assert.Equal(complete, result.Events);
        Assert.NotNull(result.EndNote);
        Assert.Contains($"replay stopped at event {complete}", result.EndNote, StringComparison.Ordinal);
        Assert.Contains("interrupted", result.EndNote, StringComparison.Ordinal);
        Assert.True(recorded.Observed.AsSpan().StartsWith(stdout), "the replay printed something the recording did not");
    }

    [TracerFact]
    public void A_program_that_starts_a_thread_replays_with_both_threads()
    {
        string dir = programs.NewScratch();
        string trace = Path.Combine(dir, "thread.rwd");

        var result = Tracer.Run("record", () => RecordSession.Record(new RecordOptions(programs.Thread, [], Tracer.Environment, dir, trace)));

        Assert.Null(result.Error);
        Assert.Equal(0, result.Exit?.Code);
        using var file = TraceFile.Open(trace);
        Assert.Equal(2, file.Events().Select(e => e.Event.Tid).Where(t => t.Value > 0).Distinct().Count());
        var (replayed, stdout, _) = Replay(trace);
        Assert.Equal(0, replayed.Exit?.Code);
        Assert.Equal("starting a thread\nthread returned: 42\n", System.Text.Encoding.UTF8.GetString(stdout));
    }

    [TracerFact]
    public void A_recording_leaves_the_other_children_of_its_process_alone()
    {
        string dir = programs.NewScratch();
        // Children of this process that end while the recorder waits for its own: reaping one
        // would take it from the runtime, which then never sees it end or fails the whole process.
        var bystanders = Enumerable.Range(1, 20).Select(i => System.Diagnostics.Process.Start("/bin/sleep", $"0.{i:00}")).ToList();

        var result = Tracer.Run("record", () => RecordSession.Record(new RecordOptions("/bin/sleep", ["0.5"], Tracer.Environment, dir, Path.Combine(dir, "sleep.rwd"))));

        Assert.Equal(new ExitStatus(0, 0, false), result.Exit);
        foreach (var bystander in bystanders)
        {
            Assert.True(bystander.WaitForExit(Tracer.Limit), "a child the recorder took was never seen to end");
            Assert.Equal(0, bystander.ExitCode);
            bystander.Dispose();
        }
    }
}
