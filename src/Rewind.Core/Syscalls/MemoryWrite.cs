namespace Rewind.Syscalls;

/// <summary>Bytes the kernel wrote into the tracee's memory during a syscall.</summary>
public sealed record MemoryWrite(RemotePtr Address, byte[] Data);
