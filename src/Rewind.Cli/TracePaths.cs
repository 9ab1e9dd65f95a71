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

    /// <summary>The trace a command names, or the latest recording (the file it links to).</summary>
    public static string Resolve(string? given)
    {
        if (given == null)
        {
            if (new FileInfo(Latest).LinkTarget == null)
            {
                throw new UsageException($"no trace given, and no latest recording in {Directory}");
            }
            string target = new FileInfo(Latest).ResolveLinkTarget(returnFinalTarget: true)!.FullName;
            return File.Exists(target) ? target : throw new RewindException($"the latest recording, {target}, is gone");
        }
        if (System.IO.Directory.Exists(given))
        {
            throw new RewindException($"{given} is a directory, not a trace");
        }
        return File.Exists(given) ? given : throw new RewindException($"no such trace: {given}");
    }

    /// <summary>
    /// Checks where -o puts a trace: in a directory that exists, not over a directory, and over an
    /// existing file only if it is a trace (or with --force): a typo must not eat a source file.
    /// </summary>
    public static void CheckOutput(string path, bool force)
    {
        if (System.IO.Directory.Exists(path))
        {
            throw new RewindException($"{path} is a directory; -o takes the trace's file name");
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!System.IO.Directory.Exists(directory))
        {
            throw new RewindException($"the directory {directory} does not exist");
        }
        if (File.Exists(path) && !force && !Trace.TraceFormat.StartsLikeTrace(path))
        {
            throw new RewindException($"{path} exists and is not a trace; --force replaces it");
        }
    }
}
