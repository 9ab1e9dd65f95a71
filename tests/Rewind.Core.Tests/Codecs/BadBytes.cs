using Rewind.Trace;

namespace Rewind.Core.Tests.Codecs;

/// <summary>Decodes hand-made bad bytes and checks they are refused the way a user can act on.</summary>
internal static class BadBytes
{
    /// <summary>What a decoder may allocate for a few bytes of input; a cap times an element size must stay well below.</summary>
    public const long AllocationBudget = 32L << 20;

    /// <summary>
    /// Asserts <paramref name="decode"/> throws exactly <see cref="TraceFormatException"/> (not an
    /// ArgumentException or an OutOfMemoryException) and allocates less than <paramref name="budget"/>.
    /// </summary>
    public static TraceFormatException Rejected(ReadOnlyMemory<byte> bytes, Action<ByteReader> decode, long budget = AllocationBudget)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? caught = null;
        try
        {
            decode(new ByteReader(bytes, "test payload"));
        }
        catch (Exception e)
        {
            caught = e;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotNull(caught);
        var format = Assert.IsType<TraceFormatException>(caught);
        Assert.StartsWith("damaged test payload: ", format.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', format.Message);
        Assert.True(allocated < budget, $"decoding {bytes.Length} bad bytes allocated {allocated:N0} bytes ({format.Message})");
        return format;
    }

    public static byte[] Encode(Action<ByteWriter> write)
    {
        var w = new ByteWriter();
        write(w);
        return w.WrittenSpan.ToArray();
    }
}
