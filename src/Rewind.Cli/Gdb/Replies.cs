namespace Rewind.Cli.Gdb;

/// <summary>Replies shared by the handlers.</summary>
internal static class Replies
{
    public const string Ok = "OK";

    /// <summary>"Not supported": the empty packet.</summary>
    public const string Unsupported = "";

    /// <summary>A replay cannot change history. gdb 13 treats "E." plus text as an error reply.</summary>
    public const string WriteRefused = "E.a replay cannot change history: registers and memory are read-only";

    /// <summary>Send nothing (the handler has answered, or the packet wants no answer). Compared by reference.</summary>
    public static readonly string None = new('\0', 1);

    public static string Error(int errno) => $"E{errno:x2}";
}
