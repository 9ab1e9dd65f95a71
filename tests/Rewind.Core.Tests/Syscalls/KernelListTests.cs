using System.Text.RegularExpressions;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

/// <summary>Every syscall of the kernel's own list is classified, under the kernel's name, and every refusal says why.</summary>
public sealed partial class KernelListTests
{
    private const string Header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";

    [Fact]
    public void Every_syscall_in_the_kernel_headers_is_in_the_table_by_its_name()
    {
        Assert.True(File.Exists(Header), $"{Header} is missing (Debian's linux-libc-dev, which gcc brings)");
        var kernel = Define().Matches(File.ReadAllText(Header)).Select(m => (Name: m.Groups[1].Value, Number: int.Parse(m.Groups[2].Value))).ToList();
        Assert.True(kernel.Count > 300, $"only {kernel.Count} syscalls read from {Header}");

        var unclassified = kernel.Where(k => SyscallTable.Find(k.Number) == null && !SyscallTable.Untraced.Contains(k.Number)).Select(k => $"{k.Number} {k.Name}").ToList();
        var misnamed = kernel.Where(k => SyscallTable.Find(k.Number) != null && SyscallTable.Name(k.Number) != k.Name).Select(k => $"{k.Number}: {SyscallTable.Name(k.Number)}, not {k.Name}").ToList();

        Assert.True(unclassified.Count == 0, "not in the table: " + string.Join(", ", unclassified));
        Assert.True(misnamed.Count == 0, "named otherwise: " + string.Join(", ", misnamed));
        Assert.All(kernel, k => Assert.True(SyscallTable.IsLinuxSyscall(k.Number), $"{k.Name} ({k.Number}) is outside IsLinuxSyscall's ranges"));
    }

    [Fact]
    public void Every_refused_syscall_says_why()
    {
        var unexplained = Enumerable.Range(0, 512).Select(SyscallTable.Find)
            .Where(s => s is { Replay: ReplayKind.Unsupported, Refusal: null or "" }).Select(s => s!.Name).ToList();
        Assert.True(unexplained.Count == 0, "refused without a reason: " + string.Join(", ", unexplained));
    }

    [GeneratedRegex(@"#define __NR_(\w+) (\d+)")]
    private static partial Regex Define();
}
