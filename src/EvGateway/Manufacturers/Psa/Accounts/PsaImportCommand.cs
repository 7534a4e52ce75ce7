using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// <c>EvGateway import-psacc &lt;folder&gt;</c>: brings psa_car_controller's files from its folder, as
/// <c>POST /api/accounts/psa/import</c> does, and prints what was taken and what was not. Exit code 0 when the account
/// ends up connected, 1 otherwise; a malformed file changes nothing.
/// </summary>
internal sealed class PsaImportCommand(PsaccImport import, PsaMakerAccount account) : IGatewayCommand
{
    public string Name => "import-psacc";

    public string Usage => "import-psacc <folder>   bring psa_car_controller's config.json, otp.bin and charge_config.json from its folder";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        if (arguments.Count != 1)
        {
            await output.WriteLineAsync($"Usage: EvGateway {Usage}");
            return 1;
        }

        var folder = Path.GetFullPath(arguments[0]);
        if (PsaccFolder.Read(folder, out var problems, out var leftBehind) is not { } files)
        {
            await output.WriteLineAsync($"Nothing was imported from {folder}:");
            foreach (var problem in problems)
            {
                await output.WriteLineAsync($"  {problem}");
            }

            return 1;
        }

        var report = await import.ImportAsync(files, cancellationToken);
        await output.WriteLineAsync($"Imported from {folder}:");
        foreach (var line in report.Imported)
        {
            await output.WriteLineAsync($"  {line}");
        }

        var notUsed = report.NotUsed.Concat(leftBehind).ToList();
        if (notUsed.Count > 0)
        {
            await output.WriteLineAsync("Not used:");
            foreach (var line in notUsed)
            {
                await output.WriteLineAsync($"  {line}");
            }
        }

        var status = account.Status;
        await output.WriteLineAsync(report.Vins.Count > 0 ? $"Cars: {string.Join(", ", report.Vins)}" : "Cars: none listed yet");
        await output.WriteLineAsync($"PSA account: {Words(status.State)}; remote commands: {Words(status.RemoteCommands)}"
                                    + (status.Detail is { } detail ? $" ({detail})" : ""));
        return status.State == AccountState.Connected ? 0 : 1;
    }

    private static string Words<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value).Trim('"');
}
