using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Control;

/// <summary>
/// Every car's charge-control setting in ONE file, `{DataDirectory}/charge-control.json`, in the shape the old
/// psa_car_controller wrote (<c>{"VIN":{"percentage_threshold":80,"stop_hour":[22,30]}}</c>) so its file can be
/// dropped in. Writes are atomic and serialised; readers see an immutable snapshot and never wait on a write.
/// </summary>
public sealed class ChargeControlStore
{
    public const string FileName = "charge-control.json";

    private static readonly JsonSerializerOptions FileJson = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly SettingsFile<Dictionary<string, StoredSetting>> file;
    private volatile ImmutableDictionary<string, StoredSetting> settings;

    public ChargeControlStore(IOptions<GatewayOptions> gateway, TimeProvider time, ILogger<ChargeControlStore> logger)
    {
        file = new(Path.Combine(gateway.Value.DataDirectory, FileName), FileJson, "charge control starts with no setting", time, logger);
        settings = ImmutableDictionary.Create<string, StoredSetting>(StringComparer.OrdinalIgnoreCase).AddRange(file.Load() ?? []);
    }

    public string FilePath => file.Path;

    /// <summary>Why the file could not be read at start-up (it was set aside, not overwritten), or null.</summary>
    public string? LoadProblem => file.LoadProblem;

    /// <summary>Raised after a car's setting changed (with its VIN), so the controller re-plans at once.</summary>
    public event Action<string>? Changed;

    public ChargeControlSetting Get(string vin) =>
        settings.TryGetValue(vin, out var stored) ? stored.ToSetting() : ChargeControlSetting.Off;

    /// <summary>The cars that have something for charge control to do.</summary>
    public IReadOnlyDictionary<string, ChargeControlSetting> Active() => settings
        .Select(pair => KeyValuePair.Create(pair.Key, pair.Value.ToSetting()))
        .Where(pair => pair.Value.IsActive)
        .ToDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Applies <paramref name="change"/> to the car's current setting and persists the result before returning it.</summary>
    public async Task<ChargeControlSetting> UpdateAsync(string vin, Func<ChargeControlSetting, ChargeControlSetting> change,
        CancellationToken cancellationToken)
    {
        ChargeControlSetting updated;
        await writing.WaitAsync(cancellationToken);
        try
        {
            var current = settings.GetValueOrDefault(vin);
            updated = change(current?.ToSetting() ?? ChargeControlSetting.Off);
            var next = settings.SetItem(vin, StoredSetting.From(updated, current));
            await file.SaveAsync(next.ToDictionary(), cancellationToken);
            settings = next;
        }
        finally
        {
            writing.Release();
        }

        Changed?.Invoke(vin);
        return updated;
    }

    /// <summary>One car in the psacc file shape; fields this gateway does not know are kept on rewrite.</summary>
    private sealed class StoredSetting
    {
        [JsonPropertyName("percentage_threshold")]
        public int? PercentageThreshold { get; set; }

        [JsonPropertyName("stop_hour")]
        public int[]? StopHour { get; set; }

        [JsonPropertyName("last_error")]
        public string? LastError { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Other { get; set; }

        public ChargeControlSetting ToSetting() => new(
            PercentageThreshold is > 0 and <= 100 and var threshold ? threshold : 100,
            StopHour is [var hour and >= 0 and < 24, var minute and >= 0 and < 60] ? new TimeOnly(hour, minute) : null,
            LastError);

        public static StoredSetting From(ChargeControlSetting setting, StoredSetting? previous) => new()
        {
            PercentageThreshold = setting.PercentageThreshold,
            StopHour = setting.StopAt is { } at ? [at.Hour, at.Minute] : null,
            LastError = setting.LastError,
            Other = previous?.Other,
        };
    }
}
