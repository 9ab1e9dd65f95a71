namespace Rewind.Checkpoints;

/// <summary>The signal masks of /proc/PID/status and the program break's start from /proc/PID/stat.</summary>
internal sealed record ProcStatus(ulong Blocked, ulong Ignored, ulong Caught, ulong StartBrk)
{
    public static ProcStatus Read(int pid)
    {
        ulong Mask(string[] lines, string key) =>
            Convert.ToUInt64(lines.First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim(), 16);
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        // stat's fields after the parenthesized comm start at field 3; start_brk is field 47 (proc(5)).
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStatus(Mask(lines, "SigBlk:"), Mask(lines, "SigIgn:"), Mask(lines, "SigCgt:"), ulong.Parse(fields[47 - 3]));
    }

    /// <summary>One thread's status: its own signal mask (SigBlk is per thread); the start of the break is left 0.</summary>
    public static ProcStatus ReadThread(int tgid, int tid)
    {
        var lines = File.ReadAllLines($"/proc/{tgid}/task/{tid}/status");
        ulong Mask(string key) => Convert.ToUInt64(lines.First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim(), 16);
        return new ProcStatus(Mask("SigBlk:"), Mask("SigIgn:"), Mask("SigCgt:"), 0);
    }
}
