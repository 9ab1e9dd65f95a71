namespace Rewind.Recording;

/// <summary>How a recording ended.</summary>
/// <param name="Exit">How the program ended (after recording stopped, when it stopped early); null if unknown.</param>
/// <param name="Error">Why recording stopped early (something not supported), else null; the program then ran on unrecorded.</param>
/// <param name="Notes">
/// Lines for the user: one for each process other than the first that left the recording
/// (<see cref="Trace.ProcessLeftEvent"/>), for each System V segment also attached outside it,
/// and for each syscall the program was told does not exist (<see cref="Syscalls.SyscallSpec.Withheld"/>).
/// </param>
public sealed record RecordResult(Trace.ExitStatus? Exit, long Events, long TraceBytes, string? Error, IReadOnlyList<string> Notes);
