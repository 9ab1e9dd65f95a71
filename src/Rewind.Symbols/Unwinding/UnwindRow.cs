namespace Rewind.Symbols.Unwinding;

/// <summary>The CFI row that applies at one pc: the CFA rule and the rules of the registers it names.</summary>
internal sealed class UnwindRow
{
    public CfaRule Cfa { get; set; }

    public Dictionary<int, RegisterRule> Registers { get; init; } = [];

    public int ReturnAddressRegister { get; init; } = DwarfRegister.ReturnAddress;

    /// <summary>The FDE's CIE has the 'S' augmentation: this frame was interrupted by a signal.</summary>
    public bool IsSignalFrame { get; init; }

    public UnwindRow Clone() => new()
    {
        Cfa = Cfa,
        Registers = new Dictionary<int, RegisterRule>(Registers),
        ReturnAddressRegister = ReturnAddressRegister,
        IsSignalFrame = IsSignalFrame,
    };
}
