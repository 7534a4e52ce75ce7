using System.Collections.Concurrent;
using System.Globalization;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

/// <summary>kca <c>charges</c>: the car's own list of past charges (renault.md §2).</summary>
internal sealed record ChargesAttributes(IReadOnlyList<KamereonCharge>? Charges);

/// <summary>One charge as Kamereon lists it; the Zoe ZE50 often leaves out the start level and the power.</summary>
internal sealed record KamereonCharge(
    DateTimeOffset? ChargeStartDate,
    DateTimeOffset? ChargeEndDate,
    double? ChargeStartBatteryLevel,
    double? ChargeEndBatteryLevel,
    double? ChargeBatteryLevelRecovered,
    double? ChargeStartInstantaneousPower,
    string? ChargeEndStatus);

/// <summary>
/// Reads a Renault's charges from Kamereon. The cloud answers 403, 404 or 501 for a car that keeps no such list: that
/// car is remembered as lacking it (until the gateway restarts) and is not asked again, so a daily reader does not
/// spend the quota or fill the log with the same refusal.
/// </summary>
internal sealed partial class RenaultChargeHistory(IKamereonApi kamereon, RenaultProvider cars, KamereonCalls calls,
    IOptionsMonitor<RenaultOptions> options, ILogger<RenaultChargeHistory> logger) : IChargeHistorySource
{
    private readonly ConcurrentDictionary<string, bool> lacking = new(StringComparer.OrdinalIgnoreCase);

    public bool Supports(Vehicle vehicle) =>
        vehicle.Maker == RenaultProvider.MakerName && vehicle.IsElectric && !lacking.ContainsKey(vehicle.Vin);

    public async Task<IReadOnlyList<CarChargeSession>> GetChargesAsync(Vehicle vehicle, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        var (vin, country) = (vehicle.Vin, options.CurrentValue.Country);
        var account = await cars.AccountOfAsync(vin, cancellationToken);
        try
        {
            var answer = await calls.SendAsync(account, vin, "charge history",
                ct => kamereon.GetChargesAsync(account, vin, country, Day(from), Day(to), ct), cancellationToken);
            var model = RenaultCapabilities.For(vehicle.ModelCode);
            return RenaultChargeMapping.Sessions(answer.Data?.Attributes?.Charges, vehicle.BatteryCapacityKwh, model.ReportsPowerInWatts);
        }
        catch (GatewayException e) when (e.Code == ErrorCodes.CapabilityNotSupported)
        {
            lacking[vin] = true;
            LogNoChargeHistory(vin);
            return [];
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [LoggerMessage(LogLevel.Information, "The Renault cloud keeps no charge history for {Vin}; it is not asked for one again")]
    private partial void LogNoChargeHistory(string vin);
}

/// <summary>Kamereon charges as the gateway's <see cref="CarChargeSession"/>s.</summary>
internal static class RenaultChargeMapping
{
    /// <summary>
    /// The charges with a start, oldest first. The energy is the level gained (the cloud's own figure when it gives one)
    /// times the capacity; the power is the one the charge started at.
    /// </summary>
    public static IReadOnlyList<CarChargeSession> Sessions(IEnumerable<KamereonCharge>? charges, double? capacityKwh, bool reportsWatts) =>
        (charges ?? [])
            .Where(c => c.ChargeStartDate is not null)
            .Select(c =>
            {
                var gained = c.ChargeBatteryLevelRecovered ?? (c.ChargeEndBatteryLevel - c.ChargeStartBatteryLevel);
                var energy = gained is >= 0 && capacityKwh is { } capacity ? Math.Round(gained.Value / 100 * capacity, 2) : (double?)null;
                return new CarChargeSession(c.ChargeStartDate!.Value, c.ChargeEndDate, c.ChargeStartBatteryLevel, c.ChargeEndBatteryLevel, energy,
                    RenaultMapping.ToKilowatts(c.ChargeStartInstantaneousPower, reportsWatts));
            })
            .OrderBy(s => s.Start)
            .ToList();
}
