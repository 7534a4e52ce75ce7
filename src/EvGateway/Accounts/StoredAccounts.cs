using System.Text.Json;
using System.Text.Json.Nodes;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvGateway.Accounts;

/// <summary>
/// The accounts the owner connected through the API or the setup page, kept in <c>accounts.json</c> in the data
/// directory (0600, written atomically) and served as configuration: a stored Renault login reads as
/// <c>Renault:Username</c> like one from appsettings, so it counts as configured at once and after every restart.
/// A file that cannot be read is set aside like every settings file; being read before logging exists, it is reported
/// once the gateway starts.
/// </summary>
public sealed class StoredAccounts : ConfigurationProvider, IConfigurationSource, IAccountSettingsStore
{
    public const string FileName = "accounts.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly SettingsFile<JsonObject> file;
    private readonly SemaphoreSlim writing = new(1, 1);
    private JsonObject document = new();

    public StoredAccounts(string dataDirectory, TimeProvider time)
    {
        file = new(Path.Combine(dataDirectory, FileName), Json, "the gateway starts without the accounts connected through it", time,
            NullLogger.Instance);
    }

    /// <summary>Why the stored file could not be used, once, for the log; null when it was fine or absent.</summary>
    public string? LoadProblem => file.LoadProblem;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public override void Load()
    {
        document = file.Load() ?? new JsonObject();
        Data = Flatten(document);
    }

    public async Task SaveAsync(string section, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            var updated = (JsonObject)document.DeepClone();
            var values = new JsonObject();
            foreach (var (key, value) in settings)
            {
                if (value is not null)
                {
                    values[key] = value;
                }
            }

            updated[section] = values;
            await file.SaveAsync(updated, CancellationToken.None);
            document = updated;
            Data = Flatten(updated);
        }
        finally
        {
            writing.Release();
        }

        OnReload();
    }

    private static Dictionary<string, string?> Flatten(JsonObject document)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, values) in document)
        {
            if (values is not JsonObject settings)
            {
                continue;
            }

            foreach (var (key, value) in settings)
            {
                data[$"{section}:{key}"] = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString();
            }
        }

        return data;
    }
}
