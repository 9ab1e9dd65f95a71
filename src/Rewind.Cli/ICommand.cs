namespace Rewind.Cli;

/// <summary>One `rewind` verb.</summary>
internal interface ICommand
{
    string Name { get; }

    /// <summary>The usage line after "rewind ".</summary>
    string Usage { get; }

    string Summary { get; }

    /// <summary>What <c>rewind VERB --help</c> adds after the usage and summary: the options with their defaults, and an example.</summary>
    string Help { get; }

    /// <summary>Runs the verb; returns the process exit status. Throws <see cref="UsageException"/> for bad arguments.</summary>
    int Run(Arguments args);
}
