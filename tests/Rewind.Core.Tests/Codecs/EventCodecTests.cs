using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Core.Tests.Codecs;

public sealed class EventCodecTests
{
    private static TraceEvent RoundTrip(TraceEvent e, long previousTime = 0)
    {
        var w = new ByteWriter();
        EventCodec.Write(w, e, previousTime);
        var r = new ByteReader(w.WrittenSpan.ToArray(), "event");
        var back = EventCodec.Read(r, previousTime);
        Assert.True(r.AtEnd, $"{r.Remaining} bytes left after the event");
        Samples.AssertSame(e, back);
        return back;
    }

    public static TheoryData<int> SmallEventIndexes() => [.. Enumerable.Range(0, Samples.SmallEvents().Count())];

    [Theory]
    [MemberData(nameof(SmallEventIndexes))]
    public void Every_kind_round_trips(int index) => RoundTrip(Samples.SmallEvents().ElementAt(index), previousTime: 3);

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(-4095L)] // the most negative errno
    [InlineData(-4096L)]
    [InlineData(-512L)] // ERESTARTSYS
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(-4094L)]
    public void Syscall_results_round_trip(long result) =>
        RoundTrip(new SyscallEvent(new Tid(1), 0, Nr.read, [0, 0, 0, 0, 0, 0], result, new RemotePtr(1), []));

    [Fact]
    public void Syscall_with_extreme_arguments_and_numbers_round_trips()
    {
        ulong[] args = [ulong.MaxValue, 0, 1UL << 63, (1UL << 63) - 1, 0x7f, 0x80];
        RoundTrip(new SyscallEvent(new Tid(int.MaxValue), long.MaxValue, 4096, args, -4095, new RemotePtr(ulong.MaxValue), []), previousTime: 0);
        RoundTrip(new SyscallEvent(new Tid(0), 0, 0, args, 0, RemotePtr.Null, []));
    }

    [Fact]
    public void Paths_round_trip_empty_or_long()
    {
        RoundTrip(new SyscallEvent(new Tid(1), 0, 262, [3, 0x1000, 0x2000, 0x1000, 0, 0], 0, new RemotePtr(1), [], Paths: [""]));
        RoundTrip(new SyscallEvent(new Tid(1), 0, Nr.openat, [0xffffff9c, 0x1000, 0, 0, 0, 0], 3, new RemotePtr(1), [], Paths: [new string('a', 4095)]));
    }

    [Fact]
    public void Times_are_deltas_and_may_go_backwards()
    {
        RoundTrip(new ExecEvent(new Tid(5), 10, 0), previousTime: 1_000_000);
        RoundTrip(new ExecEvent(new Tid(5), long.MinValue / 2, 0), previousTime: long.MaxValue / 2);
    }

    [Fact]
    public void Empty_writes_and_outputs_round_trip()
    {
        var e = new SyscallEvent(new Tid(7), 1, Nr.write, [2, 0x1000, 0, 0, 0, 0], 0, new RemotePtr(0x4000),
            [new MemoryWrite(new RemotePtr(0x1000), []), new MemoryWrite(new RemotePtr(ulong.MaxValue), [0])],
            new FileMapping("", Samples.Blob(""), 0, 0), new StandardStream(2, []));
        RoundTrip(e);
    }

    [Fact]
    public void One_megabyte_write_and_output_round_trip()
    {
        byte[] big = Samples.Pattern(1 << 20, 9);
        var e = new SyscallEvent(new Tid(7), 1, Nr.read, [0, 0x10000, 1 << 20, 0, 0, 0], 1 << 20, new RemotePtr(0x4000),
            [new MemoryWrite(new RemotePtr(0x10000), big)], Output: new StandardStream(1, big));
        var back = (SyscallEvent)RoundTrip(e);
        Assert.Equal(1 << 20, back.Writes[0].Data.Length);
    }

    [Fact]
    public void Many_writes_round_trip()
    {
        var writes = Enumerable.Range(0, 5000).Select(i => new MemoryWrite(new RemotePtr((ulong)i * 4096), [(byte)i])).ToArray();
        RoundTrip(new SyscallEvent(new Tid(7), 1, Nr.read, [0, 0, 0, 0, 0, 0], 1, new RemotePtr(0x4000), writes));
    }

    [Fact]
    public void Mapping_path_keeps_any_unicode()
    {
        var e = new SyscallEvent(new Tid(1), 0, Nr.mmap, [0, 4096, 1, 2, 3, 0], 0x1000, new RemotePtr(1), [],
            new FileMapping("/home/user/ünï cødé/库 (deleted)", Samples.Blob("x"), ulong.MaxValue, ulong.MaxValue));
        RoundTrip(e);
    }

    [Fact]
    public void Signal_event_round_trips_with_every_signal_number()
    {
        foreach (int signal in new[] { 1, 11, 31, 34, 64 })
        {
            RoundTrip(new SignalEvent(new Tid(3), 4, signal, Samples.Pattern(128, signal), signal == 11, Samples.Registers((ulong)signal), ulong.MaxValue));
        }
        RoundTrip(new SignalEvent(new Tid(3), 4, 0, [], false, default, 0));
        RoundTrip(new SignalEvent(new Tid(3), 4, 64, Samples.Pattern(128, 64), false, Samples.Registers(64), 0, ulong.MaxValue, Samples.Pattern(256, 64)));
        RoundTrip(new SignalEvent(new Tid(3), 4, 14, Samples.Pattern(128, 14), false, Samples.Registers(14), 1, 0, []));
    }

    [Fact]
    public void Rdtsc_event_round_trips()
    {
        RoundTrip(new RdtscEvent(new Tid(3), 4, new RemotePtr(ulong.MaxValue), ulong.MaxValue, 0, false));
        RoundTrip(new RdtscEvent(new Tid(3), 4, new RemotePtr(1), 0, int.MaxValue, true));
    }

    [Fact]
    public void Rdtsc_aux_above_int_max_round_trips() =>
        RoundTrip(new RdtscEvent(new Tid(3), 4, new RemotePtr(1), 0, uint.MaxValue, true));

    [Fact]
    public void Exit_event_round_trips_codes_and_signals()
    {
        RoundTrip(new ExitEvent(new Tid(3), 4, new ExitStatus(0, 0, false)));
        RoundTrip(new ExitEvent(new Tid(3), 4, new ExitStatus(255, 0, false)));
        RoundTrip(new ExitEvent(new Tid(3), 4, new ExitStatus(0, 11, true)));
        RoundTrip(new ExitEvent(new Tid(3), 4, new ExitStatus(0, 64, false)));
    }

    [Fact]
    public void Exec_event_round_trips() => RoundTrip(new ExecEvent(new Tid(int.MaxValue), 4, int.MaxValue));

    [Fact]
    public void Child_output_event_round_trips()
    {
        RoundTrip(new ChildOutputEvent(new Tid(7), 9, new StandardStream(1, "HI\n"u8.ToArray())));
        RoundTrip(new ChildOutputEvent(new Tid(7), 9, new StandardStream(2, [])));
    }

    [Fact]
    public void A_sequence_of_events_decodes_in_order()
    {
        var events = Samples.SmallEvents().ToList();
        var w = new ByteWriter();
        long time = 100;
        foreach (var e in events)
        {
            EventCodec.Write(w, e, time);
            time = e.Time;
        }
        var r = new ByteReader(w.WrittenSpan.ToArray(), "events");
        time = 100;
        foreach (var e in events)
        {
            var back = EventCodec.Read(r, time);
            Samples.AssertSame(e, back);
            time = back.Time;
        }
        Assert.True(r.AtEnd);
    }
}
