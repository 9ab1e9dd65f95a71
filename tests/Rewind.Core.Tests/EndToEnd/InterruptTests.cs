using Rewind.Recording;
using Rewind.Timeline;
using Rewind.Trace;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>A debugger's pause stops a continue in the middle of a stretch with no event at all.</summary>
[Collection("tracer")]
public sealed class InterruptTests(Debuggees programs)
{
    [TracerFact]
    public void Interrupt_stops_a_continue_inside_a_loop_without_events()
    {
        string dir = programs.NewScratch();
        string trace = Path.Combine(dir, "spin.rwd");
        // About two seconds of computing with no syscall: the pause lands well inside it.
        var recorded = Tracer.Run("record", () => RecordSession.Record(new RecordOptions(programs.Spin, ["2000000000"], Tracer.Environment, dir, trace)));
        Assert.Equal(new ExitStatus(0, 0, false), recorded.Exit);

        var (paused, end) = Tracer.Run("replay", () =>
        {
            using var file = TraceFile.Open(trace);
            using var timeline = ReplayTimeline.Open(file);
            var pause = new Thread(() =>
            {
                Thread.Sleep(100);
                timeline.Interrupt();
            });
            pause.Start();
            var first = timeline.Continue(Direction.Forward);
            pause.Join();
            return (first, timeline.Continue(Direction.Forward));
        });

        Assert.Equal(StopReason.Arrived, paused.Reason);
        Assert.Equal("paused", paused.Note);
        Assert.True(paused.Position.Event < end.Position.Event, $"paused at {paused.Position}, the end is {end.Position}");
        Assert.Equal(StopReason.EndOfTrace, end.Reason);
    }
}
