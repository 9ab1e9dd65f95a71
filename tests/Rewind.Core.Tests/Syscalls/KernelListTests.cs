using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

/// <summary>
/// Every syscall of the kernel's own list is classified, under the kernel's name, and every refusal
/// says why. The list is a copy of Linux 6.18's syscall_64.tbl (Syscalls/Data), not the installed
/// headers, which are older than the kernels Rewind runs on.
/// </summary>
public sealed class KernelListTests
{
    private static readonly List<(int Number, string Name)> Kernel = [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Syscalls", "Data", "syscall_64.tbl"))
        .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).Select(f => (int.Parse(f[0]), f[1]))];

    [Fact]
    public void Every_syscall_of_the_kernel_is_in_the_table_by_its_name()
    {
        Assert.True(Kernel.Count > 380, $"only {Kernel.Count} syscalls read from the kernel's list");

        var unclassified = Kernel.Where(k => SyscallTable.Find(k.Number) == null).Select(k => $"{k.Number} {k.Name}").ToList();
        var misnamed = Kernel.Where(k => SyscallTable.Find(k.Number) != null && SyscallTable.Name(k.Number) != k.Name).Select(k => $"{k.Number}: {SyscallTable.Name(k.Number)}, not {k.Name}").ToList();

        Assert.True(unclassified.Count == 0, "not in the table: " + string.Join(", ", unclassified));
        Assert.True(misnamed.Count == 0, "named otherwise: " + string.Join(", ", misnamed));
    }

    [Fact]
    public void The_numbers_answered_as_syscalls_are_the_kernels()
    {
        var kernel = Kernel.Select(k => k.Number).ToHashSet();
        var wrong = Enumerable.Range(-1, 1 << 12).Where(nr => SyscallTable.IsLinuxSyscall(nr) != kernel.Contains(nr))
            .Select(nr => kernel.Contains(nr) ? $"{nr} is the kernel's" : $"{nr} is not the kernel's").ToList();
        Assert.True(wrong.Count == 0, "IsLinuxSyscall is wrong for: " + string.Join(", ", wrong));
    }

    [Fact]
    public void Every_refused_syscall_says_why()
    {
        var unexplained = Kernel.Select(k => SyscallTable.Find(k.Number))
            .Where(s => s is { Replay: ReplayKind.Unsupported, Refusal: null or "" }).Select(s => s!.Name).ToList();
        Assert.True(unexplained.Count == 0, "refused without a reason: " + string.Join(", ", unexplained));
    }
}
