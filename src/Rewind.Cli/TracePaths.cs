namespace Rewind.Cli;

/// <summary>
/// Where traces go without -o: $XDG_DATA_HOME/rewind (or ~/.local/share/rewind), one fresh file
/// per recording, and a `latest` link that `rewind replay` with no argument uses.
/// </summary>
internal static class TracePaths
{
    public static string Directory
    {
        get
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            string home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "rewind");
        }
    }

    public static string Latest => Path.Combine(Directory, "latest");

    /// <summary>A new file name for a recording of <paramref name="program"/>: name-N.rwd.</summary>
    public static string NewTrace(string program)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string stem = Path.GetFileName(program);
        for (int n = 0; ; n++)
        {
            string path = Path.Combine(Directory, $"{stem}-{n}.rwd");
            try
            {
                using (new FileStream(path, FileMode.CreateNew))
                {
                }
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }
    }

    public static void PointLatestAt(string trace)
    {
        string tmp = Latest + ".tmp";
        File.Delete(tmp);
        File.CreateSymbolicLink(tmp, trace);
        File.Move(tmp, Latest, overwrite: true);
    }

    /// <summary>The trace a command names, or the latest recording.</summary>
    public static string Resolve(string? given)
    {
        if (given != null)
        {
            return given;
        }
        return File.Exists(Latest) ? Latest : throw new UsageException($"no trace given, and no latest recording in {Directory}");
    }
}
