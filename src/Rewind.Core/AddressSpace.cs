namespace Rewind;

/// <summary>A tracee's memory map at one moment.</summary>
public sealed class AddressSpace(IReadOnlyList<MemoryRegion> regions)
{
    public const int PageSize = 4096;

    public IReadOnlyList<MemoryRegion> Regions { get; } = regions;

    public static AddressSpace Read(int pid) =>
        new(File.ReadAllLines($"/proc/{pid}/maps").Where(l => l.Length > 0).Select(MemoryRegion.Parse).ToList());

    /// <summary>The first <c>syscall</c> instruction (0f 05) in executable memory, for injecting syscalls.</summary>
    public RemotePtr? FindSyscallInstruction(IMemoryReader memory)
    {
        var buffer = new byte[PageSize * 16];
        foreach (var region in Regions.Where(r => r.Protection.HasFlag(Protection.Execute) && r.Name != "[vsyscall]"))
        {
            for (var at = region.Start; at < region.End; at += (ulong)buffer.Length - 1)
            {
                int want = (int)Math.Min((ulong)buffer.Length, region.End - at);
                int n = memory.Read(at, buffer.AsSpan(0, want));
                int i = buffer.AsSpan(0, n).IndexOf((ReadOnlySpan<byte>)[0x0f, 0x05]);
                if (i >= 0)
                {
                    return at + (ulong)i;
                }
                if (n < want)
                {
                    break;
                }
            }
        }
        return null;
    }

    public static ulong PageDown(ulong a) => a & ~(ulong)(PageSize - 1);

    public static ulong PageUp(ulong a) => (a + PageSize - 1) & ~(ulong)(PageSize - 1);
}
