using System.Globalization;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// A range the process marked with madvise(MADV_DONTFORK) or MADV_WIPEONFORK (V8 marks its heap
/// so), which a fork leaves out of its child or gives it as zeros. The snapshot that an image is
/// written from is such a child: the marks are taken off for its fork and put back after, and
/// the image keeps them, for resume to set again.
/// </summary>
public sealed record ForkAdvice(ulong Start, ulong End, int Advice)
{
    public const int DontFork = 10, DoFork = 11, WipeOnFork = 18, KeepOnFork = 19;

    /// <summary>The marked ranges of process <paramref name="pid"/>, from the VmFlags of /proc/PID/smaps ("dc", "wf").</summary>
    public static List<ForkAdvice> Read(int pid)
    {
        var marked = new List<ForkAdvice>();
        ulong start = 0, end = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            int dash = line.IndexOf('-');
            if (dash > 0 && line.IndexOf(' ') > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong s))
            {
                start = s;
                end = ulong.Parse(line.AsSpan(dash + 1, line.IndexOf(' ') - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                var flags = line[8..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (flags.Contains("dc"))
                {
                    marked.Add(new ForkAdvice(start, end, DontFork));
                }
                if (flags.Contains("wf"))
                {
                    marked.Add(new ForkAdvice(start, end, WipeOnFork));
                }
            }
        }
        return marked;
    }

    /// <summary>Sets this mark in <paramref name="t"/>'s process.</summary>
    public void Apply(Tracee t) => Advise(t, Advice);

    /// <summary>Takes this mark off in <paramref name="t"/>'s process.</summary>
    public void Lift(Tracee t) => Advise(t, Advice == DontFork ? DoFork : KeepOnFork);

    private void Advise(Tracee t, int advice) => t.InjectSyscallChecked("madvise", Nr.madvise, Start, End - Start, (ulong)advice);
}
