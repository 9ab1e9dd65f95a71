namespace Rewind;

/// <summary>A Linux thread id, as the kernel names a tracee.</summary>
public readonly record struct Tid(int Value)
{
    public override string ToString() => Value.ToString();
}
