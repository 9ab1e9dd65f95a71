using Rewind.Checkpoints;
using Rewind.Trace;

namespace Rewind.Core.Tests.Codecs;

public sealed class CheckpointCodecTests
{
    private static readonly Action<ByteReader> Decode = r => CheckpointCodec.Read(r);

    private static byte[] Encode(CheckpointImage c) => BadBytes.Encode(w => CheckpointCodec.Write(w, c));

    private static CheckpointImage Minimal(IReadOnlyList<SavedRegion>? regions = null) =>
        new(0, 0, 0, default, [], 0, [], 0, regions ?? []);

    [Fact]
    public void Full_checkpoint_round_trips()
    {
        var c = Samples.Checkpoint();
        var r = new ByteReader(Encode(c), "checkpoint");
        Samples.AssertSame(c, CheckpointCodec.Read(r));
        Assert.True(r.AtEnd);
    }

    [Fact]
    public void Empty_checkpoint_round_trips() => Samples.AssertSame(Minimal(), CheckpointCodec.Read(new ByteReader(Encode(Minimal()), "checkpoint")));

    [Fact]
    public void Extreme_values_round_trip()
    {
        var region = new SavedRegion(new RemotePtr(ulong.MaxValue - 4096), new RemotePtr(ulong.MaxValue), Protection.Read | Protection.Write | Protection.Execute, true, "[vvar_vclock]",
            new FileMapping("/x", Samples.Blob("x"), ulong.MaxValue, ulong.MaxValue), [new SavedPage(new RemotePtr(ulong.MaxValue - 4096), Samples.Pattern(1 << 20, 1))]);
        var c = new CheckpointImage(int.MaxValue, long.MaxValue, long.MinValue, Samples.Registers(ulong.MaxValue - 100), Samples.Pattern(16384, 2), ulong.MaxValue,
            [new SignalAction(64, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)], ulong.MaxValue, [region]);
        Samples.AssertSame(c, CheckpointCodec.Read(new ByteReader(Encode(c), "checkpoint")));
    }

    [Fact]
    public void Truncated_at_every_byte_is_refused()
    {
        // Small pages keep the loop short; every field is still present.
        var sample = Samples.Checkpoint();
        var c = sample with
        {
            ExtendedState = [1, 2, 3],
            Regions = [.. sample.Regions.Select(r => r with { Pages = [.. r.Pages.Select(p => p with { Data = p.Data[..3] })] })],
            Threads = [sample.Threads[0] with { State = sample.Threads[0].State with { ExtendedState = [1, 2, 3] } }, sample.Threads[1]],
        };
        byte[] bytes = Encode(c);
        // Written before threads were: a checkpoint that ends where its thread list starts is of the main thread alone.
        int withoutThreads = Encode(c with { Threads = [], Moment = null }).Length - 1;
        // Written before format 5: one that ends after its threads has no moment.
        int withoutMoment = Encode(c with { Moment = null }).Length;
        for (int length = 0; length < bytes.Length; length++)
        {
            if (length == withoutThreads)
            {
                Assert.Empty(CheckpointCodec.Read(new ByteReader(bytes.AsMemory(0, length), "checkpoint")).Threads);
                continue;
            }
            if (length == withoutMoment)
            {
                Assert.Null(CheckpointCodec.Read(new ByteReader(bytes.AsMemory(0, length), "checkpoint")).Moment);
                continue;
            }
            // A cut inside a length prefix reads as a count larger than the rest; otherwise the data ends early.
            var e = BadBytes.Rejected(bytes.AsMemory(0, length), Decode);
            Assert.True(e.Message.Contains("ends early", StringComparison.Ordinal) || e.Message.Contains("a count of", StringComparison.Ordinal), e.Message);
        }
    }

    [Fact]
    public void Region_that_ends_before_it_starts_is_refused()
    {
        var bad = new SavedRegion(new RemotePtr(0x2000), new RemotePtr(0x1000), Protection.Read, false, "", null, []);
        var e = BadBytes.Rejected(Encode(Minimal([bad])), Decode);
        Assert.Contains("ends before it starts", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 2)] // checkpoint 3 is not among checkpoints 4 and 5
    [InlineData(1, 2)] // nor among 1 and 2
    public void Moment_that_leaves_out_its_own_checkpoint_is_refused(int first, int count)
    {
        var e = BadBytes.Rejected(Encode(Samples.Checkpoint() with { Moment = new CheckpointMoment(4300, first, count) }), Decode);
        Assert.True(e.Message.Contains("is not among", StringComparison.Ordinal) || e.Message.Contains("a count of", StringComparison.Ordinal), e.Message);
    }

