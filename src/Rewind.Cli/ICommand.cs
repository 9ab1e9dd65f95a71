namespace Rewind.Cli;

/// <summary>One `rewind` verb.</summary>
internal interface ICommand
{
    string Name { get; }

    /// <summary>The usage line after "rewind ".</summary>
    string Usage { get; }

    string Summary { get; }

    /// <summary>Runs the verb; returns the process exit status. Throws <see cref="UsageException"/> for bad arguments.</summary>
    int Run(Arguments args);
}
