namespace Rewind.Recording;

/// <summary>
/// Finds what a later debugging session needs beside a file the program maps, which the program
/// itself never maps (a .NET runtime's data-access library, an assembly's portable PDB): the
/// recorder keeps each in the trace, so that the trace debugs on a machine without them.
/// </summary>
public interface IDebugFileFinder
{
    /// <summary>
    /// The debug files that go with <paramref name="mapped"/>, a file the program just mapped, by
    /// where they are now; <paramref name="note"/> tells the user, in one line, of one it needs and
    /// cannot find (the recording's notes).
    /// </summary>
    IEnumerable<string> FilesFor(string mapped, Action<string> note);
}
