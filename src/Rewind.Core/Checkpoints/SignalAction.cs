using System.Buffers.Binary;

namespace Rewind.Checkpoints;

/// <summary>A signal's disposition, as rt_sigaction's kernel struct holds it (x86-64: handler, flags, restorer, mask).</summary>
public sealed record SignalAction(int Signal, ulong Handler, ulong Flags, ulong Restorer, ulong Mask)
{
    /// <summary>The kernel struct's size, which rt_sigaction reads and writes.</summary>
    public const int Size = 32;

    /// <summary>The handlers SIG_DFL and SIG_IGN.</summary>
    public const ulong Default = 0, Ignore = 1;

    /// <summary>The disposition of <paramref name="signal"/> in the kernel struct <paramref name="kernel"/>.</summary>
    public static SignalAction Of(int signal, ReadOnlySpan<byte> kernel) =>
        new(signal, BinaryPrimitives.ReadUInt64LittleEndian(kernel), BinaryPrimitives.ReadUInt64LittleEndian(kernel[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(kernel[16..]), BinaryPrimitives.ReadUInt64LittleEndian(kernel[24..]));

    /// <summary>The kernel struct, as rt_sigaction takes it.</summary>
    public byte[] ToKernel()
    {
        var kernel = new byte[Size];
        BinaryPrimitives.WriteUInt64LittleEndian(kernel, Handler);
        BinaryPrimitives.WriteUInt64LittleEndian(kernel.AsSpan(8), Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(kernel.AsSpan(16), Restorer);
        BinaryPrimitives.WriteUInt64LittleEndian(kernel.AsSpan(24), Mask);
        return kernel;
    }
}
