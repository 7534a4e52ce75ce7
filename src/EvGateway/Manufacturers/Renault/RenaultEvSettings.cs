using System.Globalization;
using System.Text.Json.Nodes;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// KCM <c>ev/settings</c>, where the Renault 5 family (Renault 5, Alpine A290, Renault 4) and the Master E-Tech keep
/// their charging (renault.md §2, §4): <c>chargeModeRq</c> ALWAYS or SCHEDULED, one daily charge window
/// (<c>chargeTimeStart</c> "HH:MM" on the car's clock, <c>chargeDuration</c> in minutes) and, beside them, the owner's
/// departure programs and preconditioning choices. The document is plain JSON and is written whole, so every change
/// reads it first and sends it back with only the charge fields changed: nothing the owner set in the app is lost.
/// </summary>
internal sealed class EvSettingsClient(IKamereonApi kamereon, KamereonCalls calls, IOptionsMonitor<RenaultOptions> options)
{
    public const string Always = "ALWAYS";
    public const string Scheduled = "SCHEDULED";

    /// <summary>The models whose charge mode, window and charge start live in ev/settings (the capability table says so).</summary>
    public static bool Keeps(string? modelCode) => RenaultCapabilities.For(modelCode).StartRoute == ChargeRoute.KcmEvSettings;

    public Task<JsonObject> ReadAsync(string account, string vin, CancellationToken cancellationToken)
    {
        var country = options.CurrentValue.Country;
        return calls.SendAsync(account, vin, "charge settings", ct => kamereon.GetEvSettingsAsync(account, vin, country, ct), cancellationToken);
    }

    /// <summary>
    /// Reads the settings, applies <paramref name="change"/> and writes them back whole; returns the settings as sent
    /// (the cloud answers with a command receipt, not the document).
    /// </summary>
    public async Task<JsonObject> UpdateAsync(string account, string vin, string what, Action<JsonObject> change,
        CancellationToken cancellationToken)
    {
        var settings = await ReadAsync(account, vin, cancellationToken);
        // The cloud stamps its own update time; sending back the old one would only be ignored or refused.
        settings.Remove("lastSettingsUpdateTimestamp");
        change(settings);
        var country = options.CurrentValue.Country;
        await calls.SendAsync(account, vin, what, ct => kamereon.SetEvSettingsAsync(account, vin, country, settings, ct), cancellationToken);
        return settings;
    }

    /// <summary>The charge fields of an ev/settings document; an unreadable field is left null rather than guessed.</summary>
    public static CarDailyCharge ToDaily(JsonObject settings)
    {
        var mode = Text(settings, "chargeModeRq") is { } requested && requested.Equals(Scheduled, StringComparison.OrdinalIgnoreCase)
            ? CarChargeMode.Scheduled
            : CarChargeMode.Always;
        var start = ParseStart(Text(settings, "chargeTimeStart"));
        // One recorded car holds 9000: anything from a day up means the whole day.
        int? duration = settings["chargeDuration"] is JsonValue value && value.TryGetValue<int>(out var minutes) && minutes > 0
            ? Math.Min(minutes, 1440)
            : null;
        return new CarDailyCharge(mode, start, duration);
    }

    /// <summary>Sets the charge fields from <paramref name="charge"/>; a null start keeps the car's window.</summary>
    public static void Apply(JsonObject settings, CarDailyCharge charge)
    {
        settings["chargeModeRq"] = charge.Mode == CarChargeMode.Scheduled ? Scheduled : Always;
        if (charge.Start is { } start)
        {
            settings["chargeTimeStart"] = start.ToString("HH':'mm", CultureInfo.InvariantCulture);
            settings["chargeDuration"] = charge.DurationMinutes ?? 1440;
        }
    }

    private static string? Text(JsonObject settings, string name) =>
        settings[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    // "HH:MM" as recorded; "HH:MM:SS" and a bare "HHMM" are seen on some cars.
    private static TimeOnly? ParseStart(string? text) =>
        TimeOnly.TryParseExact(text, ["HH':'mm", "HH':'mm':'ss", "HHmm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : null;
}

/// <summary>The daily charge window of the ev/settings models, offered on the charge-schedule routes and to smart charging.</summary>
internal sealed class RenaultEvSettingsScheduling(EvSettingsClient settings, RenaultProvider cars) : IDailyChargeScheduling
{
    public bool Supports(Vehicle vehicle) =>
        vehicle.Maker == RenaultProvider.MakerName && EvSettingsClient.Keeps(vehicle.ModelCode) && vehicle.Has(VehicleCapability.ChargeSchedule);

    public DailyChargeForm Form(Vehicle vehicle) => DailyChargeForm.Window;

    public async Task<CarDailyCharge> GetAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        var account = await cars.AccountOfAsync(vehicle.Vin, cancellationToken);
        return EvSettingsClient.ToDaily(await settings.ReadAsync(account, vehicle.Vin, cancellationToken));
    }

    public async Task<CarDailyCharge> SetAsync(Vehicle vehicle, CarDailyCharge charge, CancellationToken cancellationToken)
    {
        var account = await cars.AccountOfAsync(vehicle.Vin, cancellationToken);
        var sent = await settings.UpdateAsync(account, vehicle.Vin, "charge settings", document => EvSettingsClient.Apply(document, charge),
            cancellationToken);
        return EvSettingsClient.ToDaily(sent);
    }
}
