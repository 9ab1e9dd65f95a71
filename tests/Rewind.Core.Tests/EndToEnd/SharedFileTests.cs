using System.Globalization;
using System.Text;
using Rewind.Recording;
using Rewind.Replay;
using Rewind.Timeline;
using Rewind.Trace;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>
/// Views of one file the program writes through share their pages in replay as they did when
/// recorded (a JIT's double mapping), and each snapshot keeps the pages of its own moment.
/// </summary>
[Collection("tracer")]
public sealed class SharedFileTests(Debuggees programs)
{
    private const string Expected = "round 1: code 7, view 1\nround 2: code 14, view 2\nround 3: code 21, view 3\n";

    [TracerFact]
    public void Code_written_through_one_view_runs_through_another_in_replay()
    {
        string trace = Record();
        var stdout = new StringBuilder();
        using var file = TraceFile.Open(trace);
        var result = Tracer.Run("replay", () =>
        {
            using var session = ReplaySession.Start(file, 0, (_, data) => stdout.Append(Encoding.ASCII.GetString(data)));
            return session.RunToEnd();
        });
        Assert.Null(result.EndNote);
        Assert.Equal(0, result.Exit?.Code);
        Assert.EndsWith(Expected, stdout.ToString(), StringComparison.Ordinal);
        // The gigabyte memfd is stored as the page under each mapping, not as a file.
        Assert.True(new FileInfo(trace).Length < 4 << 20, $"the trace holds {new FileInfo(trace).Length} bytes");
    }

    [TracerFact]
    public void Going_back_to_a_snapshot_shows_the_shared_pages_of_its_moment()
    {
        string trace = Record();
        using var file = TraceFile.Open(trace);
        var outputs = file.Events().Where(e => e.Event is SyscallEvent { Output: not null }).ToList();
        string first = Encoding.ASCII.GetString(((SyscallEvent)outputs[0].Event).Output!.Data);
        var view = new RemotePtr(ulong.Parse(first.Trim()["view 0x".Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        long Round(int n) => outputs.Single(e => Encoding.ASCII.GetString(((SyscallEvent)e.Event).Output!.Data).StartsWith($"round {n}", StringComparison.Ordinal)).Index;

        var seen = Tracer.Run("timeline", () =>
        {
            using var timeline = ReplayTimeline.Open(file);
            byte At(long eventIndex)
            {
                timeline.RunToEvent(eventIndex);
                var b = new byte[1];
                Assert.Equal(1, timeline.ReadMemory(view, b));
                return b[0];
            }
            // Just before round n prints, the view shows round n - 1's byte.
            return new[] { At(Round(2)), At(Round(3)), At(Round(2)), At(Round(3)) };
        });

        Assert.Equal(new byte[] { 1, 2, 1, 2 }, seen);
    }

    private string Record()
    {
        string dir = programs.NewScratch();
        string trace = Path.Combine(dir, "shared_views.rwd");
        var recorded = Tracer.Run("record", () => RecordSession.Record(new RecordOptions(programs.SharedViews, [], Tracer.Environment, dir, trace)));
        Assert.Null(recorded.Error);
        Assert.Equal(new ExitStatus(0, 0, false), recorded.Exit);
        return trace;
    }
}
