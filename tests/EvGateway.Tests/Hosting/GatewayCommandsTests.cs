using EvGateway.Tests.TestSupport;

namespace EvGateway.Tests.Hosting;

/// <summary><c>EvGateway &lt;command&gt;</c> runs a registered command instead of serving, settings before it included.</summary>
public sealed class GatewayCommandsTests
{
    [Fact]
    public async Task An_unknown_command_ends_with_exit_code_1_and_lists_the_commands()
    {
        using var data = new TemporaryDirectory();

        var (exitCode, output) = await GatewayCommandLine.RunAsync(["import-everything"],
            new Dictionary<string, string?> { ["Gateway:DataDirectory"] = data.Path });

        Assert.Equal(1, exitCode);
        Assert.Contains("unknown command 'import-everything'", output, StringComparison.Ordinal);
        Assert.Contains("import-psacc <folder>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_given_before_the_command_are_not_taken_for_the_command_or_its_folder()
    {
        using var data = new TemporaryDirectory();
        var missing = Path.Combine(data.Path, "no-psacc-folder");

        var (exitCode, output) = await GatewayCommandLine.RunAsync(
            ["--Gateway:DataDirectory", data.Path, "Psa:Country=GB", "import-psacc", missing], new Dictionary<string, string?>());

        Assert.Equal(1, exitCode);
        Assert.Contains($"Nothing was imported from {missing}:", output, StringComparison.Ordinal);
        Assert.Contains("Not a folder.", output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(data.Path));
    }
}
