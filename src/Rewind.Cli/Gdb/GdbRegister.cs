namespace Rewind.Cli.Gdb;

/// <summary>One register as the target description declares it; its number is its place in the list.</summary>
internal sealed record GdbRegister(string Name, int BitSize, string Type, string Feature, string? Group = null)
{
    public int Bytes => BitSize / 8;
}
