namespace EvGateway.Vehicles;

/// <summary>A recorded status of a car brought from another tool: where it was, its odometer and battery level.</summary>
public sealed record ImportedPosition(string Vin, DateTimeOffset At, double? Latitude, double? Longitude, double? OdometerKm, double? BatteryLevel);

/// <summary>A charging session another tool recorded, with what it cost there (null when it did not price it).</summary>
public sealed record ImportedCharge(string Vin, DateTimeOffset Start, DateTimeOffset? End, double? StartLevel, double? EndLevel, double? EnergyKwh,
    double? Cost);

/// <summary>One point of a charge curve another tool recorded: the level (and range) while charging.</summary>
public sealed record ImportedChargePoint(string Vin, DateTimeOffset At, double? BatteryLevel, double? RangeKm);

/// <summary>A battery state of health another tool recorded, in percent.</summary>
public sealed record ImportedBatteryHealth(string Vin, DateTimeOffset At, double Percent);

/// <summary>
/// Electricity prices another tool priced sessions with, in the History settings' terms (night hours "HH:mm"); a
/// null is a setting the tool left unset.
/// </summary>
public sealed record ImportedPrices(double? DayPrice, double? NightPrice, string? NightStart, string? NightEnd, string? Currency,
    double? ChargerEfficiency);

/// <summary>Everything a history import brings; any part may be empty.</summary>
public sealed record ImportedHistory(
    IReadOnlyList<ImportedPosition> Positions,
    IReadOnlyList<ImportedCharge> Charges,
    IReadOnlyList<ImportedBatteryHealth> BatteryHealth,
    ImportedPrices? Prices,
    IReadOnlyList<ImportedChargePoint>? ChargeCurve = null);

/// <summary>What a history import added: what was already held is not counted (an import run twice adds nothing twice).</summary>
public sealed record HistoryImportResult(int Positions, int Charges, int BatteryHealth, bool Prices, int ChargeCurvePoints = 0);

/// <summary>
/// Where an account import hands the history it brought (implemented by History/, absent when it is not added), so a
/// maker can bring an owner's trips, charges and prices over without knowing the history store.
/// </summary>
public interface IHistoryImport
{
    Task<HistoryImportResult> ImportAsync(ImportedHistory history, CancellationToken cancellationToken);
}
