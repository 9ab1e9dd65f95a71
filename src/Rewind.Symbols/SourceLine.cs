namespace Rewind.Symbols;

/// <summary>A source position: the line-table row that covers an address.</summary>
/// <param name="Address">The (relocated) address where this row starts.</param>
public sealed record SourceLine(string File, int Line, int Column, bool IsStatement, RemotePtr Address)
{
    public string FileName => System.IO.Path.GetFileName(File);

    public override string ToString() => $"{File}:{Line}";
}
