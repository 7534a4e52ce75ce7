using EvGateway.Hosting;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging;

/// <summary>Reads and writes a car's charge schedules in local time through the maker's <see cref="IChargeScheduling"/>.</summary>
public sealed class ChargeScheduleService(VehicleDirectory directory, IEnumerable<IChargeScheduling> schedulers, TimeProvider time,
    IOptions<ChargingOptions> options, IOptionsMonitor<GatewayOptions> gateway)
{
    private readonly TimeZoneInfo zone = options.Value.ResolveTimeZone();

    public async Task<ChargeScheduleView> GetAsync(string vin, CancellationToken cancellationToken)
    {
        var (vehicle, scheduler) = await FindAsync(vin, cancellationToken);
        var schedules = await scheduler.GetAsync(vehicle, cancellationToken);
        return ChargeScheduleConversion.ToLocal(vehicle.Vin, schedules, time.GetUtcNow(), zone);
    }

    /// <summary>Converts to the car's UTC form and checks the car's rules there, before anything is sent.</summary>
    public async Task<ScheduleChange> SetAsync(string vin, ChargeScheduleRequest request, CancellationToken cancellationToken)
    {
        ReadOnlyGuard.ThrowIfReadOnly(gateway.CurrentValue, "changing charge schedules");
        var (vehicle, scheduler) = await FindAsync(vin, cancellationToken);
        var now = time.GetUtcNow();
        var schedules = ChargeScheduleConversion.ToCar(request, now, zone);
        if (ChargeScheduleRules.Check(schedules) is { } violation)
        {
            return new ScheduleChange(null, violation);
        }

        await scheduler.SetAsync(vehicle, schedules, cancellationToken);
        return new ScheduleChange(ChargeScheduleConversion.ToLocal(vehicle.Vin, schedules, now, zone), null);
    }

    private async Task<(Vehicle Vehicle, IChargeScheduling Scheduler)> FindAsync(string vin, CancellationToken cancellationToken)
    {
        var vehicle = (await directory.FindAsync(vin, cancellationToken)).Vehicle;
        var scheduler = schedulers.FirstOrDefault(s => s.Supports(vehicle))
                        ?? throw GatewayException.CapabilityNotSupported(vehicle.Vin, "charge schedules through the gateway");
        return (vehicle, scheduler);
    }
}

/// <summary>Either the schedules as saved or the car rule they break.</summary>
public sealed record ScheduleChange(ChargeScheduleView? Saved, ScheduleRuleViolation? Violation);