    /// <summary>A checkpoint's bytes up to its signal count, as Write lays them out.</summary>
    private static void Head(ByteWriter w)
    {
        w.VarU(0);
        w.VarU(0);
        w.VarS(0);
        w.Raw(new byte[Registers.Size]);
        w.Bytes([]);
        w.U64(0);
    }

    [Theory]
    [InlineData(65UL)]
    [InlineData(1UL << 32)]
    [InlineData(ulong.MaxValue)]
    public void Signal_action_count_beyond_the_cap_is_refused(ulong count) =>
        BadBytes.Rejected(BadBytes.Encode(w => { Head(w); w.VarU(count); }), Decode);

    [Theory]
    [InlineData(64UL)]
    public void Signal_action_count_beyond_the_data_is_refused(ulong count) =>
        BadBytes.Rejected(BadBytes.Encode(w => { Head(w); w.VarU(count); w.VarU(1); }), Decode);

    [Theory]
    [InlineData(1UL << 16)] // the cap itself
    [InlineData((1UL << 16) + 1)]
    [InlineData(ulong.MaxValue)]
    public void Region_count_beyond_the_data_is_refused(ulong count) =>
        BadBytes.Rejected(BadBytes.Encode(w => { Head(w); w.VarU(0); w.VarU(0x4c5000); w.VarU(count); }), Decode);

    private static byte[] OneRegionWithPageCount(ulong pages) => BadBytes.Encode(w =>
    {
        OneRegion(w, 3, "[heap]");
        w.VarU(pages);
    });

    /// <summary>A checkpoint's start up to the first of one region, from 0x1000 to 0x2000, with <paramref name="bits"/> and <paramref name="name"/>.</summary>
    private static void OneRegion(ByteWriter w, byte bits, string name)
    {
        Head(w);
        w.VarU(0);
        w.VarU(0x4c5000);
        w.VarU(1);
        w.VarU(0x1000);
        w.VarU(0x2000);
        w.Byte(bits);
        w.String(name);
    }

    [Theory]
    [InlineData((1UL << 24) + 1)]
    [InlineData(ulong.MaxValue)]
    public void Page_count_beyond_the_cap_is_refused(ulong count) => BadBytes.Rejected(OneRegionWithPageCount(count), Decode);

    /// <summary>A private region naming a shared file (bit 64 without 8) is a private view: it must name its bytes (16) and inherit nothing (32).</summary>
    [Theory]
    [InlineData(64)]
    [InlineData(64 | 32)]
    [InlineData(64 | 16 | 32)]
    public void A_private_view_without_its_bytes_or_inheriting_them_is_refused(byte bits)
    {
        byte[] bytes = BadBytes.Encode(w =>
        {
            OneRegion(w, bits, "/tmp/data.bin");
            w.Raw(new byte[64]);
        });
        var e = BadBytes.Rejected(bytes, Decode);
        Assert.Contains("a private view of a file without its bytes, or inheriting them", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_count_at_the_cap_without_data_is_refused_without_a_big_allocation() =>
        BadBytes.Rejected(OneRegionWithPageCount(1UL << 24), Decode);

    [Theory]
    [InlineData(1UL << 30)]
    [InlineData(ulong.MaxValue)]
    public void Page_length_beyond_the_data_is_refused(ulong length)
    {
        byte[] bytes = [.. OneRegionWithPageCount(1), .. BadBytes.Encode(w => { w.VarU(0x1000); w.VarU(length); w.Raw(new byte[100]); })];
        BadBytes.Rejected(bytes, Decode);
    }

    [Fact]
    public void Eleven_byte_varint_is_refused()
    {
        byte[] bytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0, 0];
        var e = BadBytes.Rejected(bytes, Decode);
        Assert.Contains("longer than 10 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_damage_never_escapes_as_another_exception()
    {
        var c = Samples.Checkpoint() with { ExtendedState = [9, 9], Regions = [.. Samples.Checkpoint().Regions.Select(r => r with { Pages = [.. r.Pages.Select(p => p with { Data = p.Data[..16] })] })] };
        byte[] original = Encode(c);
        var random = new Random(99);
        for (int round = 0; round < 5000; round++)
        {
            byte[] bytes = (byte[])original.Clone();
            int flips = 1 + random.Next(4);
            for (int i = 0; i < flips; i++)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                CheckpointCodec.Read(new ByteReader(bytes, "fuzz"));
            }
            catch (TraceFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name} ({e.Message}) for {Convert.ToHexString(bytes)}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < BadBytes.AllocationBudget, $"round {round}: {allocated:N0} bytes allocated for {original.Length} bytes of input");
        }
    }
}
