using EvGateway.Charging;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Control;

/// <summary>Reads and changes charge-control settings on behalf of the REST and legacy routes.</summary>
public sealed class ChargeControlService(VehicleDirectory directory, ChargeControlStore store, IEnumerable<IChargeLimit> limits,
    TimeProvider time, IOptions<ChargingOptions> options, IOptionsMonitor<GatewayOptions> gateway) : IChargeControlSummaries, IChargeThresholds
{
    private readonly TimeZoneInfo zone = options.Value.ResolveTimeZone();

    public async Task<ChargeControlView> GetAsync(string vin, CancellationToken cancellationToken)
    {
        var entry = await directory.FindAsync(vin, cancellationToken);
        return Current(entry.Vehicle.Vin);
    }

    /// <summary>
    /// Changes the car's setting. A car that cannot stop charging gets 501 here rather than a setting that would be
    /// silently ignored, unless it keeps a charge limit of its own: then a threshold becomes that limit (in the steps
    /// the car accepts), and a stop time, which needs a stop, is still 501. A new setting clears the last error
    /// because the next stop is a fresh attempt.
    /// </summary>
    public async Task<ChargeControlView> SetAsync(string vin, Func<ChargeControlSetting, ChargeControlSetting> change,
        CancellationToken cancellationToken)
    {
        var entry = await directory.FindAsync(vin, cancellationToken);
        var vehicle = entry.Vehicle;
        var current = store.Get(vehicle.Vin);
        var wanted = change(current);
        if (wanted.IsActive)
        {
            ReadOnlyGuard.ThrowIfReadOnly(gateway.CurrentValue, "charge control (it stops charges remotely)");
        }

        if (!vehicle.Has(VehicleCapability.ChargeStop) && (wanted.IsActive || current.IsActive))
        {
            await SetCarLimitAsync(vehicle, current, wanted, cancellationToken);
        }

        var saved = await store.UpdateAsync(vehicle.Vin, _ => wanted with { LastError = null }, cancellationToken);
        return View(vehicle.Vin, saved);
    }

    /// <summary>The car's charge control as GET charge-control answers it, from the stored setting (no cloud call).</summary>
    public ChargeControlView Current(string vin) => View(vin, store.Get(vin));

    public async Task<int> SetThresholdAsync(string vin, int percent, CancellationToken cancellationToken) =>
        (await SetAsync(vin, current => current with { PercentageThreshold = percent }, cancellationToken)).PercentageThreshold;

    /// <summary>
    /// Whether a threshold of <paramref name="percent"/> can be held on the car: it can be stopped remotely, or the
    /// threshold is one the car takes as its own charge limit.
    /// </summary>
    public bool CanHoldThreshold(Vehicle vehicle, int percent) =>
        vehicle.Has(VehicleCapability.ChargeStop) || (CarLimit(vehicle) is { } limit && limit.Steps(vehicle).Allows(percent));

    private IChargeLimit? CarLimit(Vehicle vehicle) => limits.FirstOrDefault(l => l.Supports(vehicle));

    // The car stops by itself at its own limit; only the threshold part of a setting can be expressed that way.
    private async Task SetCarLimitAsync(Vehicle vehicle, ChargeControlSetting current, ChargeControlSetting wanted,
        CancellationToken cancellationToken)
    {
        if (CarLimit(vehicle) is not { } limit || wanted.StopAt is not null)
        {
            if (wanted.IsActive)
            {
                throw GatewayException.CapabilityNotSupported(vehicle.Vin,
                    wanted.StopAt is not null ? "stopping a charge remotely, which a daily stop time needs"
                        : "stopping a charge remotely, which charge control needs");
            }

            return;
        }

        var steps = limit.Steps(vehicle);
        if (!steps.Allows(wanted.PercentageThreshold))
        {
            throw GatewayException.Validation(
                $"percentageThreshold: this car keeps its own charge limit, from {steps.Min} to 100 % in steps of {steps.Step}; {wanted.PercentageThreshold} is not one of them.");
        }

        if (wanted.PercentageThreshold != current.PercentageThreshold)
        {
            ReadOnlyGuard.ThrowIfReadOnly(gateway.CurrentValue, "changing the car's charge limit");
            await limit.SetAsync(vehicle, wanted.PercentageThreshold, cancellationToken);
        }
    }

    /// <summary>What the status route shows of the car's charge control; null when there is nothing to report.</summary>
    public ChargeControlSummary? For(string vin)
    {
        var setting = store.Get(vin);
        if (!setting.IsActive && setting.LastError is null)
        {
            return null;
        }

        var view = View(vin, setting);
        return new ChargeControlSummary(view.PercentageThreshold, view.StopAt, view.NextStopAt, view.LastError);
    }

    public DateTimeOffset? NextStopAt(ChargeControlSetting setting) =>
        setting.StopAt is { } at ? LocalTime.NextOccurrence(time.GetUtcNow(), at, zone) : null;

    private ChargeControlView View(string vin, ChargeControlSetting setting) => new(
        vin,
        setting.PercentageThreshold,
        setting.StopAt?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        NextStopAt(setting),
        setting.LastError);
}
