using System.Text;
using Rewind.Recording;
using Rewind.Replay;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>
/// Replay checks what the program writes to files, pipes and sockets, not only to its stdout: a
/// replay that computes other bytes stops at the write that differs (issue #9, "Never silent").
/// </summary>
[Collection("tracer")]
public sealed class WrittenBytesTests(Debuggees programs)
{
    [TracerFact]
    public void A_replay_that_writes_other_bytes_to_a_file_diverges_at_that_write()
    {
        string dir = programs.NewScratch();
        string input = Path.Combine(dir, "in.txt"), output = Path.Combine(dir, "out.txt"), trace = Path.Combine(dir, "transform.rwd");
        File.WriteAllText(input, "the quick brown fox\n");
        var recorded = Tracer.Run("record", () => RecordSession.Record(new RecordOptions(programs.Transform, [input, output], Tracer.Environment, dir, trace)));
        Assert.Equal(new ExitStatus(0, 0, false), recorded.Exit);
        Assert.Equal(string.Concat(Enumerable.Repeat("THE QUICK BROWN FOX\n", 5)), File.ReadAllText(output));

        List<(long Index, SyscallEvent Event)> syscalls;
        using (var file = TraceFile.Open(trace))
            syscalls = [.. file.Events().Where(e => e.Event is SyscallEvent).Select(e => (e.Index, (SyscallEvent)e.Event))];
        var read = syscalls.Single(s => s.Event.Number == Nr.read && s.Event.Result == 20);
        var write = syscalls.Single(s => s.Event.Number == Nr.write && s.Event.Output == null);
        int[] sending = [Nr.write, Nr.writev, Nr.pwrite64, Nr.pwritev, Nr.pwritev2, Nr.sendto, Nr.sendmsg, Nr.sendmmsg];
        Assert.All(sending, nr => Assert.NotNull(syscalls.Single(s => s.Event.Number == nr && s.Event.Output == null).Event.Sent));
        // Every digest is checked again in replay, and agrees.
        Assert.Equal("copied 20 bytes five times, sent 80 in 2 + 2 messages, received 80\n", Encoding.ASCII.GetString(Replay(trace).Stdout));

        // The same trace, but the read returned "the quick brown cat": the program prints the same
        // count, and writes other letters to its file.
        string tampered = Path.Combine(dir, "tampered.rwd");
        TraceRewrite.Rewrite(trace, tampered, read.Index, e =>
        {
            var s = (SyscallEvent)e;
            return s with { Writes = [new MemoryWrite(s.Writes[0].Address, "the quick brown cat\n"u8.ToArray())] };
        });

        var diverged = Assert.Throws<DivergenceException>(() => Replay(tampered));
        Assert.Equal(write.Index, diverged.EventIndex);
        Assert.StartsWith($"diverged at event {write.Index}: write to fd {write.Event.Args[0]} differs from the recording (write returned 20;", diverged.Message, StringComparison.Ordinal);
    }

    private static (ReplayResult Result, byte[] Stdout) Replay(string tracePath)
    {
        var stdout = new MemoryStream();
        using var trace = TraceFile.Open(tracePath);
        var result = Tracer.Run("replay", () =>
        {
            using var session = ReplaySession.Start(trace, 0, (fd, data) => { if (fd == 1) stdout.Write(data); });
            return session.RunToEnd();
        });
        return (result, stdout.ToArray());
    }
}
