using System.Diagnostics;
using EvGateway.Tests.EndToEnd;

namespace EvGateway.Tests.TestSupport;

/// <summary>The built gateway run once from a shell (<c>EvGateway &lt;command&gt; ...</c>), with settings in its environment only.</summary>
internal static class GatewayCommandLine
{
    /// <param name="settings">Settings by their configuration keys ("Psa:TokenUrl"); none is inherited from the test's environment.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> settings)
    {
        var dll = GatewayProcessTests.GatewayDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Renault__") || k.StartsWith("Psa__") || k.StartsWith("Gateway__")).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var cancellation = TestContext.Current.CancellationToken;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation).WaitAsync(TimeSpan.FromSeconds(90), cancellation);
        return (process.ExitCode, await stdout + await stderr);
    }
}
