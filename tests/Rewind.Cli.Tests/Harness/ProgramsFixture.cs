namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// Class fixture giving a test class the compiled test programs. Every class shares the
/// same compilation (<see cref="CompiledPrograms.Shared"/>), so classes can still run in
/// parallel while gcc runs once.
/// </summary>
public sealed class ProgramsFixture
{
    internal CompiledPrograms Programs { get; } = CompiledPrograms.Shared;
}
