namespace Rewind.Replay;

/// <summary>
/// A thread of the replayed program at some moment: its tid when recorded and its name (the
/// kernel's comm: the program's file name, inherited by new threads, then what
/// prctl(PR_SET_NAME), which pthread_setname_np uses on its own thread, set).
/// </summary>
public sealed record ProgramThread(Tid Tid, string Name)
{
    /// <summary>The kernel's comm for a program started from <paramref name="path"/>: its file name, at most 15 bytes.</summary>
    public static string CommOf(string path)
    {
        string name = Path.GetFileName(path);
        return name.Length > 15 ? name[..15] : name;
    }
}
