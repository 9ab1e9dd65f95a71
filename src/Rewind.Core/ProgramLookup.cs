namespace Rewind;

/// <summary>Finds a program as a shell would: a name with a slash is a path, others are looked up in PATH.</summary>
public static class ProgramLookup
{
    public static string Resolve(string program, string? path)
    {
        if (program.Length == 0)
        {
            throw new RewindException("no program given");
        }
        if (program.Contains('/'))
        {
            return IsExecutableFile(program) ? Path.GetFullPath(program)
                : File.Exists(program) ? throw new RewindException($"{program}: permission denied (not executable)")
                : throw new RewindException($"{program}: no such file");
        }
        foreach (string dir in (path ?? "/usr/local/bin:/usr/bin:/bin").Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? "." : dir, program);
            if (IsExecutableFile(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        throw new RewindException($"{program}: command not found");
    }

    private static bool IsExecutableFile(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
