using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Core.Tests.Codecs;

/// <summary>Bounds tests: hand-made bad bytes end in a TraceFormatException, quickly and without big allocations.</summary>
public sealed class EventCodecBoundsTests
{
    private static readonly Action<ByteReader> Decode = r => EventCodec.Read(r, 0);

    private static byte[] Encode(TraceEvent e) => BadBytes.Encode(w => EventCodec.Write(w, e, 0));

    public static TheoryData<int> SmallEventIndexes() => [.. Enumerable.Range(0, Samples.SmallEvents().Count())];

    [Theory]
    [MemberData(nameof(SmallEventIndexes))]
    public void Truncated_at_every_byte_is_refused(int index)
    {
        byte[] bytes = Encode(Samples.SmallEvents().ElementAt(index));
        for (int length = 0; length < bytes.Length; length++)
        {
            // A cut inside a length prefix reads as a count larger than the rest; otherwise the data ends early.
            var e = BadBytes.Rejected(bytes.AsMemory(0, length), Decode);
            Assert.True(e.Message.Contains("ends early", StringComparison.Ordinal) || e.Message.Contains("a count of", StringComparison.Ordinal), e.Message);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(0x7f)]
    [InlineData(0xff)]
    public void Unknown_kind_is_refused(byte kind)
    {
        var e = BadBytes.Rejected(new byte[] { kind, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, Decode);
        Assert.Contains($"unknown event kind {kind}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_patch_that_writes_nothing_is_refused()
    {
        // Kind 14, tid 1, time 0, no page mapped, no write.
        var e = BadBytes.Rejected(new byte[] { 14, 1, 0, 0, 0 }, Decode);
        Assert.Contains("a code patch that writes nothing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eleven_byte_varint_is_refused()
    {
        byte[] bytes = [1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0];
        var e = BadBytes.Rejected(bytes, Decode);
        Assert.Contains("longer than 10 bytes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 32)]
    [InlineData((ulong)int.MaxValue + 1)]
    public void Tid_beyond_int_is_refused(ulong tid) =>
        BadBytes.Rejected(BadBytes.Encode(w => { w.Byte(5); w.VarU(tid); w.VarS(0); w.VarU(0); w.VarU(0); w.Byte(0); }), Decode);

    /// <summary>A syscall event up to its writes count; the count is whatever the test says, the data is absent.</summary>
    private static byte[] SyscallHeader(ulong number, ulong writeCount) => BadBytes.Encode(w =>
    {
        w.Byte(1);
        w.VarU(1);
        w.VarS(0);
        w.VarU(number);
        for (int i = 0; i < 6; i++)
            w.VarU(0);
        w.VarS(0);
        w.VarU(0x401000);
        w.VarU(writeCount);
    });

    [Theory]
    [InlineData(1UL << 16)] // the cap itself: allowed, but the data is not there
    [InlineData((1UL << 16) + 1)]
    [InlineData(1UL << 40)]
    [InlineData(ulong.MaxValue)]
    public void Write_count_far_beyond_the_data_is_refused(ulong count) => BadBytes.Rejected(SyscallHeader(0, count), Decode);

    [Theory]
    [InlineData(4097UL)]
    [InlineData(ulong.MaxValue)]
    public void Syscall_number_out_of_range_is_refused(ulong number) => BadBytes.Rejected(SyscallHeader(number, 0), Decode);

    [Theory]
    [InlineData(1UL << 20)]
    [InlineData(int.MaxValue)]
    [InlineData(ulong.MaxValue)]
    public void Write_length_beyond_the_data_is_refused(ulong length)
    {
        byte[] head = SyscallHeader(0, 1);
        byte[] bytes = [.. head, .. BadBytes.Encode(w => { w.VarU(0x1000); w.VarU(length); w.Raw(new byte[64]); })];
        BadBytes.Rejected(bytes, Decode);
    }

    [Fact]
    public void Output_on_a_descriptor_other_than_1_or_2_is_refused()
    {
        byte[] bytes = [.. SyscallHeader(1, 0), .. BadBytes.Encode(w => { w.Byte(2); w.VarU(3); w.Bytes("x"u8); })];
        BadBytes.Rejected(bytes, Decode);
    }

    [Theory]
    [InlineData(32)] // a private stand-in mapping, without the stand-in mapping (4) it qualifies
    [InlineData(128)] // the pages past a copy's end, without the copy (1)
    [InlineData(128 | 32 | 2)]
    public void A_qualifying_flag_alone_is_refused(byte flags)
    {
        byte[] bytes = [.. SyscallHeader(9, 0), .. BadBytes.Encode(w => { w.Byte(flags); w.Raw(new byte[64]); })];
        var e = BadBytes.Rejected(bytes, Decode);
        Assert.Contains("unknown syscall event flags", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4096UL, 1UL, 0UL)] // a range starting at the file's end
    [InlineData(0UL, 4097UL, 0UL)] // longer than the file
    [InlineData(0UL, 2UL, 3UL)] // more bytes than the range holds
    [InlineData(ulong.MaxValue, 2UL, 0UL)]
    public void A_file_change_outside_its_file_is_refused(ulong offset, ulong length, int stored)
    {
        byte[] change = BadBytes.Encode(w =>
        {
            w.Byte(64);
            w.VarU(0x803);
            w.VarU(12);
            w.VarU(4096);
            w.VarU(1);
            w.VarU(offset);
            w.VarU(length);
            w.Bytes(new byte[stored]);
            w.VarU(0);
        });
        byte[] bytes = [.. SyscallHeader(18, 0), .. change];
        var e = BadBytes.Rejected(bytes, Decode);
        Assert.Contains("a file change", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_path_longer_than_the_data_is_refused()
    {
        byte[] bytes = [.. SyscallHeader(9, 0), .. BadBytes.Encode(w => { w.Byte(1); w.VarU(1UL << 33); w.Raw(new byte[40]); })];
        BadBytes.Rejected(bytes, Decode);
    }

    [Theory]
    [InlineData(65UL)]
    [InlineData(ulong.MaxValue)]
    public void Signal_number_out_of_range_is_refused(ulong signal) =>
        BadBytes.Rejected(BadBytes.Encode(w => { w.Byte(2); w.VarU(1); w.VarS(0); w.VarU(signal); w.Bytes(new byte[128]); w.Byte(0); w.Raw(new byte[Registers.Size]); w.U64(0); }), Decode);

    [Theory]
    [InlineData(256UL, 0UL)]
    [InlineData(0UL, 65UL)]
    [InlineData(ulong.MaxValue, ulong.MaxValue)]
    public void Exit_status_out_of_range_is_refused(ulong code, ulong signal) =>
        BadBytes.Rejected(BadBytes.Encode(w => { w.Byte(5); w.VarU(1); w.VarS(0); w.VarU(code); w.VarU(signal); w.Byte(0); }), Decode);

    [Fact]
    public void Random_damage_never_escapes_as_another_exception()
    {
        var random = new Random(1234);
        var encodings = Samples.SmallEvents().Select(Encode).ToList();
        for (int round = 0; round < 20_000; round++)
        {
            byte[] bytes = (byte[])encodings[round % encodings.Count].Clone();
            int flips = 1 + random.Next(4);
            for (int i = 0; i < flips; i++)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                EventCodec.Read(new ByteReader(bytes, "fuzz"), 0);
            }
            catch (TraceFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name} ({e.Message}) for {Convert.ToHexString(bytes)}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < BadBytes.AllocationBudget, $"round {round}: {allocated:N0} bytes for {Convert.ToHexString(bytes)}");
        }
    }
}
