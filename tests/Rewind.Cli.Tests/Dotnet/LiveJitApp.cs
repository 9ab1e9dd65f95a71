using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests.Dotnet;

/// <summary>tests/programs/dotnet/LiveJit built with the .NET SDK once for a test class: a counter that JITs new code as it goes.</summary>
public sealed class LiveJitApp : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("live-jit");

    public string Dotnet { get; } = ToolRoundTrip.Installed("dotnet");

    public string Dll => _dir.File(Path.Combine("app", "LiveJit.dll"));

    public async Task InitializeAsync()
    {
        DotnetSources.CopyTo("LiveJit", _dir.Path);
        await ToolRoundTrip.MustSucceed(ProcessRunner.RunAsync(Dotnet, ["build", "LiveJit.csproj", "-c", "Release", "-o", "app", "-nologo", "-v", "quiet"], _dir.Path, timeout: TimeSpan.FromMinutes(3)));
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
