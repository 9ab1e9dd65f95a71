using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind;

/// <summary>What a write, pwrite64, writev or pwritev to stdout or stderr wrote: recorded to be shown again, checked in replay.</summary>
internal static class StandardStreams
{
    public static StandardStream? Written(Tracee t, int number, ulong[] args, long result)
    {
        int fd = (int)args[0];
        if (result <= 0 || fd is not (1 or 2))
        {
            return null;
        }
        byte[]? data = number switch
        {
            Nr.write or Nr.pwrite64 => t.ReadBytes(new RemotePtr(args[1]), (int)result),
            Nr.writev or Nr.pwritev => Gather(t, args[1], args[2], result),
            _ => null,
        };
        return data is null ? null : new StandardStream(fd, data);
    }

    private static byte[] Gather(Tracee t, ulong iov, ulong count, long total)
    {
        var data = new List<byte>();
        for (ulong i = 0; i < count && data.Count < total; i++)
        {
            ulong address = t.ReadUInt64(new RemotePtr(iov + i * 16));
            ulong length = t.ReadUInt64(new RemotePtr(iov + i * 16 + 8));
            int take = (int)Math.Min(length, (ulong)(total - data.Count));
            data.AddRange(t.ReadBytes(new RemotePtr(address), take));
        }
        return [.. data];
    }
}
