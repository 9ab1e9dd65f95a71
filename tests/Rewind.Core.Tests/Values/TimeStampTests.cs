using Rewind.Core.Tests.Syscalls;

namespace Rewind.Core.Tests.Values;

public sealed class TimeStampTests
{
    [Fact]
    public void Rdtsc_and_rdtscp_are_recognized()
    {
        var memory = new FakeMemory().Map(0x1000, [0x0f, 0x31, 0x90]).Map(0x2000, [0x0f, 0x01, 0xf9]).Map(0x3000, [0x0f, 0x31]);
        Assert.Equal(new TimeStampInstruction(false), TimeStampInstruction.At(memory, new RemotePtr(0x1000)));
        Assert.Equal(new TimeStampInstruction(true), TimeStampInstruction.At(memory, new RemotePtr(0x2000)));
        // rdtsc as the last two bytes before unmapped memory.
        Assert.Equal(new TimeStampInstruction(false), TimeStampInstruction.At(memory, new RemotePtr(0x3000)));
        Assert.Equal(2, TimeStampInstruction.At(memory, new RemotePtr(0x1000))!.Length);
        Assert.Equal(3, TimeStampInstruction.At(memory, new RemotePtr(0x2000))!.Length);
    }

    [Fact]
    public void Other_bytes_and_unmapped_memory_are_not_time_stamp_reads()
    {
        var memory = new FakeMemory().Map(0x1000, [0x90, 0x90, 0x90]).Map(0x2000, [0x0f, 0x01]).Map(0x3000, [0x0f, 0x01, 0xd0]).Map(0x4000, [0x0f]);
        Assert.Null(TimeStampInstruction.At(memory, new RemotePtr(0x1000)));
        Assert.Null(TimeStampInstruction.At(memory, new RemotePtr(0x2000))); // a cut-off rdtscp
        Assert.Null(TimeStampInstruction.At(memory, new RemotePtr(0x3000))); // xgetbv
        Assert.Null(TimeStampInstruction.At(memory, new RemotePtr(0x4000)));
        Assert.Null(TimeStampInstruction.At(memory, new RemotePtr(0xdead0000)));
    }

    [Fact]
    public void Complete_rdtsc_splits_the_counter_into_edx_eax()
    {
        var regs = new Registers { Rax = ulong.MaxValue, Rdx = ulong.MaxValue, Rcx = 77, Rip = 0x401000 };
        TimeStampInstruction.Complete(ref regs, new TimeStampInstruction(false), 0x1122334455667788, 5);
        Assert.Equal(0x55667788UL, regs.Rax);
        Assert.Equal(0x11223344UL, regs.Rdx);
        Assert.Equal(77UL, regs.Rcx); // rdtsc leaves rcx alone
        Assert.Equal(0x401002UL, regs.Rip);
    }

    [Fact]
    public void Complete_rdtscp_also_sets_ecx_to_the_aux_value()
    {
        var regs = new Registers { Rax = 1, Rdx = 2, Rcx = ulong.MaxValue, Rip = 0x401000 };
        TimeStampInstruction.Complete(ref regs, new TimeStampInstruction(true), ulong.MaxValue, uint.MaxValue);
        Assert.Equal(0xffffffffUL, regs.Rax);
        Assert.Equal(0xffffffffUL, regs.Rdx);
        Assert.Equal(0xffffffffUL, regs.Rcx);
        Assert.Equal(0x401003UL, regs.Rip);
    }

    [Fact]
    public void Stack_digest_is_fnv1a_of_the_top_256_bytes()
    {
        // FNV-1a 64 of "a" and of nothing (the offset basis).
        Assert.Equal(0xaf63dc4c8601ec8cUL, StackDigest.Of(new FakeMemory().Map(0x1000, "a"u8.ToArray()), new RemotePtr(0x1000)));
        Assert.Equal(0xcbf29ce484222325UL, StackDigest.Of(new FakeMemory(), new RemotePtr(0x1000)));
    }

    [Fact]
    public void Stack_digest_sees_the_top_256_bytes_and_nothing_beyond()
    {
        var bytes = new byte[512];
        new Random(5).NextBytes(bytes);
        ulong Digest(byte[] b) => StackDigest.Of(new FakeMemory().Map(0x7000, b), new RemotePtr(0x7000));
        ulong original = Digest(bytes);
        Assert.Equal(original, Digest((byte[])bytes.Clone()));
        for (int i = 0; i < 512; i += 37)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] ^= 1;
            if (i < 256)
                Assert.NotEqual(original, Digest(changed));
            else
                Assert.Equal(original, Digest(changed));
        }
        // Near the end of the stack mapping, only what is readable counts.
        Assert.Equal(Digest(bytes[..100]), StackDigest.Of(new FakeMemory().Map(0x7000, bytes[..100]), new RemotePtr(0x7000)));
        Assert.NotEqual(Digest(bytes[..100]), Digest(bytes[..101]));
    }
}
