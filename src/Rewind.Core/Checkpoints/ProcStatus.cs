namespace Rewind.Checkpoints;

/// <summary>
/// The signal masks of /proc/PID/status (the blocked and pending ones are the thread's; the
/// shared pending ones the process's) and the program break's start from /proc/PID/stat; and
/// the other lines of status and comm that rewind reads of a process it traces.
/// </summary>
internal sealed record ProcStatus(ulong Blocked, ulong Ignored, ulong Caught, ulong StartBrk, ulong Pending, ulong SharedPending)
{
    public static ProcStatus Read(int pid) =>
        // start_brk is field 47 of stat (proc(5)).
        Parse(File.ReadAllLines($"/proc/{pid}/status"), ulong.Parse(StatFields(File.ReadAllText($"/proc/{pid}/stat"))[47 - 3]));

    /// <summary>One thread's status: its own signal mask (SigBlk is per thread); the start of the break is left 0.</summary>
    public static ProcStatus ReadThread(int tgid, int tid) => Parse(File.ReadAllLines($"/proc/{tgid}/task/{tid}/status"), 0);

    /// <summary>Whether the program catches <paramref name="signal"/>: delivered, it runs a handler.</summary>
    public bool Catches(int signal) => (Caught & Bit(signal)) != 0;

    /// <summary>
    /// Whether delivering <paramref name="signal"/> changes nothing in the program: it is
    /// ignored, or not caught and its default action ignores, stops or continues.
    /// </summary>
    public bool LeavesAsItWas(int signal) => !Catches(signal) && ((Ignored & Bit(signal)) != 0 || Linux.Signal.IsHarmlessByDefault(signal));

    /// <summary>Whether delivering <paramref name="signal"/> ends the process: not caught, not ignored, and its default action kills.</summary>
    public bool Kills(int signal) => !Catches(signal) && !LeavesAsItWas(signal);

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    /// <summary>The process's seccomp mode (status "Seccomp:"): 0 none, 1 strict, 2 filters.</summary>
    public static int SeccompMode(int pid) => Number($"/proc/{pid}/status", "Seccomp:");

    /// <summary>The pid of the process tracing a thread (status "TracerPid:", per thread), 0 when none does.</summary>
    public static int TracerOf(int tgid, int tid) => Number($"/proc/{tgid}/task/{tid}/status", "TracerPid:");

    /// <summary>
    /// A thread's id in the innermost pid namespace it is in, the one it knows itself by: the last
    /// of status "NSpid:", which lists its id in each pid namespace from that of the /proc read down.
    /// </summary>
    public static int OwnId(int tgid, int tid) =>
        int.Parse(Value($"/proc/{tgid}/task/{tid}/status", "NSpid:").Split('\t')[^1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The capabilities a process has in its own user namespace (status "CapEff:", a mask of CAP_* bits).</summary>
    public static ulong Capabilities(int pid) => Convert.ToUInt64(Value($"/proc/{pid}/status", "CapEff:"), 16);

    /// <summary>Every process /proc lists, by pid.</summary>
    public static IEnumerable<int> Processes() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A process's group and session (stat fields 5 and 6); null once it is gone.</summary>
    public static (int Group, int Session)? GroupAndSession(int pid)
    {
        try
        {
            var fields = StatFields(File.ReadAllText($"/proc/{pid}/stat"));
            return (int.Parse(fields[5 - 3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[6 - 3], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A thread's name (/proc/PID/task/TID/comm; a process's is its main thread's).</summary>
    public static string NameOf(int tgid, int tid) => File.ReadAllText($"/proc/{tgid}/task/{tid}/comm").TrimEnd('\n');

    /// <summary>Another process as a message names it: "4242 (nginx)", or its number alone once it is gone.</summary>
    public static string Describe(int pid)
    {
        try
        {
            return $"{pid} ({NameOf(pid, pid)})";
        }
        catch (IOException)
        {
            return $"{pid}";
        }
    }

    /// <summary>A stat line's fields from the state on (field 3): they follow the command name, which is in parentheses and may hold any byte.</summary>
    public static string[] StatFields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    private static int Number(string status, string key) => int.Parse(Value(status, key), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What follows <paramref name="key"/> on its line of the status file <paramref name="status"/>, trimmed.</summary>
    private static string Value(string status, string key) =>
        File.ReadLines(status).First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim();

    private static ProcStatus Parse(string[] lines, ulong startBrk)
    {
        ulong Mask(string key) => Convert.ToUInt64(lines.First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim(), 16);
        return new ProcStatus(Mask("SigBlk:"), Mask("SigIgn:"), Mask("SigCgt:"), startBrk, Mask("SigPnd:"), Mask("ShdPnd:"));
    }
}
