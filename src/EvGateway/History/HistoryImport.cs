using System.Globalization;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.History;

/// <summary>
/// Takes an owner's history from another tool into the history file: positions become samples, charging sessions
/// are kept with their cost, states of health join the car's; the tool's prices become the History settings, kept
/// with the other settings the owner gave the gateway. What the file already holds is skipped, so a second import of
/// the same files adds nothing.
/// </summary>
public sealed class HistoryImport(HistoryDatabase database, IEnumerable<IAccountSettingsStore> settingsStores) : IHistoryImport
{
    public async Task<HistoryImportResult> ImportAsync(ImportedHistory history, CancellationToken cancellationToken)
    {
        int positions, charges, health, curve;
        using (var connection = database.Open())
        {
            positions = HistorySamples.Insert(connection, [.. history.Positions.Select(p => new HistorySample(p.Vin.ToUpperInvariant(), p.At, p.At,
                p.BatteryLevel, null, p.OdometerKm, PlugState.Unknown, ChargeState.Unknown, null, p.Latitude, p.Longitude))]);
            // A curve point is a sample taken while charging: the charge curve of its session is drawn from them.
            curve = HistorySamples.Insert(connection, [.. (history.ChargeCurve ?? []).Select(p => new HistorySample(p.Vin.ToUpperInvariant(), p.At, p.At,
                p.BatteryLevel, p.RangeKm, null, PlugState.Plugged, ChargeState.Charging, null, null, null))]);
            charges = ImportedCharges.Insert(connection, history.Charges);
            health = BatteryHealth.Import(connection, history.BatteryHealth);
        }

        var prices = false;
        if (history.Prices is { } given && settingsStores.FirstOrDefault() is { } store)
        {
            await store.SaveAsync(HistoryOptions.SectionName, Settings(given), cancellationToken);
            prices = true;
        }

        return new HistoryImportResult(positions, charges, health, prices, curve);
    }

    private static Dictionary<string, string?> Settings(ImportedPrices prices)
    {
        var settings = new Dictionary<string, string?>
        {
            [nameof(HistoryOptions.DayPrice)] = Number(prices.DayPrice),
            [nameof(HistoryOptions.Currency)] = prices.Currency,
            [nameof(HistoryOptions.ChargerEfficiency)] = Number(prices.ChargerEfficiency),
        };
        if (prices is { NightPrice: { } night, NightStart: { } start, NightEnd: { } end })
        {
            settings[nameof(HistoryOptions.NightPrice)] = Number(night);
            settings[nameof(HistoryOptions.NightStart)] = start;
            settings[nameof(HistoryOptions.NightEnd)] = end;
        }

        return settings.Where(s => s.Value is not null).ToDictionary();
    }

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}
