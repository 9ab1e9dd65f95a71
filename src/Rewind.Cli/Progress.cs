namespace Rewind.Cli;

/// <summary>A progress line on stderr, redrawn in place, only when stderr is a terminal.</summary>
internal static class Progress
{
    private static bool _shown;

    public static bool Enabled => !Console.IsErrorRedirected;

    public static void Show(string text)
    {
        if (!Enabled)
        {
            return;
        }
        Console.Error.Write($"\r\u001b[2K{text}");
        _shown = true;
    }

    public static void Clear()
    {
        if (_shown)
        {
            Console.Error.Write("\r\u001b[2K");
            _shown = false;
        }
    }

    public static string Bytes(long n) => n switch
    {
        < 10_000 => $"{n} B",
        < 10_000_000 => $"{n / 1024.0:0.0} KiB",
        < 10_000_000_000 => $"{n / 1048576.0:0.0} MiB",
        _ => $"{n / 1073741824.0:0.0} GiB",
    };
}
