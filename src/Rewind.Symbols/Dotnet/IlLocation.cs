namespace Rewind.Symbols.Dotnet;

/// <summary>
/// Where a source line starts in managed code: a sequence point of a method (its metadata token
/// in the assembly recorded at <paramref name="AssemblyPath"/>), from IL offset
/// <paramref name="ILOffset"/> up to <paramref name="EndILOffset"/>, the next sequence point's
/// (int.MaxValue for the method's last).
/// </summary>
public sealed record IlLocation(string AssemblyPath, int MethodToken, int ILOffset, int EndILOffset, SourceLine Line);
